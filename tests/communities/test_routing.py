"""Routed questions (issue #18): who a question goes to (never a non-member of a closed community),
the deadline within bounds, one reminder before it and one escalation after it on frozen time,
what the thread page shows (names, never e-mail addresses), the beat task, the SLA figures on
fixed data, and the open questions across communities with a flat query count."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from communities import selectors, services
from communities.models import (
    Community,
    CommunityRoutingDefault,
    Membership,
    QuestionRoute,
    QuestionRouteRecipient,
    Reply,
    Thread,
)
from kpo.notifications.models import Notification
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    ProfileFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(timezone.datetime(2026, 11, 2, 9, 0))


def expert(theme, **kwargs):
    user = UserFactory(**kwargs)
    ProfileFactory(user=user).expertise_themes.add(theme)
    return user


class Setting:
    """A community with one theme, a manager, an asker, experts in and outside it and an
    ambassador of the theme."""

    def __init__(self, visibility: str = Community.Visibility.CLOSED) -> None:
        self.theme = ThemeFactory(slug=f"routing-{visibility}", title=f"Routing {visibility}")
        self.community = CommunityFactory(visibility=visibility)
        self.community.themes.add(self.theme)
        self.manager = UserFactory(first_name="Mira", last_name="Manager")
        MembershipFactory(community=self.community, user=self.manager, role=Membership.Role.MANAGER)
        self.asker = UserFactory()
        MembershipFactory(community=self.community, user=self.asker)
        self.member_expert = expert(self.theme, first_name="Eva", last_name="Expert")
        MembershipFactory(community=self.community, user=self.member_expert)
        self.outside_expert = expert(self.theme, first_name="Otto", last_name="Buiten")
        self.ambassador = UserFactory(first_name="Anne", last_name="Ambassadeur")
        MembershipFactory(community=self.community, user=self.ambassador)
        self.theme.ambassadors.add(self.ambassador)
        self.outside_ambassador = UserFactory()
        self.theme.ambassadors.add(self.outside_ambassador)

    def ask(self, days: int = 3, **kwargs) -> Thread:
        return services.question_ask(
            community=self.community,
            author=self.asker,
            title=kwargs.pop("title", "Wie kent de werkwijze bij een huurdersregistratie?"),
            body="<p>Wij willen starten en zoeken ervaringen.</p>",
            route_theme=self.theme,
            deadline_days=days,
            **kwargs,
        )


def notified(kind: str) -> set[int]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


# --- routing -------------------------------------------------------------------------------------
def test_closed_community_question_goes_only_to_experts_and_ambassadors_who_are_members():
    s = Setting(Community.Visibility.CLOSED)
    with time_machine.travel(NOW, tick=False):
        thread = s.ask(days=3)
    route = thread.route
    assert route.deadline == NOW + timedelta(days=3)
    assert route.remind_at == route.deadline - timedelta(hours=24)
    reasons = dict(route.recipients.values_list("user_id", "reason"))
    assert reasons == {s.member_expert.pk: "expert", s.ambassador.pk: "ambassador"}
    assert notified("question_routed") == {s.member_expert.pk, s.ambassador.pk}
    assert s.outside_expert.pk not in notified("question_routed")
    assert s.outside_ambassador.pk not in notified("question_routed")


def test_open_community_question_also_reaches_experts_outside_it_but_never_the_asker():
    s = Setting(Community.Visibility.OPEN)
    s.asker.profile = ProfileFactory(user=s.asker)
    s.asker.profile.expertise_themes.add(s.theme)
    thread = s.ask()
    asked = set(thread.route.recipients.values_list("user_id", flat=True))
    assert asked == {
        s.member_expert.pk,
        s.outside_expert.pk,
        s.ambassador.pk,
        s.outside_ambassador.pk,
    }


def test_inactive_experts_are_not_asked_and_experts_are_capped_members_first(settings):
    settings.KPO_ROUTING_MAX_EXPERTS = 1
    s = Setting(Community.Visibility.OPEN)
    expert(s.theme, is_active=False)
    thread = s.ask()
    experts = set(thread.route.recipients.filter(reason="expert").values_list("user_id", flat=True))
    assert experts == {s.member_expert.pk}  # the member comes before the outsider


def test_deadline_bounds_theme_kind_and_asker_are_checked_and_nothing_is_left_behind(settings):
    settings.KPO_ROUTING_DEADLINE_DAYS = {"default": 5, "min": 2, "max": 10}
    s = Setting()
    before = Thread.objects.count()
    for days, message in [
        (1, "van 2 tot en met 10 dagen"),
        (11, "van 2 tot en met 10"),
        ("x", "hele dagen"),
    ]:
        with pytest.raises(ValidationError) as exc:
            s.ask(days=days)
        assert message in str(exc.value.message_dict["deadline_days"])
    with pytest.raises(ValidationError) as exc:
        s.ask(kind=Thread.Kind.DISCUSSION)
    assert "Alleen een vraag" in str(exc.value.message_dict["route_theme"])
    other = ThemeFactory()
    with pytest.raises(ValidationError) as exc:
        services.question_ask(
            community=s.community,
            author=s.asker,
            title="Een vraag van tien",
            body="tekst",
            route_theme=other,
            deadline_days=3,
        )
    assert "thema van deze community" in str(exc.value.message_dict["route_theme"])
    assert Thread.objects.count() == before  # a refused route leaves no thread
    thread = services.thread_create(
        community=s.community, author=s.asker, title="Zonder doorsturen", body="tekst"
    )
    with pytest.raises(PermissionDenied):
        services.question_route_create(
            thread=thread, actor=s.member_expert, theme=s.theme, deadline_days=3
        )
    services.question_route_create(thread=thread, actor=s.asker, theme=s.theme, deadline_days=3)
    with pytest.raises(ValidationError, match="al doorgestuurd"):
        services.question_route_create(thread=thread, actor=s.asker, theme=s.theme, deadline_days=3)


def test_no_one_to_ask_is_refused_with_a_dutch_message():
    community = CommunityFactory(visibility=Community.Visibility.CLOSED)
    theme = ThemeFactory()
    community.themes.add(theme)
    asker = MembershipFactory(community=community).user
    expert(theme)  # not a member: may not read the question
    with pytest.raises(ValidationError) as exc:
        services.question_ask(
            community=community,
            author=asker,
            title="Niemand weet het",
            body="tekst",
            route_theme=theme,
            deadline_days=3,
        )
    assert "geen experts of ambassadeurs" in str(exc.value.message_dict["route_theme"])


def test_the_case_data_guard_stays_in_the_ask_flow():
    s = Setting()
    with pytest.raises(services.CaseDataWarning):
        s.ask(title="Over BSN 111222333 en een huurdersregistratie")
    assert not QuestionRoute.objects.exists()


def test_community_default_is_set_by_a_manager_within_bounds(settings):
    settings.KPO_ROUTING_DEADLINE_DAYS = {"default": 5, "min": 1, "max": 14}
    s = Setting()
    assert selectors.routing_default_days(community=s.community) == 5
    assert (
        services.routing_default_set(community=s.community, actor=s.manager, deadline_days=7) == 7
    )
    assert selectors.routing_default_days(community=s.community) == 7
    with pytest.raises(PermissionDenied):
        services.routing_default_set(community=s.community, actor=s.asker, deadline_days=3)
    with pytest.raises(ValidationError):
        services.routing_default_set(community=s.community, actor=s.manager, deadline_days=15)
    assert CommunityRoutingDefault.objects.get(community=s.community).deadline_days == 7


# --- reminder and escalation on frozen time ------------------------------------------------------
def test_reminder_once_before_the_deadline_escalation_once_after_it():
    s = Setting()
    with time_machine.travel(NOW, tick=False):
        thread = s.ask(days=3)
    route = thread.route
    asked = {s.member_expert.pk, s.ambassador.pk}
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        assert services.question_routes_process() == {"reminders": 0, "escalations": 0}
    reminder_time = NOW + timedelta(days=2, hours=1)
    with time_machine.travel(reminder_time, tick=False):
        assert services.question_routes_process() == {"reminders": 1, "escalations": 0}
        assert services.question_routes_process() == {"reminders": 0, "escalations": 0}
    assert notified("question_route_reminder") == asked
    assert Notification.objects.filter(kind="question_route_reminder").count() == 2
    route.refresh_from_db()
    assert route.reminder_sent_at == reminder_time and route.escalated_at is None
    escalation_time = NOW + timedelta(days=3, minutes=5)
    with time_machine.travel(escalation_time, tick=False):
        assert services.question_routes_process() == {"reminders": 0, "escalations": 1}
        assert services.question_routes_process() == {"reminders": 0, "escalations": 0}
    assert notified("question_route_escalated") == {s.manager.pk}
    route.refresh_from_db()
    assert route.escalated_at == escalation_time


def test_reminder_and_escalation_read_word_for_word_as_before():
    """The texts are gettext msgids with named placeholders now; what a person reads is the same
    Dutch sentence with the title, theme, community and deadline filled in."""
    s = Setting()
    s.theme.title = "Huisvesting"
    s.theme.save()
    s.community.name = "Wijkaanpak Noord"
    s.community.save()
    with time_machine.travel(NOW, tick=False):
        s.ask(days=3, title="Wie kent 100% de werkwijze?")
    with time_machine.travel(NOW + timedelta(days=2, hours=1), tick=False):
        services.question_routes_process()
    with time_machine.travel(NOW + timedelta(days=4), tick=False):
        services.question_routes_process()
    reminder = Notification.objects.filter(kind="question_route_reminder").first()
    escalation = Notification.objects.get(kind="question_route_escalated")
    assert reminder is not None
    assert reminder.title == "Herinnering: vraag wacht op antwoord — Wie kent 100% de werkwijze?"
    assert reminder.body == (
        "Deze vraag over Huisvesting wacht nog op een antwoord; de termijn loopt af op "
        "5 november 2026 09:00."
    )
    assert escalation.title == "Vraag zonder antwoord na de termijn: Wie kent 100% de werkwijze?"
    assert escalation.body == (
        "De vraag over Huisvesting in Wijkaanpak Noord had vóór 5 november 2026 09:00 een "
        "antwoord moeten hebben; niemand heeft nog gereageerd."
    )


def test_an_answer_stops_reminder_and_escalation_but_the_askers_own_reply_does_not():
    s = Setting()
    with time_machine.travel(NOW, tick=False):
        answered = s.ask(days=3, title="Beantwoorde vraag over een registratie")
        waiting = s.ask(days=3, title="Vraag waar alleen de vrager reageert")
        services.reply_create(thread=waiting, author=s.asker, body="Nog iemand?")
        services.reply_create(thread=answered, author=s.member_expert, body="Ja, zo doen wij het.")
    with time_machine.travel(NOW + timedelta(days=2, hours=1), tick=False):
        assert services.question_routes_process() == {"reminders": 1, "escalations": 0}
    with time_machine.travel(NOW + timedelta(days=4), tick=False):
        assert services.question_routes_process() == {"reminders": 0, "escalations": 1}
    assert QuestionRoute.objects.get(thread=answered).escalated_at is None
    assert QuestionRoute.objects.get(thread=waiting).escalated_at is not None


def test_a_short_deadline_reminds_halfway_and_a_late_run_escalates_without_a_stale_reminder():
    s = Setting()
    with time_machine.travel(NOW, tick=False):
        route = s.ask(days=1).route
    assert route.remind_at == NOW + timedelta(hours=12)
    with time_machine.travel(NOW + timedelta(days=2), tick=False):  # beat was down for a day
        assert services.question_routes_process() == {"reminders": 0, "escalations": 1}
    assert not Notification.objects.filter(kind="question_route_reminder").exists()


def test_a_member_who_left_gets_no_reminder():
    s = Setting()
    with time_machine.travel(NOW, tick=False):
        s.ask(days=3)
    Membership.objects.filter(user=s.member_expert).update(state=Membership.State.REMOVED)
    with time_machine.travel(NOW + timedelta(days=2, hours=1), tick=False):
        services.question_routes_process()
    assert notified("question_route_reminder") == {s.ambassador.pk}


def test_beat_task_runs_twice_and_sends_each_once():
    from communities.tasks import question_routes_due_task

    s = Setting()
    with time_machine.travel(NOW, tick=False):
        s.ask(days=3)
    with time_machine.travel(NOW + timedelta(days=5), tick=False):
        assert question_routes_due_task.apply().get() == {"reminders": 0, "escalations": 1}
        assert question_routes_due_task.apply().get() == {"reminders": 0, "escalations": 0}
    assert Notification.objects.filter(kind="question_route_escalated").count() == 1
    assert question_routes_due_task.max_retries == 5 and question_routes_due_task.retry_backoff


# --- what the asker sees -------------------------------------------------------------------------
def test_thread_page_shows_deadline_and_names_to_the_asker_never_e_mail_addresses(client):
    s = Setting()
    nameless = expert(s.theme, first_name="", last_name="", email="geheim.adres@politie.example")
    MembershipFactory(community=s.community, user=nameless)
    thread = s.ask(days=3)
    client.force_login(s.asker)
    text = client.get(thread.get_absolute_url()).content.decode()
    assert "Doorgestuurd naar de experts" in text
    assert "Eva Expert" in text and "Anne Ambassadeur" in text
    assert "collega zonder naam" in text
    for user in (s.member_expert, s.ambassador, nameless):
        assert user.email not in text
    assert "geheim.adres" not in text
    client.force_login(s.member_expert)  # another reader: the deadline, not the list
    text = client.get(thread.get_absolute_url()).content.decode()
    assert "graag een antwoord vóór" in text and "Anne Ambassadeur" not in text


def test_ask_form_routes_and_refuses_bad_input_with_a_400_never_a_500(client):
    s = Setting()
    client.force_login(s.asker)
    url = reverse("communities:thread_create", args=[s.community.slug])
    page = client.get(url).content.decode()
    assert "Doorsturen naar de experts van het thema" in page
    assert 'aria-live="polite"' in page and "hx-get" in page
    base = {"kind": "question", "title": "Hoe pakken jullie dit aan?", "body": "Graag tips."}
    for bad in ({"deadline_days": "999"}, {"deadline_days": "-1"}, {"route_theme": "999999"}):
        response = client.post(url, {**base, "route_theme": str(s.theme.pk), **bad})
        assert response.status_code in (200, 400)
    assert not QuestionRoute.objects.exists()
    response = client.post(url, {**base, "route_theme": str(s.theme.pk), "deadline_days": "4"})
    assert response.status_code == 302
    route = QuestionRoute.objects.get()
    assert route.thread.title == base["title"]
    assert round((route.deadline - route.created_at).total_seconds() / 86400) == 4
    # Without a deadline the community's default applies.
    response = client.post(url, {**base, "title": "Tweede vraag", "route_theme": str(s.theme.pk)})
    assert response.status_code == 302
    assert QuestionRoute.objects.count() == 2


def test_manager_sets_the_default_on_the_manage_page(client):
    from tests.security.helpers import admin_login

    s = Setting()
    admin_login(client, s.manager)
    url = reverse("communities:routing_default", args=[s.community.slug])
    assert client.post(url, {"dagen": "9"}).status_code == 302
    assert selectors.routing_default_days(community=s.community) == 9
    assert client.post(url, {"dagen": "abc"}).status_code == 302  # a message, not a 500
    assert selectors.routing_default_days(community=s.community) == 9
    client.force_login(s.asker)
    assert client.post(url, {"dagen": "3"}).status_code == 403


# --- SLA figures on fixed data -------------------------------------------------------------------
def _question(community, author, created, *, answers=(), accepted=None, own_reply=None):
    thread = Thread.objects.create(
        community=community, author=author, title="Vraag", body="<p>?</p>", created_at=created
    )
    replies = []
    answerer = UserFactory()
    if own_reply is not None:
        Reply.objects.create(
            thread=thread, author=author, body="<p>erbij</p>", created_at=created + own_reply
        )
    for delay in answers:
        replies.append(
            Reply.objects.create(
                thread=thread, author=answerer, body="<p>!</p>", created_at=created + delay
            )
        )
    if accepted is not None:
        thread.accepted_reply = replies[accepted]
        thread.save(update_fields=["accepted_reply"])
    return thread


def test_sla_figures_median_p90_and_share_within_deadline_on_known_data():
    community = CommunityFactory()
    asker = UserFactory()
    t0 = NOW - timedelta(days=20)
    h = lambda n: timedelta(hours=n)  # noqa: E731
    # first answers after 1, 2, 3, 4 and 10 hours -> median 3, p90 4 + 0.6 * 6 = 7.6
    q1 = _question(community, asker, t0, answers=[h(1), h(5)], accepted=1)  # accepted after 5
    q2 = _question(community, asker, t0, answers=[h(2)], accepted=0, own_reply=h(1))  # 2
    q3 = _question(community, asker, t0, answers=[h(3), h(30)], accepted=1)  # 30
    _question(community, asker, t0, answers=[h(4)])
    q5 = _question(community, asker, t0, answers=[h(10)])
    _question(community, asker, t0)  # never answered
    _question(community, asker, NOW - timedelta(days=200), answers=[h(100)])  # outside period
    Thread.objects.create(  # a discussion is no question
        community=community, author=asker, title="D", body="x", kind="discussion", created_at=t0
    )
    theme = ThemeFactory()
    # routed: q1 (answered after 1h, deadline 2h) and q2 (2h, 24h) in time; q3 (3h, 1h) and
    # q5 (10h, 5h) late -> 2 of 4
    for thread, deadline in [(q1, h(2)), (q2, h(24)), (q3, h(1)), (q5, h(5))]:
        QuestionRoute.objects.create(
            thread=thread, theme=theme, deadline=t0 + deadline, remind_at=t0
        )
    # a routed question still open before its deadline is not yet known: left out
    pending = _question(community, asker, NOW - timedelta(hours=1))
    QuestionRoute.objects.create(
        thread=pending, theme=theme, deadline=NOW + timedelta(days=2), remind_at=NOW
    )
    with time_machine.travel(NOW, tick=False):
        sla = selectors.community_answer_sla(
            community=community, since=NOW - timedelta(days=90), until=NOW
        )
    assert sla["questions"] == 7
    assert sla["first_answer_count"] == 5
    assert sla["first_answer_median_hours"] == 3.0
    assert sla["first_answer_p90_hours"] == 7.6
    # accepted after 5, 2 and 30 hours -> median 5, p90 5 + 0.8 * 25 = 25
    assert sla["accepted_count"] == 3
    assert sla["accepted_median_hours"] == 5.0
    assert sla["accepted_p90_hours"] == 25.0
    assert (sla["routed_known"], sla["routed_in_time"], sla["routed_in_time_share"]) == (4, 2, 50)


def test_sla_without_questions_is_empty_not_an_error():
    community = CommunityFactory()
    sla = selectors.community_answer_sla(
        community=community, since=NOW - timedelta(days=30), until=NOW
    )
    assert sla["first_answer_median_hours"] is None and sla["routed_in_time_share"] is None


def test_insight_page_shows_the_answer_times(client):
    from tests.security.helpers import admin_login

    community = CommunityFactory()
    from django.contrib.auth.models import Permission

    manager = UserFactory()
    manager.user_permissions.add(Permission.objects.get(codename="access_admin"))
    MembershipFactory(community=community, user=manager, role=Membership.Role.MANAGER)
    _question(
        community, UserFactory(), timezone.now() - timedelta(days=2), answers=[timedelta(hours=6)]
    )
    admin_login(client, manager)
    url = reverse("communities_insight", args=[community.pk])
    for period in ("", "30", "365", "x", "99999999999999999999"):
        response = client.get(url, {"periode": period} if period else {})
        assert response.status_code == 200
    text = client.get(url).content.decode()
    assert "Antwoordtijden" in text and "90e percentiel" in text and "6.0" in text


# --- open questions across communities ----------------------------------------------------------
def test_open_questions_across_my_communities_per_theme_through_the_access_rule(client):
    theme = ThemeFactory()
    mine_a = CommunityFactory(visibility="closed")
    mine_b = CommunityFactory(visibility="open")
    mine_b.themes.add(theme)
    other_open = CommunityFactory(visibility="open")
    other_open.themes.add(theme)
    other_closed = CommunityFactory(visibility="closed")
    other_closed.themes.add(theme)
    user = UserFactory()
    for c in (mine_a, mine_b):
        MembershipFactory(community=c, user=user)
    author = UserFactory()

    def q(community, title, **kwargs):
        return Thread.objects.create(
            community=community, author=author, title=title, body="x", **kwargs
        )

    a = q(mine_a, "Open in A")
    b = q(mine_b, "Open in B")
    q(mine_b, "Discussie in B", kind="discussion")
    done = q(mine_b, "Beantwoord in B")
    done.accepted_reply = Reply.objects.create(thread=done, author=author, body="x")
    done.save()
    elsewhere = q(other_open, "Open elders")
    secret = q(other_closed, "Besloten elders")
    q(mine_a, "Verwijderd", is_deleted=True)

    def titles(**kwargs):
        return {t.title for t in selectors.open_questions_for_user(user=user, **kwargs)}

    assert titles() == {a.title, b.title}
    assert titles(theme=theme) == {b.title}
    assert titles(everywhere=True, theme=theme) == {b.title, elsewhere.title}
    assert secret.title not in titles(everywhere=True)
    client.force_login(user)
    page = client.get(reverse("communities:open_questions"), {"waar": "alle", "thema": theme.slug})
    assert page.status_code == 200
    text = page.content.decode()
    assert elsewhere.title in text and secret.title not in text and a.title not in text
    assert (
        client.get(reverse("communities:open_questions"), {"thema": "bestaat-niet"}).status_code
        == 400
    )


def test_open_questions_query_count_is_flat(client, django_assert_max_num_queries):
    user = UserFactory()
    client.force_login(user)
    theme = ThemeFactory()
    communities = [CommunityFactory() for _ in range(2)]
    for c in communities:
        MembershipFactory(community=c, user=user)
        c.themes.add(theme)

    def add(n):
        for i in range(n):
            community = communities[i % 2]
            t = Thread.objects.create(
                community=community, author=UserFactory(), title=f"Vraag {i}", body="x"
            )
            QuestionRoute.objects.create(
                thread=t, theme=theme, deadline=timezone.now(), remind_at=timezone.now()
            )
            Reply.objects.create(thread=t, author=UserFactory(), body="x")

    url = reverse("communities:open_questions")
    add(2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # one-time caches (content types, permissions) warm
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add(10)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count("antwoord gevraagd vóór") == 12
    assert len(many) == len(few)


def test_routing_recipient_rows_are_personal_data_of_the_recipient():
    from kpo.privacy.services import data_export_dict

    s = Setting()
    s.ask()
    export = data_export_dict(user=s.member_expert)
    rows = export["routed_questions"]
    assert len(rows) == 1 and rows[0]["reason"] == "expert"
    assert QuestionRouteRecipient.objects.filter(user=s.member_expert).count() == 1
