"""The zero-result log for the Redactieraad (issue #17): queries are logged with the theme filter
they ran with, and grouped with the index's own Dutch analyzer (hunspell stems, stop words) when
the engine answers — a general resource, no word list — and without it when it does not."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from search.indexer import reindex
from search.models import SearchQueryLog
from search.selectors import query_log_groups

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_index(fresh_prefix, corpus):
    reindex()
    return fresh_prefix


def _log(query, times=1):
    SearchQueryLog.objects.create(query=query, day=timezone.localdate(), times=times)


def _period():
    today = timezone.localdate()
    return {"since": today - datetime.timedelta(days=7), "until": today}


def test_a_zero_result_search_is_logged_with_its_theme_filter(professional_client, live_index):
    professional_client.get("/api/v1/search", {"q": "xyzzy plugh", "theme": "vastgoed"})
    professional_client.get("/api/v1/search", {"q": "Xyzzy  plugh"})
    rows = {(r.query, r.theme): r.times for r in SearchQueryLog.objects.all()}
    assert rows == {("xyzzy plugh", "vastgoed"): 1, ("xyzzy plugh", ""): 1}
    # other filters (type, region …) are not a theme: not logged, as before
    professional_client.get("/api/v1/search", {"q": "xyzzy plugh", "type": "document"})
    assert SearchQueryLog.objects.count() == 2


def test_dutch_word_forms_group_together_with_the_engine(live_index):
    _log("woningen ondermijning", times=2)
    _log("De woning ondermijning", times=1)
    _log("loverboys", times=1)
    groups = query_log_groups(**_period())
    assert len(groups) == 2
    top = groups[0]
    assert top.times == 3
    assert set(top.variants) == {"woningen ondermijning", "de woning ondermijning"}
    assert top.query == "woningen ondermijning"  # the most searched spelling is shown
    # without stemming the two spellings stay apart
    assert len(query_log_groups(stem=False, **_period())) == 3


def test_grouping_works_without_the_engine(settings, live_index):
    _log("woningen", times=2)
    _log("Woningen ", times=1)
    settings.SEARCH_URL = "http://127.0.0.1:1"
    groups = query_log_groups(**_period())
    assert [(g.key, g.times) for g in groups] == [("woningen", 3)]
