"""AVG rights: export of one's own data, account deletion with anonymisation, retention.

What counts as a person's data is declared by the app that owns it: every AppConfig lists its
``personal_data`` and ``retention`` (``kpo.privacy.declarations``), so these services know no
pillar's models or field names (the core never imports a pillar, docs/decisions/0018).
"""

from __future__ import annotations

import io
import json
import logging
import zipfile
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from kpo.audit.context import audit_suppressed
from kpo.audit.services import PLACEHOLDER_LABEL, audit_pseudonymise_user, audit_record
from kpo.core.signals import content_changed
from kpo.privacy.declarations import (
    OnDelete,
    PersonalData,
    personal_data_declarations,
    retention_declarations,
)

if TYPE_CHECKING:
    from kpo.accounts.models import User
    from kpo.privacy.models import PrivacyPreference

logger = logging.getLogger("kpo.privacy")

PLACEHOLDER_EMAIL = "voormalig-deelnemer@placeholder.invalid"
SECRET_FIELD_NAMES = {"password", "key", "token", "bin_key", "secret"}


def _user_fks(model: type[models.Model]) -> list[models.ForeignKey[Any, Any]]:
    user_model = get_user_model()
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.related_model is user_model
    ]


def _owner_fks(declaration: PersonalData) -> list[models.ForeignKey[Any, Any]]:
    """The declared owner lookups that are direct foreign keys to the user."""
    by_name = {f.name: f for f in _user_fks(declaration.model_class())}
    return [by_name[name] for name in declaration.owner if name in by_name]


def _owned_rows(declaration: PersonalData, user: User) -> models.QuerySet[Any]:
    model = declaration.model_class()
    q = models.Q()
    for lookup in declaration.owner:
        q |= models.Q(**{lookup: user})
    return model._default_manager.filter(q).distinct()


# --- export -------------------------------------------------------------------------------------


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str, list, dict)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, FieldFile):
        return value.name or None
    return str(value)


def _row_dict(obj: models.Model, user: User, fields: tuple[str, ...] = ()) -> dict[str, Any]:
    """One row (the ``fields`` named, or all), with references to *other* people left out
    (nobody else's data) and secrets never."""
    user_model = get_user_model()
    out: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in SECRET_FIELD_NAMES or (fields and field.name not in fields):
            continue
        if isinstance(field, models.ForeignKey):
            value = getattr(obj, field.attname)
            if field.related_model is user_model:
                if value == user.pk:
                    out[field.name] = "jij"
                continue
            out[field.name] = value
            if value is not None:
                out[f"{field.name}_naam"] = str(getattr(obj, field.name))[:300]
            continue
        out[field.name] = _json_value(field.value_from_object(obj))
    return out


def data_export_dict(*, user: User) -> dict[str, Any]:
    """Everything the platform holds about ``user`` (and nothing about anyone else)."""
    data: dict[str, Any] = {
        "geexporteerd_op": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "voornaam": user.first_name,
            "achternaam": user.last_name,
            "lid_sinds": user.date_joined.isoformat(),
            "laatst_ingelogd": user.last_login.isoformat() if user.last_login else None,
            "groepen": sorted(user.groups.values_list("name", flat=True)),
        },
        "profiel": None,
    }
    profile = getattr(user, "profile", None) if hasattr(user, "profile") else None
    if profile is not None:
        data["profiel"] = {
            **_row_dict(profile, user),
            "expertise": sorted(profile.expertise_themes.values_list("title", flat=True)),
        }
    from kpo.privacy.models import PrivacyPreference

    pref = PrivacyPreference.objects.filter(user=user).first()
    data["voorkeuren"] = {"email_notifications": bool(pref and pref.email_notifications)}
    for declaration in personal_data_declarations():
        if declaration.section is None:
            continue
        rows = _owned_rows(declaration, user).order_by("pk")
        data[declaration.section] = [_row_dict(obj, user, declaration.fields) for obj in rows]
    from kpo.audit.models import AuditEntry

    data["activiteiten_in_auditlog"] = [
        {"tijdstip": e.created_at.isoformat(), "actie": e.action, "object": e.target_label}
        for e in AuditEntry.objects.filter(actor=user).order_by("created_at")
    ]
    return data


def data_export(*, user: User) -> bytes:
    """The export as a ZIP holding ``gegevens.json`` and a short explanation. Audited."""
    data = data_export_dict(user=user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "gegevens.json", json.dumps(data, ensure_ascii=False, indent=2, default=str)
        )
        archive.writestr(
            "LEESMIJ.txt",
            "Dit zijn al je gegevens op het Kennisplatform Ondermijning (AVG, recht op inzage "
            "en dataportabiliteit). gegevens.json bevat je account, profiel, lidmaatschappen, "
            "bijdragen, leerresultaten, certificaten en meldingen.\n",
        )
    audit_record(
        actor=user,
        action="privacy.export",
        target=user,
        target_label=user.email,
        data={"sections": sorted(k for k, v in data.items() if v)},
    )
    return buffer.getvalue()


# --- deletion -----------------------------------------------------------------------------------


def placeholder_user() -> User:
    """The one shared account "Voormalig deelnemer" that posts of deleted people point to. It
    cannot log in: inactive and without a usable password."""
    user_model = get_user_model()
    user = user_model.objects.filter(email=PLACEHOLDER_EMAIL).first()
    if user is None:
        user = user_model(
            email=PLACEHOLDER_EMAIL,
            first_name="Voormalig",
            last_name="deelnemer",
            is_active=False,
        )
        user.set_unusable_password()
        user.save()
    return user


def _reindex(rows: list[models.Model]) -> None:
    """Rows changed with ``QuerySet.update`` send no ``post_save``: tell whoever indexes them."""
    for row in rows:
        content_changed.send(sender=type(row), instance=row)


def _repoint(declaration: PersonalData, user: User, placeholder: User, *, remove: bool) -> int:
    model = declaration.model_class()
    changed = []
    for f in _owner_fks(declaration):
        for row in model._default_manager.filter(**{f.name: user}):
            setattr(row, f.name, placeholder)
            update = [f.name]
            if remove:
                for name, text in declaration.removal_text:
                    setattr(row, name, text)
                    update.append(name)
            model._default_manager.filter(pk=row.pk).update(**{n: getattr(row, n) for n in update})
            changed.append(row)
    _reindex(changed)
    return len(changed)


def _make_unverifiable(declaration: PersonalData, user: User, placeholder: User) -> int:
    """Re-point certificates to the placeholder and replace the stored name, so a certificate
    code no longer verifies anyone by name. Where the placeholder already holds an equal row
    (a unique constraint, e.g. one certificate per course), the row is deleted instead."""
    from django.db import IntegrityError

    model = declaration.model_class()
    names = dict.fromkeys(declaration.name_fields, PLACEHOLDER_LABEL)
    done = 0
    for f in _owner_fks(declaration):
        for pk in list(
            model._default_manager.filter(**{f.name: user}).values_list("pk", flat=True)
        ):
            try:
                with transaction.atomic():
                    model._default_manager.filter(pk=pk).update(**{f.name: placeholder}, **names)
            except IntegrityError:
                model._default_manager.filter(pk=pk).delete()
            done += 1
    return done


@transaction.atomic
def account_delete(*, user: User, remove_posts: bool, actor: User | None = None) -> dict[str, int]:
    """Delete an account and its personal data (AVG, right to erasure).

    - Posts (declared ``OnDelete.KEEP_AS_POST``) stay, re-pointed to the shared placeholder account
      "Voormalig deelnemer", so threads remain readable; with ``remove_posts`` their text is
      replaced by a removal notice as well (the thread structure of others' replies remains), their
      declared revisions are deleted and ``removable`` rows (files) are deleted.
    - Certificates (declared ``OnDelete.UNVERIFIABLE``) are re-pointed to the placeholder and
      lose any stored name: they no longer verify anyone by name.
    - Rows that protect the user from deletion (``PROTECT``/``RESTRICT``) are re-pointed too;
      everything else cascades or is set to NULL by the database rules.
    - Outgoing e-mail to the address is deleted; audit labels naming the person are
      pseudonymised. One audit entry records the request (with counts, no personal data).
    Returns counts per model label.
    """
    user_model = get_user_model()
    user = user_model.objects.select_for_update().get(pk=user.pk)
    if user.email == PLACEHOLDER_EMAIL:
        raise ValueError("The placeholder account cannot be deleted.")
    placeholder = placeholder_user()
    counts: dict[str, int] = {}
    handled: set[tuple[str, str]] = set()

    declarations = list(personal_data_declarations())
    if remove_posts:
        for declaration in declarations:
            if not declaration.removable:
                continue
            rows = list(_owned_rows(declaration, user))
            for row in rows:
                row.delete()
            label = declaration.model_class()._meta.label
            counts[label] = len(rows)
            handled.update((label, f.name) for f in _owner_fks(declaration))

    for declaration in declarations:
        if declaration.on_delete != OnDelete.KEEP_AS_POST:
            continue
        model = declaration.model_class()
        if remove_posts:
            own_ids = list(_owned_rows(declaration, user).values_list("pk", flat=True))
            for revision_label, field in declaration.revisions:
                revision = apps.get_model(revision_label)
                revision._default_manager.filter(**{f"{field}__in": own_ids}).delete()
        counts[model._meta.label] = _repoint(declaration, user, placeholder, remove=remove_posts)
        handled.update((model._meta.label, f.name) for f in _owner_fks(declaration))

    for declaration in declarations:
        if declaration.on_delete != OnDelete.UNVERIFIABLE:
            continue
        model = declaration.model_class()
        counts[model._meta.label] = _make_unverifiable(declaration, user, placeholder)
        handled.update((model._meta.label, f.name) for f in _owner_fks(declaration))

    for model in apps.get_models():
        for f in _user_fks(model):
            if (model._meta.label, f.name) in handled:
                continue
            if f.remote_field.on_delete in (models.PROTECT, models.RESTRICT):
                n = model._default_manager.filter(**{f.name: user}).update(**{f.name: placeholder})
                if n:
                    counts[model._meta.label] = counts.get(model._meta.label, 0) + n

    from kpo.notifications.models import EmailOutbox

    EmailOutbox.objects.filter(to__iexact=user.email).delete()

    user_id, email = user.pk, user.email
    audit_record(
        actor=actor or user,
        action="privacy.account_deleted",
        target=user,
        target_label=f"{PLACEHOLDER_LABEL} #{user_id}",
        data={
            "remove_posts": remove_posts,
            "counts": counts,
            "self_service": actor is None or actor.pk == user_id,
        },
    )
    # The profile cascades with the user; its ``post_delete`` takes it out of people search.
    with audit_suppressed():
        user.delete()
    audit_pseudonymise_user(user_id=user_id, email=email)
    logger.info("Account %s deleted (remove_posts=%s)", user_id, remove_posts)
    return counts


# --- preferences --------------------------------------------------------------------------------


@transaction.atomic
def preferences_update(*, user: User, email_notifications: bool) -> PrivacyPreference:
    from kpo.privacy.models import PrivacyPreference

    pref, _ = PrivacyPreference.objects.select_for_update().get_or_create(user=user)
    if pref.email_notifications != email_notifications:
        pref.email_notifications = email_notifications
        pref.save(update_fields=["email_notifications", "updated_at"])
        audit_record(
            actor=user,
            action="privacy.preferences_changed",
            target=user,
            target_label=user.email,
            data={"email_notifications": email_notifications},
        )
    return pref


# --- retention ----------------------------------------------------------------------------------

DEFAULT_RETENTION_DAYS: dict[str, int | None] = {
    "audit": 730,
    "search_queries": 90,
    "email_outbox": 30,
    "notifications": 365,
    "unconfirmed_registrations": 14,
}


def _date_filter(model: type[models.Model], name: str, limit: datetime) -> dict[str, Any]:
    field = model._meta.get_field(name)
    is_date_only = isinstance(field, models.DateField) and not isinstance(
        field, models.DateTimeField
    )
    return {f"{name}__lt": limit.date() if is_date_only else limit}


def retention_enforce(*, now: datetime | None = None) -> dict[str, int]:
    """Delete what has outlived its retention period (``KPO_RETENTION_DAYS`` per data type; a
    missing or empty value keeps that type). Returns deleted row counts per type."""
    now = now or timezone.now()
    days = {**DEFAULT_RETENTION_DAYS, **getattr(settings, "KPO_RETENTION_DAYS", {})}
    done: dict[str, int] = {}

    def cutoff(kind: str) -> datetime | None:
        value = days.get(kind)
        return now - timedelta(days=int(value)) if value else None

    if (limit := cutoff("audit")) is not None:
        from kpo.audit.models import AuditEntry

        done["audit"] = AuditEntry.objects.filter(created_at__lt=limit).delete()[0]

    for declaration in retention_declarations():
        if (limit := cutoff(declaration.kind)) is not None:
            model = declaration.model_class()
            condition = _date_filter(model, declaration.date_field, limit)
            deleted = model._default_manager.filter(**condition).delete()[0]
            done[declaration.kind] = done.get(declaration.kind, 0) + deleted

    from kpo.notifications.models import EmailOutbox, Notification

    if (limit := cutoff("email_outbox")) is not None:
        done["email_outbox"] = EmailOutbox.objects.filter(
            sent_at__isnull=False, sent_at__lt=limit
        ).delete()[0]

    if (limit := cutoff("notifications")) is not None:
        done["notifications"] = Notification.objects.filter(created_at__lt=limit).delete()[0]

    if (limit := cutoff("unconfirmed_registrations")) is not None:
        from kpo.security.models import AccountState

        stale = AccountState.objects.filter(
            email_confirmed_at__isnull=True,
            user__is_active=False,
            user__last_login__isnull=True,
            created_at__lt=limit,
        ).values_list("user_id", flat=True)
        done["unconfirmed_registrations"] = (
            get_user_model().objects.filter(pk__in=list(stale)).delete()[0]
        )
    logger.info("Retention: %s", done)
    return done
