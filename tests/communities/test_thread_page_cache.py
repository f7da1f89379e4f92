"""Issue #14 / ADR 0035: the thread page is cached per principal set and community role.

Every reader here is a member of the same closed community, so all of them have the same
principal set and may share a stored page. What differs per reader must still be theirs: the
asker's edit, delete and accept controls and the names of the experts asked, a reply author's
own edit link, one member's "useful" marks and follow state, the moderator's tools and the
hidden reply only moderators see, the ambassador's "propose" link and a suspended member's
notice. Each reader loads the page after another has stored it, in both orders."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities import services
from communities.models import Follow, Membership, Reply, Suspension
from kpo.core.access import user_principals
from kpo.core.fragments import principals_key
from tests.communities.test_routing import NOW, Setting
from tests.factories import MembershipFactory, UserFactory
from tests.security.helpers import admin_login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_cache")]

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PRESSED = re.compile(r'aria-pressed="(true|false)">Nuttig \((\d+)\)')


class ThreadCase(Setting):
    """A routed question in a closed community with replies, marks, a follower, a hidden reply,
    a moderator, an ambassador and a suspended member."""

    def __init__(self) -> None:
        super().__init__()
        self.reader = UserFactory(first_name="Rik", last_name="Lezer")
        MembershipFactory(community=self.community, user=self.reader)
        self.suspended = UserFactory(first_name="Stan", last_name="Geschorst")
        MembershipFactory(community=self.community, user=self.suspended)
        Suspension.objects.create(
            user=self.suspended,
            community=self.community,
            ends_at=timezone.now() + timedelta(days=7),
            reason="Herhaald off-topic",
            suspended_by=self.manager,
        )
        with time_machine.travel(NOW, tick=False):
            self.thread = self.ask(days=3, title="Ervaring met huurdersregistratie Zuidas?")
        self.expert_reply = services.reply_create(
            thread=self.thread, author=self.member_expert, body="<p>Antwoord van Eva</p>"
        )
        self.reader_reply = services.reply_create(
            thread=self.thread, author=self.reader, body="<p>Aanvulling van Rik</p>"
        )
        self.hidden = services.reply_create(
            thread=self.thread, author=self.ambassador, body="<p>Verborgen tekst Zuidas</p>"
        )
        services.moderation_hide(post=self.hidden, actor=self.manager, note="Dubbel")
        services.reaction_toggle(user=self.reader, reply=self.expert_reply)
        services.reaction_toggle(user=self.reader, thread=self.thread)
        services.thread_follow(thread=self.thread, user=self.reader)
        self.url = self.thread.get_absolute_url()

    def readers(self) -> dict[str, object]:
        return {
            "asker": self.asker,
            "expert": self.member_expert,
            "reader": self.reader,
            "ambassador": self.ambassador,
            "manager": self.manager,
            "suspended": self.suspended,
        }


def _client(user, *, enforce_csrf: bool = False) -> Client:
    """Logged in with a verified second factor (a manager or moderator needs one)."""
    client = Client()
    admin_login(client, user)
    if enforce_csrf:
        client.handler.enforce_csrf_checks = True
    return client


def _edit_links(html: str, case: ThreadCase) -> set[str]:
    """Which posts this page offers an edit link for ("thread" or a reply's name)."""
    base = case.url
    names = {
        f"{base}bewerken/": "thread",
        f"{base}reacties/{case.expert_reply.pk}/bewerken/": "expert",
        f"{base}reacties/{case.reader_reply.pk}/bewerken/": "reader",
        f"{base}reacties/{case.hidden.pk}/bewerken/": "hidden",
    }
    return {name for url, name in names.items() if f'href="{url}"' in html}


def _expected(case: ThreadCase, who: str, html: str) -> None:
    """Assert everything that belongs to ``who`` on the page, and nothing of the others."""
    moderator = who == "manager"
    own = {"asker": {"thread"}, "expert": {"expert"}, "reader": {"reader"}}.get(who, set())
    assert _edit_links(html, case) == (
        {"thread", "expert", "reader", "hidden"} if moderator else own
    ), who
    # Accept: the asker and the moderators.
    assert ("Accepteer als antwoord" in html) == (who in ("asker", "manager")), who
    # The experts asked: the asker and the moderators (names, never e-mail addresses).
    assert ("Gevraagd:" in html and "Eva Expert" in html.split("Gevraagd:")[1][:200]) == (
        who in ("asker", "manager")
    ), who
    # Own marks and follow state: only the reader marked and follows.
    marks = PRESSED.findall(html)
    assert marks[0] == ("true" if who == "reader" else "false", "1"), (who, marks)
    assert marks[1] == ("true" if who == "reader" else "false", "1"), (who, marks)
    follows = who in {
        name
        for name, user in case.readers().items()
        if Follow.objects.filter(user=user, thread=case.thread).exists()
    }
    assert follows == (who in ("reader", "asker", "expert", "ambassador")), "asker, repliers"
    assert ("Niet meer volgen" in html) == follows, who
    # Moderators: tools, the hidden reply and the revision history; nobody else.
    assert ("Vastzetten" in html) == moderator, who
    assert ("Verborgen tekst Zuidas" in html) == moderator, who
    # Propose for the kennisbank: moderators and the theme's ambassador.
    assert ("Voorstellen voor de kennisbank" in html) == (who in ("manager", "ambassador")), who
    # The suspension notice: only the suspended member.
    assert ("geschorst tot" in html) == (who == "suspended"), who
    # Their own name in the header.
    for other, user in case.readers().items():
        assert (user.display_name in html.split("</header>")[0]) == (other == who), (who, other)


def test_readers_with_the_same_principals_each_get_their_own_thread_page():
    case = ThreadCase()
    readers = case.readers()
    keys = {principals_key(user_principals(user)) for user in readers.values()}
    assert len(keys) == 1, "all readers share one principal set"
    clients = {who: _client(user) for who, user in readers.items()}
    order = list(readers)
    for round_order in (order, order[::-1], order):  # rounds 2 and 3 are served from the cache
        for who in round_order:
            response = clients[who].get(case.url)
            assert response.status_code == 200, who
            _expected(case, who, response.content.decode())


def test_a_plain_member_after_the_asker_is_a_hit_with_own_state():
    """The second member with the same role shares the stored page (no thread or reply query
    runs), and the CSRF token they get works for their own session only."""
    case = ThreadCase()
    asker, reader = _client(case.asker), _client(case.reader, enforce_csrf=True)
    first = asker.get(case.url)
    with CaptureQueriesContext(connection) as ctx:
        second = reader.get(case.url)
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert 'FROM "communities_thread"' not in sql and 'FROM "communities_reply"' not in sql
    _expected(case, "asker", first.content.decode())
    _expected(case, "reader", second.content.decode())
    asker_token = CSRF_INPUT.search(first.content.decode()).group(1)
    reader_token = CSRF_INPUT.search(second.content.decode()).group(1)
    follow = f"{case.url}volgen/"
    refused = reader.post(follow, {"csrfmiddlewaretoken": asker_token, "volgen": "0"})
    assert refused.status_code == 403
    done = reader.post(follow, {"csrfmiddlewaretoken": reader_token, "volgen": "0"})
    assert done.status_code == 302


def test_writes_show_on_the_next_request(django_capture_on_commit_callbacks):
    """A mark, an unfollow, a new reply and an edit each show on the next page, for the one who
    wrote and for everybody else sharing the stored page."""
    case = ThreadCase()
    reader, asker = _client(case.reader), _client(case.asker)
    for client in (reader, asker):
        client.get(case.url)

    with django_capture_on_commit_callbacks(execute=True):
        services.reaction_toggle(user=case.asker, reply=case.reader_reply)
        services.thread_unfollow(thread=case.thread, user=case.reader)
    reader_html = reader.get(case.url).content.decode()
    asker_html = asker.get(case.url).content.decode()
    assert "Niet meer volgen" not in reader_html and "Niet meer volgen" in asker_html
    assert PRESSED.findall(asker_html)[2] == ("true", "1")
    assert PRESSED.findall(reader_html)[2] == ("false", "1")

    with django_capture_on_commit_callbacks(execute=True):
        services.reply_create(thread=case.thread, author=case.asker, body="<p>Nieuw Zuidas</p>")
        services.post_edit(
            post=Reply.objects.get(pk=case.expert_reply.pk),
            actor=case.member_expert,
            body="Bijgewerkt antwoord van Eva",
        )
    html = reader.get(case.url).content.decode()
    assert "Nieuw Zuidas" in html and "Bijgewerkt antwoord van Eva" in html


def test_an_escalation_shows_on_the_next_request(django_capture_on_commit_callbacks):
    """The escalation is stamped with ``QuerySet.update`` (no ``post_save``): the stored page
    still gives way to the new state."""
    s = Setting()
    with time_machine.travel(NOW, tick=False):
        thread = s.ask(days=3)
    client = _client(s.asker)
    assert "De termijn is verstreken" not in client.get(thread.get_absolute_url()).content.decode()
    later = NOW + timedelta(days=3, minutes=5)
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert services.question_routes_process()["escalations"] == 1
    assert "De termijn is verstreken" in client.get(thread.get_absolute_url()).content.decode()


def test_a_role_change_changes_the_page_at_once(django_capture_on_commit_callbacks):
    """Promoted to moderator, demoted, suspended, lifted: the next page follows each change."""
    case = ThreadCase()
    reader = _client(case.reader)
    assert "Vastzetten" not in reader.get(case.url).content.decode()
    membership = Membership.objects.get(community=case.community, user=case.reader)
    with django_capture_on_commit_callbacks(execute=True):
        Membership.objects.filter(pk=membership.pk).update(role=Membership.Role.MODERATOR)
    assert "Vastzetten" in reader.get(case.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        Membership.objects.filter(pk=membership.pk).update(role=Membership.Role.MEMBER)
    html = reader.get(case.url).content.decode()
    assert "Vastzetten" not in html and "Verborgen tekst Zuidas" not in html

    suspension = Suspension.objects.create(
        user=case.reader,
        community=case.community,
        ends_at=timezone.now() + timedelta(days=1),
        reason="Tijdelijk",
        suspended_by=case.manager,
    )
    assert "geschorst tot" in reader.get(case.url).content.decode()
    suspension.lifted_at = timezone.now()
    suspension.save()
    assert "geschorst tot" not in reader.get(case.url).content.decode()


def test_a_page_with_a_pending_message_is_rendered_for_its_reader_and_not_stored():
    """After an action the page carries a message: it is rendered for that reader (regions
    decided at once) and not stored; the next reader still gets their own version."""
    case = ThreadCase()
    reader = Client()
    reader.force_login(case.reader)
    reader.post(f"{case.url}volgen/", {"volgen": "1"})
    html = reader.get(case.url).content.decode()
    assert "Je volgt dit onderwerp." in html and "Niet meer volgen" in html
    asker_html = _client(case.asker).get(case.url).content.decode()
    assert "Je volgt dit onderwerp." not in asker_html
    _expected(case, "asker", asker_html)


def test_the_cached_standing_follows_ambassadors_bulk_lifts_and_the_clock(
    django_capture_on_commit_callbacks,
):
    """The reader's standing (role, suspension, ambassador) is cached per reader; each of its
    sources bumps it: the theme's ambassadors from either side, a suspension lifted with
    ``QuerySet.update``, and a suspension that simply ends."""
    case = ThreadCase()
    reader = _client(case.reader)
    propose = "Voorstellen voor de kennisbank"
    assert propose not in reader.get(case.url).content.decode()
    case.theme.ambassadors.add(case.reader)
    assert propose in reader.get(case.url).content.decode()
    case.reader.ambassador_of.remove(case.theme)
    assert propose not in reader.get(case.url).content.decode()

    suspended = _client(case.suspended)
    assert "geschorst tot" in suspended.get(case.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        Suspension.objects.filter(user=case.suspended).update(lifted_at=timezone.now())
    assert "geschorst tot" not in suspended.get(case.url).content.decode()

    ends = timezone.now() + timedelta(hours=2)
    Suspension.objects.create(
        user=case.reader,
        community=case.community,
        ends_at=ends,
        reason="Kort",
        suspended_by=case.manager,
    )
    assert "geschorst tot" in reader.get(case.url).content.decode()
    with time_machine.travel(ends + timedelta(minutes=1)):
        assert "geschorst tot" not in reader.get(case.url).content.decode()


def test_a_community_turned_secret_is_gone_for_outsiders_on_the_next_request(
    django_capture_on_commit_callbacks,
):
    """The community lookup of reading pages is cached per principal set and content version;
    a save of the community bumps the version, so the access rule applies at once."""
    from communities.models import Community
    from tests.factories import CommunityFactory

    community = CommunityFactory(visibility=Community.Visibility.OPEN, slug="wordt-geheim")
    member = UserFactory()
    MembershipFactory(community=community, user=member)
    thread = services.thread_create(
        community=community, author=member, title="Open vraag Zuidas", body="<p>Open</p>"
    )
    outsider = _client(UserFactory())
    for _ in range(2):  # the second one is served from the caches
        assert outsider.get(thread.get_absolute_url()).status_code == 200
        assert outsider.get(f"/communities/{community.slug}/").status_code == 200
    community.visibility = Community.Visibility.SECRET
    with django_capture_on_commit_callbacks(execute=True):
        community.save()
    assert outsider.get(thread.get_absolute_url()).status_code == 404
    assert outsider.get(f"/communities/{community.slug}/").status_code == 404
    assert _client(member).get(thread.get_absolute_url()).status_code == 200
