"""Writes of account security: registration with domain allow-list and e-mail confirmation,
approval of other domains, second-factor devices, and deactivation of inactive accounts."""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from kpo.audit.services import audit_record
from kpo.security.models import AccountState

if TYPE_CHECKING:
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from knox.models import AuthToken

    from kpo.accounts.models import Organisation, User

logger = logging.getLogger("kpo.security")

CONFIRM_SALT = "kpo.security.registration"


class RegistrationError(Exception):
    """A registration step that cannot be done; ``str(exc)`` is a Dutch message."""


# --- e-mail (strictly necessary account mail: never subject to notification preferences) -------


def _email_enqueue(*, key: str, to: str, subject: str, body: str) -> None:
    from kpo.notifications.services import email_enqueue

    email_enqueue(key=key, to=to, subject=subject, body=body)


def _absolute(path: str) -> str:
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{path}"


# --- registration -------------------------------------------------------------------------------


def organisation_for_email(*, email: str) -> Organisation | None:
    """The organisation whose ``email_domains`` (one per line) list the address's domain."""
    from kpo.accounts.models import Organisation

    domain = email.rsplit("@", 1)[-1].strip().lower()
    if not domain:
        return None
    for org in Organisation.objects.exclude(email_domains="").order_by("pk"):
        domains = {
            line.strip().lower().lstrip("@")
            for line in org.email_domains.splitlines()
            if line.strip()
        }
        if domain in domains:
            return org
    return None


def registration_token(*, user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=CONFIRM_SALT)


@transaction.atomic
def registration_create(
    *, email: str, first_name: str, last_name: str, password: str
) -> User | None:
    """Create an inactive account and send the confirmation link.

    Addresses on a domain of a participating organisation become active once confirmed; other
    addresses also wait for a platform admin's approval. An address that already has an account
    gets no second account, and the caller shows the same answer (no account enumeration).
    Returns the new user, or None when the address was taken.
    """
    user_model = get_user_model()
    email = user_model.objects.normalize_email(email).strip().lower()
    if user_model.objects.filter(email__iexact=email).exists():
        return None
    org = organisation_for_email(email=email)
    user = user_model.objects.create_user(
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        is_active=False,
    )
    AccountState.objects.create(
        user=user,
        organisation=org,
        approval=AccountState.Approval.NOT_REQUIRED if org else AccountState.Approval.PENDING,
    )
    if org is not None:
        from kpo.accounts.services import profile_get_or_create

        profile = profile_get_or_create(user=user)
        profile.organisation = org
        profile.save(update_fields=["organisation"])
    link = _absolute(reverse("security:register_confirm", args=[registration_token(user=user)]))
    _email_enqueue(
        key=f"registration-confirm:{user.pk}",
        to=email,
        subject="Bevestig je registratie bij het Kennisplatform Ondermijning",
        body=(
            f"Beste {first_name},\n\nBevestig je e-mailadres met deze link (3 dagen geldig):\n"
            f"{link}\n\nHeb je je niet geregistreerd? Dan kun je dit bericht negeren."
            "\n\n— Kennisplatform Ondermijning"
        ),
    )
    audit_record(
        actor=None,
        action="user.registered",
        target=user,
        target_label=email,
        data={
            "organisation_id": org.pk if org else None,
            "approval": AccountState.Approval.NOT_REQUIRED if org else "pending",
        },
    )
    return user


@transaction.atomic
def registration_confirm(*, token: str) -> AccountState:
    """Confirm an address from the signed link. Returns the AccountState; raises
    RegistrationError for a bad or expired link."""
    max_age = int(getattr(settings, "KPO_REGISTRATION_CONFIRM_DAYS", 3)) * 86400
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise RegistrationError("Deze bevestigingslink is verlopen. Registreer opnieuw.") from exc
    except signing.BadSignature as exc:
        raise RegistrationError("Deze bevestigingslink is ongeldig.") from exc
    state = (
        AccountState.objects.select_for_update()
        .select_related("user")
        .filter(user_id=data.get("u"), user__email=data.get("e"))
        .first()
    )
    if state is None:
        raise RegistrationError("Deze bevestigingslink is ongeldig.")
    if state.email_confirmed_at is None:
        state.email_confirmed_at = timezone.now()
        state.save(update_fields=["email_confirmed_at"])
        if state.approval in (AccountState.Approval.NOT_REQUIRED, AccountState.Approval.APPROVED):
            state.user.is_active = True
            state.user.save(update_fields=["is_active"])
    return state


@transaction.atomic
def registration_decide(*, state: AccountState, approve: bool, actor: User) -> AccountState:
    """A platform admin approves or rejects a registration from another domain."""
    state = AccountState.objects.select_for_update().select_related("user").get(pk=state.pk)
    if state.approval != AccountState.Approval.PENDING:
        raise RegistrationError("Over deze registratie is al besloten.")
    state.approval = AccountState.Approval.APPROVED if approve else AccountState.Approval.REJECTED
    state.decided_by = actor
    state.decided_at = timezone.now()
    state.save(update_fields=["approval", "decided_by", "decided_at"])
    user = state.user
    if approve and state.email_confirmed_at is not None:
        user.is_active = True
        user.save(update_fields=["is_active"])
    _email_enqueue(
        key=f"registration-decision:{user.pk}",
        to=user.email,
        subject="Je registratie bij het Kennisplatform Ondermijning",
        body=(
            "Je registratie is goedgekeurd. Je kunt nu inloggen."
            if approve
            else "Je registratie is helaas niet goedgekeurd. Neem bij vragen contact op met "
            "het LIEC."
        )
        + "\n\n— Kennisplatform Ondermijning",
    )
    audit_record(
        actor=actor,
        action="user.registration_approved" if approve else "user.registration_rejected",
        target=user,
        target_label=user.email,
    )
    return state


# --- second factor ------------------------------------------------------------------------------


def otp_device_pending(*, user: User) -> TOTPDevice:
    """The user's unconfirmed TOTP device (created when missing), for the set-up page."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator-app", confirmed=False)
    return device


@transaction.atomic
def otp_device_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm a TOTP device with a first code; returns fresh recovery codes, or None when the
    code is wrong."""
    if device.user_id != user.pk or not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    type(device).objects.filter(user=user, confirmed=False).delete()
    audit_record(actor=user, action="security.otp_enabled", target=user, target_label=user.email)
    return recovery_codes_regenerate(user=user)


@transaction.atomic
def recovery_codes_regenerate(*, user: User, count: int = 10) -> list[str]:
    """Replace the user's recovery codes (each usable once). Returns them for one-time display."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="Herstelcodes", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [secrets.token_hex(5) for _ in range(count)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


@transaction.atomic
def passkey_remove(*, user: User, passkey_id: str) -> bool:
    """Remove one of the user's passkeys; the last second factor of a user whose role needs one
    stays (TOTP or another passkey must remain)."""
    from django_otp import devices_for_user
    from django_otp_webauthn.utils import get_credential_model

    from kpo.security.roles import user_requires_2fa

    if not str(passkey_id).isdigit():
        return False
    credential = get_credential_model().objects.filter(user=user, pk=int(passkey_id)).first()
    if credential is None:
        return False
    others = [
        d
        for d in devices_for_user(user, confirmed=True)
        if d.persistent_id != credential.persistent_id and d.__class__.__name__ != "StaticDevice"
    ]
    if user_requires_2fa(user) and not others:
        return False
    credential.delete()
    audit_record(
        actor=user, action="security.passkey_removed", target=user, target_label=user.email
    )
    return True


# --- inactive accounts --------------------------------------------------------------------------


def _inactivity_settings() -> tuple[int, int]:
    deactivate = int(getattr(settings, "KPO_INACTIVE_DEACTIVATE_DAYS", 365))
    warn = int(getattr(settings, "KPO_INACTIVE_WARNING_DAYS", 335))
    return min(warn, deactivate), deactivate


def accounts_inactive_process(*, now: datetime | None = None) -> dict[str, int]:
    """Warn accounts inactive for ``KPO_INACTIVE_WARNING_DAYS`` by e-mail; deactivate those
    inactive for ``KPO_INACTIVE_DEACTIVATE_DAYS`` that were warned at least the difference
    between the two before. Idempotent: a second run the same day changes nothing."""
    now = now or timezone.now()
    warn_days, deactivate_days = _inactivity_settings()
    grace = timedelta(days=deactivate_days - warn_days)
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .annotate(last_activity=Coalesce("last_login", "date_joined"))
    )
    warned = deactivated = 0
    for user in users.filter(last_activity__lt=now - timedelta(days=warn_days)).filter(
        Q(account_state__isnull=True)
        | Q(account_state__inactivity_warned_at__isnull=True)
        | Q(account_state__inactivity_warned_at__lt=F("last_activity"))
    ):
        with transaction.atomic():
            state, _ = AccountState.objects.get_or_create(user=user)
            state.inactivity_warned_at = now
            state.save(update_fields=["inactivity_warned_at"])
            login = _absolute(reverse("accounts:login"))
            _email_enqueue(
                key=f"inactivity-warning:{user.pk}:{user.last_activity:%Y%m%d%H%M%S}",
                to=user.email,
                subject="Je account bij het Kennisplatform Ondermijning wordt binnenkort "
                "gedeactiveerd",
                body=(
                    f"Je hebt al {warn_days} dagen niet ingelogd. Log binnen "
                    f"{grace.days} dagen in om je account actief te houden:\n{login}"
                    "\n\n— Kennisplatform Ondermijning"
                ),
            )
        warned += 1
    for user in users.filter(
        last_activity__lt=now - timedelta(days=deactivate_days),
        account_state__inactivity_warned_at__isnull=False,
        account_state__inactivity_warned_at__gte=F("last_activity"),
        account_state__inactivity_warned_at__lte=now - grace,
    ):
        with transaction.atomic():
            type(user).objects.filter(pk=user.pk).update(is_active=False)
            audit_record(
                actor=None,
                action="user.deactivated_inactive",
                target=user,
                target_label=user.email,
                data={"last_activity": user.last_activity.isoformat()},
            )
        deactivated += 1
    return {"warned": warned, "deactivated": deactivated}


# --- API tokens (django-rest-knox: only a SHA-512 digest is stored, every token expires) --------


class ApiTokenRefused(Exception):
    """No API token for this account (its role needs a second factor)."""


def _token_model() -> type[AuthToken]:
    from knox.models import get_token_model

    return get_token_model()


def api_token_ttl() -> timedelta:
    return timedelta(days=int(getattr(settings, "KPO_API_TOKEN_TTL_DAYS", 30)))


@transaction.atomic
def api_token_create(*, user: User) -> tuple[object, str]:
    """A new API token for ``user``. Returns the stored row and the token itself, which is shown
    once and never stored. Accounts whose role needs a second factor get none: a token would
    bypass it. At most ``KPO_API_TOKEN_LIMIT`` live tokens per user; the oldest give way."""
    from kpo.security.roles import user_requires_2fa

    if user_requires_2fa(user):
        raise ApiTokenRefused(
            "Beheeraccounts krijgen geen API-token; gebruik de beheeromgeving met "
            "tweestapsverificatie."
        )
    model = _token_model()
    model.objects.filter(user=user, expiry__lt=timezone.now()).delete()
    limit = int(getattr(settings, "KPO_API_TOKEN_LIMIT", 10))
    live = list(
        model.objects.filter(user=user).order_by("-created").values_list("digest", flat=True)
    )
    if len(live) >= limit:
        model.objects.filter(digest__in=live[limit - 1 :]).delete()
    instance, token = model.objects.create(user=user, expiry=api_token_ttl())
    audit_record(
        actor=user,
        action="security.api_token_created",
        target=user,
        target_label=user.email,
        data={"token_key": instance.token_key, "expiry": instance.expiry.isoformat()},
    )
    return instance, token


@transaction.atomic
def api_token_revoke(*, user: User, token_key: str, actor: User) -> bool:
    """Revoke one of ``user``'s tokens (by its public key, the first characters). ``actor`` is
    the user themself or a platform admin. Returns False when there was no such token."""
    deleted, _ = _token_model().objects.filter(user=user, token_key=token_key).delete()
    if deleted:
        audit_record(
            actor=actor,
            action="security.api_token_revoked",
            target=user,
            target_label=user.email,
            data={"token_key": token_key, "by_admin": actor is not None and actor != user},
        )
    return bool(deleted)


@transaction.atomic
def api_tokens_revoke_all(*, user: User, actor: User | None, reason: str) -> int:
    """Revoke every API token of ``user``; ``reason`` goes into the audit log."""
    deleted, _ = _token_model().objects.filter(user=user).delete()
    if deleted:
        audit_record(
            actor=actor,
            action="security.api_tokens_revoked",
            target=user,
            target_label=user.email,
            data={"count": deleted, "reason": reason},
        )
    return deleted


def api_tokens_revoke_if_2fa_mandatory(*, user: User) -> int:
    """Called on every change of a user's roles: once the role needs a second factor, the
    tokens the user had as a professional stop working."""
    from kpo.security.roles import user_requires_2fa

    if user is None or user.pk is None:
        return 0
    if not _token_model().objects.filter(user=user).exists() or not user_requires_2fa(user):
        return 0
    return api_tokens_revoke_all(user=user, actor=None, reason="role_requires_2fa")
