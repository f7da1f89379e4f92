"""Issue #14 / ADR 0033: the per-reader facts a page hit needs (principals, staff groups, the
second-factor role, admin access, the unread badge) are read once per request and cached per user
under a version; every change that affects them takes effect on the very next request."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from communities.models import Community, Membership
from communities.services import membership_change_role, membership_leave, membership_remove
from kennisbank.models import KennisbankIndexPage, KnowledgeDocumentPage
from kpo.core import reader
from kpo.notifications.models import Notification
from kpo.notifications.services import notification_mark_read
from kpo.themes.models import Theme, ThemePage
from tests.core.test_page_performance import publish_document
from tests.factories import CommunityFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_cache")]

CLOSED_TITLE = "Besloten dossier Lezerscache"


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _warm(client: Client, url: str) -> str:
    """Two requests: the page and the reader's facts are cached after the first."""
    client.get(url)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def closed(corpus):
    theme = Theme.objects.get(slug="vastgoed")
    community = CommunityFactory(visibility=Community.Visibility.CLOSED, slug="lezerscache")
    community.themes.add(theme)
    manager = UserFactory()
    MembershipFactory(community=community, user=manager, role=Membership.Role.MANAGER)
    member = UserFactory()
    membership = MembershipFactory(community=community, user=member)
    document = publish_document(theme, CLOSED_TITLE, community=community)
    return {
        "community": community,
        "manager": manager,
        "member": member,
        "membership": membership,
        "theme_url": ThemePage.objects.get(theme=theme).url,
        "document_url": document.url,
    }


def test_a_removed_membership_takes_effect_on_the_next_request(closed):
    client = _login(closed["member"])
    assert CLOSED_TITLE in _warm(client, closed["theme_url"])
    assert client.get(closed["document_url"]).status_code == 200

    membership_remove(membership=closed["membership"], actor=closed["manager"])

    assert CLOSED_TITLE not in client.get(closed["theme_url"]).content.decode()
    assert client.get(closed["document_url"]).status_code == 404


def test_bulk_writes_of_memberships_take_effect_on_the_next_request(closed):
    """``QuerySet.update()`` and ``bulk_update()`` send no signals; the membership queryset
    bumps the users it touches itself."""
    client = _login(closed["member"])
    assert client.get(closed["document_url"]).status_code == 200
    assert client.get(closed["document_url"]).status_code == 200

    Membership.objects.filter(pk=closed["membership"].pk).update(state=Membership.State.REMOVED)
    assert client.get(closed["document_url"]).status_code == 404

    membership = Membership.objects.get(pk=closed["membership"].pk)
    membership.state = Membership.State.ACTIVE
    Membership.objects.bulk_update([membership], ["state"])
    assert client.get(closed["document_url"]).status_code == 200


def test_a_role_model_without_the_reader_queryset_is_refused(monkeypatch):
    from django.apps import apps
    from django.core.exceptions import ImproperlyConfigured

    config = apps.get_app_config("communities")
    monkeypatch.setattr(config, "role_models", ("communities.JoinRequest",), raising=False)
    with pytest.raises(ImproperlyConfigured, match="ReaderRowsQuerySet"):
        reader.connect()


def test_leaving_a_community_takes_effect_on_the_next_request(closed):
    client = _login(closed["member"])
    assert client.get(closed["document_url"]).status_code == 200
    assert client.get(closed["document_url"]).status_code == 200

    membership_leave(community=closed["community"], user=closed["member"])

    assert client.get(closed["document_url"]).status_code == 404


def test_a_new_membership_takes_effect_on_the_next_request(closed):
    outsider = UserFactory()
    client = _login(outsider)
    assert client.get(closed["document_url"]).status_code == 404
    assert CLOSED_TITLE not in _warm(client, closed["theme_url"])

    MembershipFactory(community=closed["community"], user=outsider)

    assert CLOSED_TITLE in client.get(closed["theme_url"]).content.decode()
    assert client.get(closed["document_url"]).status_code == 200


def test_becoming_a_moderator_makes_the_second_factor_due_on_the_next_request(closed):
    client = _login(closed["member"])
    _warm(client, closed["theme_url"])

    membership_change_role(
        membership=closed["membership"], actor=closed["manager"], role=Membership.Role.MODERATOR
    )

    response = client.get(closed["theme_url"])
    assert response.status_code == 302
    assert "tweestapsverificatie" in response["Location"]


def test_joining_a_staff_group_makes_the_second_factor_due_on_the_next_request(corpus):
    user = UserFactory()
    url = ThemePage.objects.get(theme__slug="vastgoed").url
    client = _login(user)
    _warm(client, url)

    Group.objects.get(name="Redactieraad").user_set.add(user)  # from the group's side

    response = client.get(url)
    assert response.status_code == 302
    assert "tweestapsverificatie" in response["Location"]


def _admin_group() -> Group:
    group = Group.objects.create(name="Lezerscache beheertoegang")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return group


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda user, group: user.groups.remove(group), id="leaving the group"),
        pytest.param(lambda user, group: group.permissions.clear(), id="losing the permission"),
        pytest.param(lambda user, group: group.delete(), id="the group deleted"),
    ],
)
def test_losing_admin_access_removes_the_admin_link_on_the_next_request(corpus, change):
    user = UserFactory()
    group = _admin_group()
    user.groups.add(group)
    url = ThemePage.objects.get(theme__slug="vastgoed").url
    client = _login(user)
    assert ">Beheer</a>" in _warm(client, url)

    change(user, group)

    assert ">Beheer</a>" not in client.get(url).content.decode()


def test_a_new_notification_shows_at_once_and_reading_it_clears_the_badge(corpus):
    user = UserFactory()
    url = ThemePage.objects.get(theme__slug="vastgoed").url
    client = _login(user)
    assert "ongelezen melding" not in _warm(client, url)

    Notification.objects.create(recipient=user, kind="test", title="Nieuw")
    assert "1 ongelezen melding" in client.get(url).content.decode()
    Notification.objects.create(recipient=user, kind="test", title="Nog een")
    assert "2 ongelezen meldingen" in client.get(url).content.decode()

    notification_mark_read(user=user)  # a QuerySet.update(): no signal of its own

    assert "ongelezen melding" not in client.get(url).content.decode()


def test_a_notification_about_a_community_left_stops_counting_at_once(closed):
    member = closed["member"]
    Notification.objects.create(
        recipient=member, kind="test", title="Besloten", community=closed["community"]
    )
    client = _login(member)
    assert "1 ongelezen melding" in _warm(client, closed["theme_url"])

    membership_remove(membership=closed["membership"], actor=closed["manager"])

    assert "ongelezen melding" not in client.get(closed["theme_url"]).content.decode()


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _page_url(page: str) -> str:
    return {
        "home": lambda: "/",
        "theme": lambda: ThemePage.objects.get(theme__slug="vastgoed").url,
        "kennisbank list": lambda: KennisbankIndexPage.objects.get().url,
        "document": lambda: (
            KnowledgeDocumentPage.objects.live().filter(community=None).order_by("pk").first().url
        ),
    }[page]()


@pytest.mark.parametrize("page", ["home", "theme", "kennisbank list", "document"])
def test_a_warm_hit_reads_only_the_user_row(corpus, page):
    """Session (Redis, ADR 0033), principals, second-factor check, admin access and the badge
    come from the cache: a cached page costs the one query that loads the session's user."""
    user = UserFactory()
    Notification.objects.create(recipient=user, kind="test", title="Ongelezen")
    url = _page_url(page)
    client = _login(user)
    html = _warm(client, url)
    assert "1 ongelezen melding" in html
    assert _queries(client, url) == 1


def test_a_lost_version_never_brings_back_old_facts(closed):
    """A flushed or evicted version key restarts from a number never used before, so facts
    stored under an old version cannot be served again."""
    member = closed["member"]
    client = _login(member)
    assert client.get(closed["document_url"]).status_code == 200
    old = cache.get(f"kpo:reader-version:{member.pk}")
    cache.delete(f"kpo:reader-version:{member.pk}")
    reader.forget_reader(member)
    fresh = reader.reader_facts(member)
    assert cache.get(f"kpo:reader-version:{member.pk}") > old
    assert fresh.granted == {f"community:{closed['community'].pk}"}


def test_the_cache_down_means_facts_from_the_database(closed, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    client = _login(closed["member"])
    assert client.get(closed["document_url"]).status_code == 200
    membership_remove(membership=closed["membership"], actor=closed["manager"])
    assert client.get(closed["document_url"]).status_code == 404
