"""Writes of the audit log.

Other apps record what they decide through ``audit_record`` — one call, in the same transaction as
the change it records (so a rolled-back change leaves no entry)::

    from kpo.audit.services import audit_record
    audit_record(actor=request.user, action="moderation.reply_hidden", target=reply,
                 data={"reason": reason})

Action names are ``<area>.<verb>`` in English (see ``ACTIONS`` for the known ones); ``data`` must be
JSON-serialisable and hold ids, not personal data.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, cast

from django.db import models

from kpo.audit.context import current_request
from kpo.audit.models import AuditEntry

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from kpo.accounts.models import User

logger = logging.getLogger("kpo.audit")

PLACEHOLDER_LABEL = "Voormalig deelnemer"

# Known actions and their Dutch labels (shown in the admin filter). Unknown actions are allowed.
ACTIONS: dict[str, str] = {
    "membership.created": "Lidmaatschap aangemaakt",
    "membership.role_changed": "Rol gewijzigd",
    "membership.state_changed": "Status lidmaatschap gewijzigd",
    "membership.deleted": "Lidmaatschap verwijderd",
    "join_request.approved": "Lidmaatschapsverzoek goedgekeurd",
    "join_request.rejected": "Lidmaatschapsverzoek afgewezen",
    "moderation.action": "Moderatie",
    "workflow.submitted": "Ter beoordeling aangeboden",
    "workflow.approved": "Workflow goedgekeurd",
    "workflow.rejected": "Workflow afgewezen",
    "workflow.task_approved": "Workflowtaak goedgekeurd",
    "workflow.task_rejected": "Workflowtaak afgewezen",
    "document.restricted_download": "Beperkt document gedownload",
    "privacy.export": "Gegevens geëxporteerd",
    "privacy.account_deleted": "Account verwijderd",
    "privacy.preferences_changed": "Privacyvoorkeuren gewijzigd",
    "user.admin_changed": "Gebruiker gewijzigd door beheerder",
    "user.admin_groups_changed": "Groepen gewijzigd door beheerder",
    "user.registered": "Registratie",
    "user.registration_approved": "Registratie goedgekeurd",
    "user.registration_rejected": "Registratie afgewezen",
    "user.deactivated_inactive": "Account gedeactiveerd wegens inactiviteit",
    "security.login_locked": "Inloggen geblokkeerd",
    "security.password_reset_locked": "Wachtwoordherstel geblokkeerd",
    "security.otp_enabled": "Tweestapsverificatie ingesteld",
    "security.otp_failed": "Tweestapsverificatie mislukt",
}


def _actor_label(actor: User | AnonymousUser | None) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return ""
    return getattr(actor, "email", "") or str(actor)


def _client_ip(request: HttpRequest | None) -> str | None:
    from kpo.security.ip import UNKNOWN, client_ip

    ip = client_ip(request)
    return None if ip == UNKNOWN else ip


def audit_record(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
    target_label: str | None = None,
) -> AuditEntry:
    """Append one entry. ``actor`` is the acting user (or None for the system); ``target`` the
    object acted upon (any model instance, or None). Never raises on a bad label; raises
    ``TypeError`` when ``data`` is not a dict."""
    if data is not None and not isinstance(data, dict):
        raise TypeError("audit_record: data must be a dict")
    request = current_request()
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    entry = AuditEntry(
        actor=cast("User | None", actor),  # an anonymous actor was made None above
        actor_label=_actor_label(actor)[:300],
        action=action[:100],
        data=data or {},
        ip_address=_client_ip(request),
    )
    if target is not None:
        entry.target_type = target._meta.label_lower
        entry.target_id = str(target.pk)
        entry.target_label = (target_label if target_label is not None else str(target))[:300]
    elif target_label:
        entry.target_label = target_label[:300]
    entry.save()
    logger.info(
        "audit %s by %s on %s:%s", action, entry.actor_id, entry.target_type, entry.target_id
    )
    return entry


def audit_pseudonymise_user(*, user_id: int, email: str = "") -> int:
    """Replace the labels that name a (deleted) person by the placeholder. Returns rows changed."""
    changed = AuditEntry.objects.filter(actor_id=user_id).update(actor_label=PLACEHOLDER_LABEL)
    label = f"{PLACEHOLDER_LABEL} #{user_id}"
    changed += AuditEntry.objects.filter(
        target_type="accounts.user", target_id=str(user_id)
    ).update(target_label=label)
    if email:
        changed += AuditEntry.objects.filter(actor_label__iexact=email).update(
            actor_label=PLACEHOLDER_LABEL
        )
        changed += AuditEntry.objects.filter(target_label__icontains=email).update(
            target_label=label
        )
    return changed
