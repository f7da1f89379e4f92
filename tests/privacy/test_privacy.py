"""AVG: export holds the person's data and nobody else's; deletion anonymises; retention."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from kpo.audit.models import AuditEntry
from kpo.notifications.models import EmailOutbox, Notification
from kpo.privacy.selectors import email_notifications_allowed
from kpo.privacy.services import account_delete, placeholder_user, retention_enforce
from tests.factories import CommunityFactory, MembershipFactory, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def _person(function: str):
    profile = ProfileFactory(function=function)
    membership = MembershipFactory(user=profile.user)
    Notification.objects.create(recipient=profile.user, kind="test", title=f"Melding {function}")
    return profile.user, membership


def test_export_contains_my_data_and_nobody_elses(client):
    me, my_membership = _person("Havenanalist")
    other, other_membership = _person("Fraudeonderzoeker")
    client.force_login(me)
    response = client.post(reverse("privacy:export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    data = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("gegevens.json"))
    assert data["account"]["email"] == me.email
    assert data["profiel"]["function"] == "Havenanalist"
    assert [m["community"] for m in data["memberships"]] == [my_membership.community_id]
    assert [n["title"] for n in data["notifications"]] == ["Melding Havenanalist"]
    text = json.dumps(data, ensure_ascii=False)
    for leak in (other.email, other.last_name, "Fraudeonderzoeker", "Melding Fraudeonderzoeker"):
        assert leak not in text
    assert AuditEntry.objects.filter(action="privacy.export", target_id=str(me.pk)).exists()


def test_deletion_keeps_posts_under_placeholder_and_threads_readable(client):
    Thread = apps.get_model("communities", "Thread")
    Reply = apps.get_model("communities", "Reply")
    leaver, membership = _person("Vertrekker")
    stayer = UserFactory()
    thread = Thread.objects.create(
        community=membership.community, author=leaver, title="Vraag over Bibob", body="<p>Hoe?</p>"
    )
    reply = Reply.objects.create(thread=thread, author=stayer, body="<p>Zo.</p>")
    own_reply = Reply.objects.create(thread=thread, author=leaver, body="<p>Dank!</p>")
    email = leaver.email
    client.force_login(leaver)
    response = client.post(
        reverse("privacy:delete"), {"password": "geheim-wachtwoord-123", "confirm": "on"}
    )
    assert response.status_code == 302
    assert not type(leaver).objects.filter(email=email).exists()
    assert "_auth_user_id" not in client.session
    thread.refresh_from_db()
    own_reply.refresh_from_db()
    placeholder = placeholder_user()
    assert thread.author == placeholder and own_reply.author == placeholder
    assert str(placeholder) == "Voormalig deelnemer"
    assert thread.body == "<p>Hoe?</p>"
    assert Reply.objects.get(pk=reply.pk).author == stayer
    assert not placeholder.is_active and not placeholder.has_usable_password()
    assert not client.login(username=placeholder.email, password="")
    # Audit: the request is recorded, nothing names the person any more.
    assert AuditEntry.objects.filter(action="privacy.account_deleted").exists()
    assert not AuditEntry.objects.filter(actor_label=email).exists()
    assert not AuditEntry.objects.filter(target_label__icontains=email).exists()
    # The thread is still readable for another professional.
    reader = UserFactory()
    client.force_login(reader)
    page = client.get(thread.get_absolute_url())
    assert page.status_code == 200
    assert "Vraag over Bibob" in page.content.decode()


def test_deletion_with_remove_posts_removes_the_text():
    Thread = apps.get_model("communities", "Thread")
    leaver = UserFactory()
    community = CommunityFactory()
    thread = Thread.objects.create(
        community=community, author=leaver, title="Geheim", body="<p>Persoonlijk verhaal</p>"
    )
    account_delete(user=leaver, remove_posts=True)
    thread.refresh_from_db()
    assert "Persoonlijk" not in thread.body and thread.title != "Geheim"
    assert thread.author == placeholder_user()


def test_certificates_become_unverifiable_by_name(client, corpus):
    Certificate = apps.get_model("academie", "Certificate")
    course = apps.get_model("academie", "CoursePage").objects.first()
    holders = [UserFactory(first_name="Saskia", last_name=f"Certhouder{i}") for i in range(2)]
    certs = [
        Certificate.objects.create(
            user=u, course=course, learner_name=u.get_full_name(), course_title=course.title
        )
        for u in holders
    ]
    page = client.get(f"/academie/certificaat/{certs[0].code}/")
    assert "Certhouder0" in page.content.decode()
    for user in holders:
        account_delete(user=user, remove_posts=False)
    for cert in certs:
        page = client.get(f"/academie/certificaat/{cert.code}/")
        assert "Certhouder" not in page.content.decode()
    kept = Certificate.objects.filter(pk__in=[c.pk for c in certs])
    assert all(c.user == placeholder_user() for c in kept)
    assert all(c.learner_name == "Voormalig deelnemer" for c in kept)


def test_moderation_actions_are_audited():
    from communities import services

    Thread = apps.get_model("communities", "Thread")
    moderator = UserFactory()
    membership = MembershipFactory(user=moderator, role="moderator")
    thread = Thread.objects.create(
        community=membership.community, author=UserFactory(), title="Spam", body="<p>x</p>"
    )
    services.moderation_hide(post=thread, actor=moderator, note="reclame")
    entry = AuditEntry.objects.get(action="moderation.hide", target_id=str(thread.pk))
    assert entry.actor == moderator and entry.data["note"] == "reclame"


def test_email_notifications_are_opt_in(client):
    user = UserFactory()
    assert not email_notifications_allowed(user=user, kind="new_reply")
    assert email_notifications_allowed(user=user, kind="account.password_reset")
    client.force_login(user)
    client.post(reverse("privacy:overview"), {"email_notifications": "on"})
    assert email_notifications_allowed(user=user, kind="new_reply")


def test_retention_deletes_what_expired_and_nothing_else(settings):
    settings.KPO_RETENTION_DAYS = {
        "audit": 10,
        "email_outbox": 5,
        "notifications": 20,
        "search_queries": 3,
        "unconfirmed_registrations": None,
    }
    now = timezone.now()
    user = UserFactory()

    def aged(model, days, **fields):
        row = model.objects.create(**fields)
        model.objects.filter(pk=row.pk).update(created_at=now - timedelta(days=days))
        return row.pk

    old_audit = aged(AuditEntry, 11, action="test.old")
    new_audit = aged(AuditEntry, 9, action="test.new")
    old_note = aged(Notification, 21, recipient=user, kind="t", title="oud")
    new_note = aged(Notification, 19, recipient=user, kind="t", title="nieuw")
    sent_old = EmailOutbox.objects.create(
        key="r1", to="a@b.nl", subject="s", body="b", sent_at=now - timedelta(days=6)
    ).pk
    sent_new = EmailOutbox.objects.create(
        key="r2", to="a@b.nl", subject="s", body="b", sent_at=now - timedelta(days=4)
    ).pk
    unsent_old = aged(EmailOutbox, 30, key="r3", to="a@b.nl", subject="s", body="b")
    log = apps.get_model("search", "SearchQueryLog")
    old_q = log.objects.create(query="oud", day=(now - timedelta(days=4)).date()).pk
    new_q = log.objects.create(query="nieuw", day=(now - timedelta(days=2)).date()).pk

    done = retention_enforce(now=now)

    assert not AuditEntry.objects.filter(pk=old_audit).exists()
    assert AuditEntry.objects.filter(pk=new_audit).exists()
    assert not Notification.objects.filter(pk=old_note).exists()
    assert Notification.objects.filter(pk=new_note).exists()
    assert not EmailOutbox.objects.filter(pk=sent_old).exists()
    assert set(
        EmailOutbox.objects.filter(pk__in=[sent_new, unsent_old]).values_list("pk", flat=True)
    ) == {sent_new, unsent_old}
    assert not log.objects.filter(pk=old_q).exists()
    assert log.objects.filter(pk=new_q).exists()
    assert done["email_outbox"] == 1 and done["search_queries"] == 1
    assert retention_enforce(now=now)["audit"] == 0  # idempotent
