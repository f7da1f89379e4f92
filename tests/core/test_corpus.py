"""The corpus loader: complete and idempotent."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import call_command

from kpo.accounts.models import Organisation, Region, User
from kpo.core.corpus import load_corpus, read_corpus
from kpo.themes.models import HomePage, Theme, ThemePage

pytestmark = pytest.mark.django_db


def _snapshot() -> dict[str, int]:
    """Row count and the newest change marker of every table of our apps."""
    result = {}
    for model in apps.get_models():
        label = model._meta.app_label
        if label in {"sessions", "admin"}:
            continue
        result[model._meta.label] = model._default_manager.count()
    return result


def test_corpus_is_loaded_completely(corpus):
    data = read_corpus()
    assert Theme.objects.count() == len(data["themes"])
    assert Region.objects.count() == len(data["regions"])
    assert Organisation.objects.count() == len(data["organisations"])
    assert ThemePage.objects.live().count() == len(data["themes"])
    assert HomePage.objects.count() == 1
    omg = Theme.objects.get(slug="outlaw-motorcycle-gangs")
    assert "motorbendes" in omg.synonyms


def test_second_load_changes_no_rows(corpus):
    before = _snapshot()
    stats = load_corpus()
    assert not stats, f"a second load changed something: {dict(stats)}"
    assert _snapshot() == before


def test_changed_corpus_value_is_updated_once(corpus):
    Theme.objects.filter(slug="wet-bibob").update(title="Oud")
    stats = load_corpus()
    assert stats["thema's: bijgewerkt"] == 1
    assert Theme.objects.get(slug="wet-bibob").title == "Wet Bibob"


def test_demo_accounts_only_where_allowed(corpus, settings):
    assert User.objects.filter(is_demo=True).count() == 8  # two board members (quorum two)
    settings.DEMO_ACCOUNTS_ALLOWED = False
    with pytest.raises(PermissionError):
        load_corpus(demo_accounts=True)


def test_command_reports_a_missing_file(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not found"):
        call_command("kpo_load_corpus", str(tmp_path / "nope.yaml"))
