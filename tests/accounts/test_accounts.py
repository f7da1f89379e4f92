"""Registration limited to participating domains with e-mail confirmation; other domains wait for
approval; inactive accounts are warned, then deactivated."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from kpo.notifications.models import EmailOutbox
from kpo.security.models import AccountState
from kpo.security.services import accounts_inactive_process, registration_decide
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
STRONG = "Een-lang-en-sterk-wachtwoord-2026"


def _register(client, email):
    return client.post(
        reverse("security:register"),
        {
            "email": email,
            "first_name": "Fleur",
            "last_name": "Visser",
            "password1": STRONG,
            "password2": STRONG,
        },
    )


def _confirm_link(email):
    body = EmailOutbox.objects.get(to=email, key__startswith="registration-confirm").body
    return next(line for line in body.splitlines() if "/registreren/bevestigen/" in line)


def test_participating_domain_registers_and_confirms(client):
    org = OrganisationFactory(email_domains="politie.example\nfiod.example")
    assert _register(client, "fleur@fiod.example").status_code == 200
    state = AccountState.objects.get(user__email="fleur@fiod.example")
    assert not state.user.is_active and state.organisation == org
    path = "/" + _confirm_link("fleur@fiod.example").split("/", 3)[3]
    assert client.get(path).status_code == 200
    state.user.refresh_from_db()
    assert state.user.is_active
    assert client.login(username="fleur@fiod.example", password=STRONG)


def test_other_domain_waits_for_approval(client):
    _register(client, "fleur@elders.example")
    path = "/" + _confirm_link("fleur@elders.example").split("/", 3)[3]
    client.get(path)
    state = AccountState.objects.get(user__email="fleur@elders.example")
    assert state.approval == AccountState.Approval.PENDING and not state.user.is_active
    registration_decide(state=state, approve=True, actor=UserFactory(is_superuser=True))
    state.user.refresh_from_db()
    assert state.user.is_active


def test_bad_link_and_weak_password_are_refused(client):
    assert client.get("/account/registreren/bevestigen/onzin/").status_code == 400
    response = client.post(
        reverse("security:register"),
        {
            "email": "a@b.example",
            "first_name": "A",
            "last_name": "B",
            "password1": "kort",
            "password2": "kort",
        },
    )
    assert response.status_code == 200
    assert not AccountState.objects.filter(user__email="a@b.example").exists()


def test_inactive_accounts_are_warned_then_deactivated(settings):
    settings.KPO_INACTIVE_WARNING_DAYS = 335
    settings.KPO_INACTIVE_DEACTIVATE_DAYS = 365
    now = timezone.now()
    sleeper = UserFactory(last_login=now - timedelta(days=340))
    recent = UserFactory(last_login=now - timedelta(days=10))
    accounts_inactive_process(now=now)
    assert EmailOutbox.objects.filter(to=sleeper.email, key__startswith="inactivity").count() == 1
    assert not EmailOutbox.objects.filter(to=recent.email).exists()
    accounts_inactive_process(now=now)  # idempotent
    assert EmailOutbox.objects.filter(to=sleeper.email).count() == 1
    with time_machine.travel(now + timedelta(days=31)):
        result = accounts_inactive_process(now=now + timedelta(days=31))
    sleeper.refresh_from_db()
    recent.refresh_from_db()
    assert result["deactivated"] >= 1
    assert not sleeper.is_active and recent.is_active


def test_platform_admin_decides_pending_registrations_in_the_admin(client, totp_device):
    from tests.security.conftest import totp_token

    _register(client, "kees@elders.example")
    state = AccountState.objects.get(user__email="kees@elders.example")
    AccountState.objects.filter(pk=state.pk).update(email_confirmed_at=timezone.now())
    admin = UserFactory(is_superuser=True, is_staff=True)
    device = totp_device(admin)
    client.force_login(admin)
    client.post(reverse("security:otp_verify"), {"token": totp_token(device)})
    listing = client.get("/admin/registraties/")
    assert listing.status_code == 200 and "kees@elders.example" in listing.content.decode()
    client.post("/admin/registraties/", {"state": state.pk, "decision": "approve"})
    state.refresh_from_db()
    assert state.approval == AccountState.Approval.APPROVED and state.user.is_active
    from kpo.audit.models import AuditEntry

    assert AuditEntry.objects.filter(
        action="user.registration_approved", actor=admin, target_id=str(state.user_id)
    ).exists()
