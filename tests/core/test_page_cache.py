"""Issue #14 / ADR 0024: the whole-page cache per principal set.

A cached page is only ever served to a reader with the same principal set and under the same
content version, after every door (login, second factor) has run; the reader's own parts (name,
unread badge, CSRF tokens) are filled in per request; a hit is cheaper than a miss and stays flat
as content grows."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.models import Community
from communities.services import thread_create
from kennisbank.models import KennisbankIndexPage, KnowledgeDocumentPage
from kpo.notifications.models import Notification
from kpo.themes.models import Theme, ThemePage
from tests.core.test_page_performance import Content, publish_document
from tests.factories import CommunityFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_cache")]

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _get(client: Client, url: str):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response, len(ctx.captured_queries)


class ClosedCase:
    """A closed community with a member, an outsider and closed content on every page type."""

    def __init__(self) -> None:
        self.theme = Theme.objects.get(slug="vastgoed")
        self.community = CommunityFactory(
            visibility=Community.Visibility.CLOSED, slug="cache-closed"
        )
        self.community.themes.add(self.theme)
        self.member = UserFactory(first_name="Marieke", last_name="Lidmaat")
        self.outsider = UserFactory(first_name="Otto", last_name="Buitenstaander")
        MembershipFactory(community=self.community, user=self.member)
        self.document = publish_document(
            self.theme, "Besloten dossier Zuidas", community=self.community
        )
        self.thread = thread_create(
            community=self.community,
            author=self.member,
            title="Besloten vraag Zuidas",
            body="<p>Alleen voor leden</p>",
        )

    def urls(self) -> dict[str, tuple[str, str]]:
        """page type -> (url, the closed text the member sees there)."""
        return {
            "home": ("/", ""),
            "theme": (ThemePage.objects.get(theme=self.theme).url, "Besloten dossier Zuidas"),
            "kennisbank list": (KennisbankIndexPage.objects.get().url, "Besloten dossier Zuidas"),
            "document": (self.document.url, "Besloten dossier Zuidas"),
            "thread": (self.thread.get_absolute_url(), "Besloten vraag Zuidas"),
        }


@pytest.mark.parametrize("page", ["home", "theme", "kennisbank list", "document", "thread"])
def test_cached_pages_never_cross_principals(corpus, page):
    """A member and a non-member of a closed community load the same page, in both orders: each
    gets their own version (and their own name in the header), never the other's cached one."""
    case = ClosedCase()
    url, closed_text = case.urls()[page]
    member, outsider = _login(case.member), _login(case.outsider)

    for _ in range(2):  # the second round is served from the cache
        seen = member.get(url)
        assert seen.status_code == 200
        html = seen.content.decode()
        assert closed_text in html
        assert "Marieke Lidmaat" in html and "Otto Buitenstaander" not in html

        other = outsider.get(url)
        html = other.content.decode()
        if page in ("document", "thread"):
            assert other.status_code in (403, 404)  # closed content is not for outsiders
        else:
            assert other.status_code == 200
            assert "Otto Buitenstaander" in html and "Marieke Lidmaat" not in html
        if closed_text:
            assert closed_text not in html

    # Outsider first, then the member: the member never gets the outsider's version either.
    cache.clear()
    outsider.get(url)
    assert closed_text in member.get(url).content.decode()


def test_a_content_write_shows_on_the_next_request(corpus, django_capture_on_commit_callbacks):
    user = UserFactory()
    client = _login(user)
    theme = Theme.objects.get(slug="vastgoed")
    urls = [ThemePage.objects.get(theme=theme).url, KennisbankIndexPage.objects.get().url]
    for url in urls:
        client.get(url)  # cached now
        assert "Nieuwe handreiking Zuidas" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        document = publish_document(theme, "Nieuwe handreiking Zuidas")
    for url in urls:
        assert "Nieuwe handreiking Zuidas" in client.get(url).content.decode()

    # An edit of a cached document page shows too (publishing a new revision).
    client.get(document.url)
    page = KnowledgeDocumentPage.objects.get(pk=document.pk)
    page.summary = "Bijgewerkte samenvatting Zuidas"
    with django_capture_on_commit_callbacks(execute=True):
        publish_document_revision(page)
    assert "Bijgewerkte samenvatting Zuidas" in client.get(document.url).content.decode()


def publish_document_revision(page: KnowledgeDocumentPage) -> None:
    from kennisbank.services import document_import_published

    document_import_published(page=page)


@pytest.mark.parametrize("page", ["home", "theme", "kennisbank list", "document"])
def test_personal_parts_are_filled_in_per_reader(corpus, page):
    """Two readers with the same principals share the cached page, but each sees their own name
    and unread badge, and gets a CSRF token that works for their own session only."""
    case = ClosedCase()
    url = case.urls()[page][0] if page != "document" else _open_document_url()
    anna = UserFactory(first_name="Anna", last_name="Eerstelezer")
    bert = UserFactory(first_name="Bert", last_name="Tweedelezer")
    Notification.objects.create(recipient=anna, kind="test", title="Voor Anna")
    anna_client = _login(anna)
    bert_client = Client(enforce_csrf_checks=True)
    bert_client.force_login(bert)

    first, miss = _get(anna_client, url)
    second, hit = _get(bert_client, url)
    assert hit < miss, "the second reader is served from the cache"
    anna_html, bert_html = first.content.decode(), second.content.decode()
    assert "Anna Eerstelezer" in anna_html and "1 ongelezen melding" in anna_html
    assert "Bert Tweedelezer" in bert_html and "Anna Eerstelezer" not in bert_html
    assert "ongelezen melding" not in bert_html

    anna_token = CSRF_INPUT.search(anna_html).group(1)
    bert_token = CSRF_INPUT.search(bert_html).group(1)
    assert anna_token != bert_token
    # Anna's token (from the page that was stored) does not work in Bert's session; his own does.
    logout_url = reverse("accounts:logout")
    refused = bert_client.post(logout_url, {"csrfmiddlewaretoken": anna_token})
    assert refused.status_code == 403
    logout = bert_client.post(logout_url, {"csrfmiddlewaretoken": bert_token})
    assert logout.status_code == 302


def _open_document_url() -> str:
    return KnowledgeDocumentPage.objects.live().filter(community=None).order_by("pk").first().url


@pytest.mark.parametrize("page", ["home", "theme", "kennisbank list", "document"])
def test_cached_pages_run_fewer_queries_on_a_hit_and_stay_flat(corpus, page):
    user = UserFactory()
    content = Content(user)
    client = _login(user)
    content.grow(2)
    url = content.urls()[page]
    _, miss = _get(client, url)
    _, hit = _get(client, url)
    content.grow(8)  # 5x the content (and a new content version)
    url = content.urls()[page]
    _get(client, url)
    _, hit_after = _get(client, url)
    print(f"\n{page}: miss {miss}, hit {hit} -> {hit_after} queries")
    assert hit < miss
    assert hit_after <= hit


def test_a_pending_second_factor_never_gets_a_cached_page(corpus):
    """Same principals as a professional (a staff flag adds none), but the second factor is
    pending: the challenge comes first, never the cached page."""
    url = ThemePage.objects.get(theme__slug="vastgoed").url
    _login(UserFactory()).get(url)  # cached for {public, platform}
    staff = UserFactory(is_staff=True)
    response = _login(staff).get(url)
    assert response.status_code == 302
    assert "tweestapsverificatie" in response["Location"]


def test_an_anonymous_reader_is_never_served_a_cached_page(corpus):
    url = ThemePage.objects.get(theme__slug="vastgoed").url
    user = UserFactory(first_name="Ingelogde", last_name="Lezer")
    _login(user).get(url)
    response = Client().get(url)
    assert "Ingelogde Lezer" not in response.content.decode()
