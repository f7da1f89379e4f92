"""Load order (issue 13): on a fresh database, loading the corpus while the outbox drains after
every commit (Celery inline, as ``make run`` does) must end with a live index whose synonym
filter knows the themes and the glossary; ``search_reindex --if-stale`` (tools/run) then has
nothing left to do."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from search.engine import content_alias
from search.indexer import analysis_is_current
from search.models import SearchOutbox
from search.selectors import synonym_preview


@pytest.mark.django_db(transaction=True)
def test_fresh_load_ends_with_theme_and_glossary_synonyms(fresh_prefix, engine, eager_celery):
    from kpo.core.corpus import load_corpus

    call_command("flush", interactive=False, verbosity=0)
    assert not engine.get_alias(content_alias())
    load_corpus()

    assert engine.get_alias(content_alias()), "the drains during the load built the index"
    assert not SearchOutbox.objects.exists()
    assert analysis_is_current()
    expanded = {w for words in synonym_preview(q="platteland") for w in words}
    assert "buitengebied" in expanded  # theme synonym
    expanded = {w for words in synonym_preview(q="LFT") for w in words}
    assert "fenomeentafel" in expanded  # glossary
    assert engine.count(content_alias()) > 50

    indices = engine.get_alias(content_alias())
    call_command("search_reindex", if_stale=True, verbosity=0)
    assert engine.get_alias(content_alias()) == indices  # current: skipped
