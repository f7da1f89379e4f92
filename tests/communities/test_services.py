"""Services: join flows per visibility, roles, threads, replies, moderation and their rules."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from communities import services
from communities.models import (
    Community,
    Flag,
    Invitation,
    JoinRequest,
    Membership,
    ModerationLog,
    Reply,
    ThreadRevision,
)
from communities.sanitize import sanitize_html
from kpo.core.access import can_read, forget_principals
from kpo.notifications.models import EmailOutbox, Notification
from search.models import SearchOutbox
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _content_visible(user, community) -> bool:
    forget_principals(user)
    from communities.selectors import community_content_visible

    return community_content_visible(community=community, user=user)


# --- join flows per visibility -------------------------------------------------------------------


def test_open_community_join_at_once(world):
    user = world.outsider
    membership = services.membership_join(community=world.open, user=user)
    assert membership.state == Membership.State.ACTIVE
    assert _content_visible(user, world.open)
    assert user.community_follows.filter(community=world.open, thread__isnull=True).exists()


def test_closed_community_join_is_refused_and_request_is_approved(world):
    user = world.outsider
    with pytest.raises(ValidationError, match="besloten: vraag lidmaatschap aan"):
        services.membership_join(community=world.closed, user=user)
    request = services.membership_request(community=world.closed, user=user, motivation="Graag")
    assert not _content_visible(user, world.closed)
    assert Notification.objects.filter(recipient=world.manager, kind="join_request").exists()
    with pytest.raises(ValidationError, match="al ingediend"):
        services.membership_request(community=world.closed, user=user)
    with pytest.raises(PermissionDenied):
        services.join_request_decide(join_request=request, actor=world.member, approve=True)
    services.join_request_decide(
        join_request=request, actor=world.manager, approve=True, message="Welkom!"
    )
    assert _content_visible(user, world.closed)
    note = Notification.objects.get(recipient=user, kind="join_decision")
    assert note.body == "Welkom!"


def test_closed_community_request_rejected_with_message(world):
    user = world.outsider
    request = services.membership_request(community=world.closed, user=user)
    services.join_request_decide(
        join_request=request, actor=world.manager, approve=False, message="Alleen voor RIEC's."
    )
    request.refresh_from_db()
    assert request.status == JoinRequest.Status.REJECTED
    assert request.decision_message == "Alleen voor RIEC's."
    assert not _content_visible(user, world.closed)
    with pytest.raises(ValidationError, match="al besloten"):
        services.join_request_decide(join_request=request, actor=world.manager, approve=True)


def test_secret_community_only_by_invitation(world):
    user = world.outsider
    with pytest.raises(ValidationError, match="uitnodiging"):
        services.membership_join(community=world.secret, user=user)
    with pytest.raises(ValidationError):
        services.membership_request(community=world.secret, user=user)
    invitation = services.invitation_create(
        community=world.secret, actor=world.manager, email=user.email.upper()
    )
    assert invitation.user == user
    assert not _content_visible(user, world.secret)
    services.invitation_accept(invitation=invitation, user=user)
    assert _content_visible(user, world.secret)


def test_invitation_waits_for_registration_and_is_claimed_on_login(world, client):
    invitation = services.invitation_create(
        community=world.secret, actor=world.manager, email="nieuw@gemeente.example"
    )
    assert invitation.user is None
    assert EmailOutbox.objects.filter(to="nieuw@gemeente.example").count() == 1
    newcomer = UserFactory(email="nieuw@gemeente.example")
    client.login(email="nieuw@gemeente.example", password="geheim-wachtwoord-123")
    invitation.refresh_from_db()
    assert invitation.user == newcomer
    assert Membership.objects.get(community=world.secret, user=newcomer).state == "invited"
    assert Notification.objects.filter(recipient=newcomer, kind="invitation").count() == 1
    # claiming twice changes nothing
    assert services.invitation_claim_for_user(user=newcomer) == []
    response = client.post(f"/communities/uitnodiging/{invitation.token}/")
    assert response.status_code == 302
    assert _content_visible(newcomer, world.secret)


def test_invitation_for_someone_else_is_refused(world):
    invitation = services.invitation_create(
        community=world.secret, actor=world.manager, email="ander@gemeente.example"
    )
    with pytest.raises(PermissionDenied):
        services.invitation_accept(invitation=invitation, user=world.outsider)
    with pytest.raises(ValidationError, match="geldig e-mailadres"):
        services.invitation_create(community=world.secret, actor=world.manager, email="geen-adres")


def test_last_manager_cannot_leave_or_be_demoted(world):
    with pytest.raises(ValidationError, match="laatste community manager"):
        services.membership_leave(community=world.open, user=world.manager)
    membership = Membership.objects.get(community=world.open, user=world.manager)
    with pytest.raises(ValidationError, match="minstens één"):
        services.membership_change_role(membership=membership, actor=world.manager, role="member")
    member = Membership.objects.get(community=world.open, user=world.member)
    services.membership_change_role(membership=member, actor=world.manager, role="manager")
    services.membership_leave(community=world.open, user=world.manager)
    assert not Membership.objects.filter(community=world.open, user=world.manager).exists()


def test_remove_member_logs_and_revokes_access(world):
    membership = Membership.objects.get(community=world.closed, user=world.member)
    with pytest.raises(PermissionDenied):
        services.membership_remove(membership=membership, actor=world.member)
    services.membership_remove(membership=membership, actor=world.manager)
    assert not _content_visible(world.member, world.closed)
    assert ModerationLog.objects.filter(action="remove", target_user=world.member).exists()


def test_only_community_managers_create_communities(world):
    with pytest.raises(PermissionDenied):
        services.community_create(actor=world.member, name="Nieuwe groep")
    cm = UserFactory(groups=["Communitymanagers"])
    community = services.community_create(actor=cm, name="Nieuwe groep", visibility="closed")
    assert community.slug == "nieuwe-groep"
    assert community.created_by == cm
    assert list(community.managers) == [cm]
    with pytest.raises(ValidationError, match="bestaat al"):
        services.community_create(actor=cm, name="Nieuwe groep")


def test_visibility_change_reindexes_the_community_content(world):
    thread = services.thread_create(
        community=world.open, author=world.member, title="Vraag", body="Tekst"
    )
    SearchOutbox.objects.all().delete()
    services.community_update(community=world.open, actor=world.manager, visibility="closed")
    ids = set(SearchOutbox.objects.values_list("doc_id", flat=True))
    assert {f"communities.thread:{thread.pk}", f"communities.community:{world.open.pk}"} <= ids


# --- threads, replies, moderation -----------------------------------------------------------------


def test_thread_and_reply_notify_followers_who_may_read(world):
    follower = UserFactory()
    services.membership_join(community=world.open, user=follower)
    thread = services.thread_create(
        community=world.open, author=world.member, title="Hoe pakken jullie dit aan?", body="Vraag"
    )
    assert Notification.objects.filter(recipient=follower, kind="new_thread").count() == 1
    assert not Notification.objects.filter(recipient=world.member, kind="new_thread").exists()
    services.reply_create(thread=thread, author=follower, body="Zo doen wij het.")
    assert Notification.objects.filter(recipient=world.member, kind="new_reply").count() == 1


def test_thread_create_sanitises_and_requires_membership(world):
    with pytest.raises(PermissionDenied):
        services.thread_create(community=world.closed, author=world.outsider, title="x", body="y")
    thread = services.thread_create(
        community=world.closed,
        author=world.member,
        title="Titel",
        body='<p onclick="x()">Hallo<script>alert(1)</script> '
        '<a href="javascript:alert(1)">klik</a></p>',
    )
    assert "script" not in thread.body
    assert "javascript:" not in thread.body
    assert "onclick" not in thread.body
    with pytest.raises(ValidationError, match="Schrijf een tekst"):
        services.thread_create(
            community=world.closed, author=world.member, title="T", body="<script>x</script>"
        )


def test_sanitiser_keeps_safe_links_with_rel():
    html = sanitize_html(
        '<a href="https://example.nl" target="_blank">ok</a><a href="mailto:a@b.nl">m</a>'
        '<a href="data:text/html,x">d</a><img src=x onerror=alert(1)>'
    )
    assert 'href="https://example.nl"' in html
    assert 'rel="noopener noreferrer"' in html
    assert 'href="mailto:a@b.nl"' in html
    assert "data:" not in html
    assert "onerror" not in html and "<img" not in html


def test_open_community_auto_join_when_posting(world):
    thread = services.thread_create(
        community=world.open, author=world.outsider, title="Vraag", body="Tekst"
    )
    assert thread.pk
    assert Membership.objects.get(community=world.open, user=world.outsider).is_active


def test_accept_answer_by_author_or_moderator_only(world):
    asker, helper = world.member, UserFactory()
    services.membership_join(community=world.open, user=helper)
    thread = services.thread_create(community=world.open, author=asker, title="V", body="B")
    reply = services.reply_create(thread=thread, author=helper, body="Antwoord")
    with pytest.raises(PermissionDenied):
        services.reply_accept(reply=reply, actor=helper)
    services.reply_accept(reply=reply, actor=asker)
    thread.refresh_from_db()
    assert thread.accepted_reply == reply
    assert Notification.objects.filter(recipient=helper, kind="answer_accepted").count() == 1
    services.reply_accept(reply=reply, actor=world.manager)  # a moderator may too
    assert ModerationLog.objects.filter(action="accept", reply=reply).exists()


def test_edit_keeps_revision_and_soft_delete(world):
    thread = services.thread_create(
        community=world.open, author=world.member, title="V", body="Een"
    )
    services.post_edit(post=thread, actor=world.member, body="Twee", title="V2")
    thread.refresh_from_db()
    assert thread.is_edited and "Twee" in thread.body
    assert ThreadRevision.objects.get(thread=thread).body == "<p>Een</p>"
    reply = services.reply_create(thread=thread, author=world.manager, body="R")
    with pytest.raises(PermissionDenied):
        services.post_edit(post=reply, actor=world.outsider, body="hack")
    services.post_edit(post=reply, actor=world.manager, body="R2")
    assert reply.revisions.count() == 1
    services.post_soft_delete(post=reply, actor=world.manager)
    assert Reply.objects.get(pk=reply.pk).is_deleted


def test_lock_pin_flag_hide_restore_are_logged(world):
    thread = services.thread_create(community=world.open, author=world.member, title="V", body="B")
    with pytest.raises(PermissionDenied):
        services.thread_lock(thread=thread, actor=world.member)
    services.thread_lock(thread=thread, actor=world.manager)
    services.thread_pin(thread=thread, actor=world.manager)
    with pytest.raises(ValidationError, match="gesloten"):
        services.reply_create(thread=thread, author=world.member, body="nog iets")
    with pytest.raises(ValidationError, match="reden"):
        services.flag_create(user=world.member, post=thread, reason=" ")
    flag = services.flag_create(user=world.member, post=thread, reason="Bevat persoonsgegevens")
    services.moderation_hide(post=thread, actor=world.manager)
    flag.refresh_from_db()
    assert flag.status == Flag.Status.RESOLVED
    services.moderation_restore(post=thread, actor=world.manager)
    actions = set(ModerationLog.objects.filter(thread=thread).values_list("action", flat=True))
    assert {"lock", "pin", "hide", "restore"} <= actions


def test_reaction_toggle(world):
    thread = services.thread_create(community=world.open, author=world.member, title="V", body="B")
    assert services.reaction_toggle(user=world.manager, thread=thread) is True
    assert services.reaction_toggle(user=world.manager, thread=thread) is False
    with pytest.raises(ValidationError, match="eigen bericht"):
        services.reaction_toggle(user=world.member, thread=thread)


def test_rsvp_capacity_and_access(world):
    import datetime as dt

    from django.utils import timezone

    event = services.event_create(
        community=world.closed,
        actor=world.manager,
        title="Kenniskring",
        starts_at=timezone.now() + dt.timedelta(days=3),
        capacity=1,
    )
    services.rsvp_set(event=event, user=world.manager, answer="yes")
    # Full: "yes" puts the member on the waiting list (tests/communities/test_events.py).
    assert services.rsvp_set(event=event, user=world.member, answer="yes").answer == "waiting"
    services.rsvp_set(event=event, user=world.member, answer="maybe")
    with pytest.raises(PermissionDenied):
        services.rsvp_set(event=event, user=world.outsider, answer="no")


def test_event_reminder_the_day_before_is_sent_once(world):
    import datetime as dt

    import time_machine
    from django.utils import timezone

    with time_machine.travel(dt.datetime(2026, 3, 9, 8, 0, tzinfo=dt.UTC), tick=False):
        event = services.event_create(
            community=world.closed,
            actor=world.manager,
            title="Voorjaarsbijeenkomst",
            starts_at=timezone.now() + dt.timedelta(days=1, hours=2),
        )
        services.rsvp_set(event=event, user=world.member, answer="yes")
        services.rsvp_set(event=event, user=world.manager, answer="no")
        assert services.event_reminders_send() == 1
        assert services.event_reminders_send() == 0
    reminders = Notification.objects.filter(kind="event_reminder")
    assert [n.recipient for n in reminders] == [world.member]


def test_search_documents_carry_the_community_principals(world):
    from kpo.core.access import PLATFORM, community_principal

    threads = {
        vis: services.thread_create(
            community=c, author=world.member, title=f"Vraag {vis}", body="Tekst"
        )
        for vis, c in world.communities.items()
    }
    assert threads["open"].search_document()["principals"] == [PLATFORM]
    # closed: members, and the platform moderators who moderate it (ADR 0029)
    assert threads["closed"].search_document()["principals"] == [
        community_principal(world.closed.pk),
        "staff:moderator",
    ]
    assert threads["secret"].search_document()["principals"] == [
        community_principal(world.secret.pk)
    ]
    # the community itself: open and closed are listed for everyone, secret for members only
    assert world.closed.search_document()["principals"] == [PLATFORM]
    assert world.secret.search_document()["principals"] == [community_principal(world.secret.pk)]
    services.reply_create(thread=threads["open"], author=world.manager, body="Antwoordtekst")
    doc = threads["open"].search_document()
    assert "Antwoordtekst" in doc["body"] and doc["accepted_answer"] is False
    services.moderation_hide(post=threads["open"], actor=world.manager)
    threads["open"].refresh_from_db()
    assert threads["open"].search_document() is None
    assert not can_read(world.outsider, threads["closed"])
    assert Community.objects.filter(pk=world.secret.pk).exists()
    assert Invitation.objects.count() == 0
