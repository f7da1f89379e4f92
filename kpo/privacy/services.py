"""AVG rights: export of one's own data, account deletion with anonymisation, retention.

Models of other apps are found with ``apps.get_model`` and skipped when they do not exist (yet),
so these services work whichever pillars are installed. What counts as a person's *posts* and as
*certificates* is configured per model label (``KPO_PRIVACY_CONTENT_MODELS``,
``KPO_PRIVACY_UNVERIFIABLE_MODELS``); the defaults name the communities and academie models.
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

if TYPE_CHECKING:
    from kpo.accounts.models import User
    from kpo.privacy.models import PrivacyPreference

logger = logging.getLogger("kpo.privacy")

PLACEHOLDER_EMAIL = "voormalig-deelnemer@placeholder.invalid"
REMOVED_BODY = "Deze bijdrage is op verzoek van de auteur verwijderd."
REMOVED_TITLE = "Verwijderde bijdrage"

# Fields through which a row *belongs to* a person (as opposed to e.g. ``decided_by``).
OWNER_FIELD_NAMES = (
    "user",
    "author",
    "learner",
    "recipient",
    "owner",
    "created_by",
    "participant",
    "holder",
    "attendee",
    "uploaded_by",
    "reporter",
    "reported_by",
    "student",
)
SECRET_FIELD_NAMES = {"password", "key", "token", "bin_key", "secret"}

# Export sections: (section name, model label). Missing models are skipped.
EXPORT_SECTIONS: tuple[tuple[str, str], ...] = (
    ("memberships", "communities.Membership"),
    ("join_requests", "communities.JoinRequest"),
    ("invitations", "communities.Invitation"),
    ("threads", "communities.Thread"),
    ("replies", "communities.Reply"),
    ("reactions", "communities.Reaction"),
    ("attachments", "communities.Attachment"),
    ("events", "communities.Event"),
    ("rsvps", "communities.RSVP"),
    ("flags", "communities.Flag"),
    ("enrolments", "academie.Enrolment"),
    ("lesson_progress", "academie.LessonProgress"),
    ("quiz_attempts", "academie.QuizAttempt"),
    ("certificates", "academie.Certificate"),
    ("training_registrations", "academie.Registration"),
    ("notifications", "notifications.Notification"),
    ("notification_preferences", "notifications.NotificationPreference"),
    ("follows", "communities.Follow"),
)

DEFAULT_CONTENT_MODELS = (
    "communities.Thread",
    "communities.Reply",
    "communities.Attachment",
    "communities.Event",
)
DEFAULT_UNVERIFIABLE_MODELS = ("academie.Certificate",)
# With ``remove_posts``: files are deleted, and earlier versions of removed posts too
# (``{revision model label: field pointing at the post}``).
DEFAULT_REMOVABLE_MODELS = ("communities.Attachment",)
DEFAULT_REVISION_MODELS = {
    "communities.ThreadRevision": "thread",
    "communities.ReplyRevision": "reply",
}
NAME_FIELD_NAMES = (
    "name",
    "holder_name",
    "recipient_name",
    "full_name",
    "learner_name",
    "name_on_certificate",
)


def _model(label: str) -> type[Any] | None:
    # Any: models are looked up by label at run time, their managers are not known statically.
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _user_fks(model: type[models.Model]) -> list[models.ForeignKey[Any, Any]]:
    user_model = get_user_model()
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.related_model is user_model
    ]


def _owner_fks(model: type[models.Model]) -> list[models.ForeignKey[Any, Any]]:
    return [f for f in _user_fks(model) if f.name in OWNER_FIELD_NAMES]


def _owned_rows(model: type[Any], user: User) -> models.QuerySet[Any]:
    fks = _owner_fks(model)
    if not fks:
        return model.objects.none()
    q = models.Q()
    for f in fks:
        q |= models.Q(**{f.name: user})
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


def _row_dict(obj: models.Model, user: User) -> dict[str, Any]:
    """One row, with references to *other* people left out (nobody else's data)."""
    user_model = get_user_model()
    out: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in SECRET_FIELD_NAMES:
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
    for section, label in EXPORT_SECTIONS:
        model = _model(label)
        if model is None:
            continue
        data[section] = [_row_dict(obj, user) for obj in _owned_rows(model, user).order_by("pk")]
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


def _labels(setting: str, default: tuple[str, ...]) -> list[type[models.Model]]:
    found = []
    for label in getattr(settings, setting, default):
        model = _model(label)
        if model is not None:
            found.append(model)
    return found


def _reindex(rows: list[models.Model]) -> None:
    if not rows:
        return
    try:
        from search.registry import model_for_label
        from search.services import index_enqueue
    except ImportError:  # pragma: no cover - search is part of the platform
        return
    for row in rows:
        if model_for_label(row._meta.label_lower) is not None:
            index_enqueue(row)


def _repoint(
    model: type[models.Model],
    fks: list[models.ForeignKey[Any, Any]],
    user: User,
    placeholder: User,
    *,
    remove: bool,
) -> int:
    changed = []
    for f in fks:
        for row in model._default_manager.filter(**{f.name: user}):
            setattr(row, f.name, placeholder)
            update = [f.name]
            if remove:
                for name, text in (
                    ("body", REMOVED_BODY),
                    ("title", REMOVED_TITLE),
                    ("description", REMOVED_BODY),
                ):
                    if any(x.name == name for x in model._meta.concrete_fields):
                        setattr(row, name, text)
                        update.append(name)
            model._default_manager.filter(pk=row.pk).update(**{n: getattr(row, n) for n in update})
            changed.append(row)
    _reindex(changed)
    return len(changed)


def _make_unverifiable(model: type[models.Model], user: User, placeholder: User) -> int:
    """Re-point certificates to the placeholder and replace the stored name, so a certificate
    code no longer verifies anyone by name. Where the placeholder already holds an equal row
    (a unique constraint, e.g. one certificate per course), the row is deleted instead."""
    from django.db import IntegrityError

    names = {
        f.name: PLACEHOLDER_LABEL
        for f in model._meta.concrete_fields
        if f.name in NAME_FIELD_NAMES and isinstance(f, (models.CharField, models.TextField))
    }
    done = 0
    for f in _owner_fks(model):
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

    - Posts (``KPO_PRIVACY_CONTENT_MODELS``) stay, re-pointed to the shared placeholder account
      "Voormalig deelnemer", so threads remain readable; with ``remove_posts`` their text is
      replaced by a removal notice as well (the thread structure of others' replies remains).
    - Certificates (``KPO_PRIVACY_UNVERIFIABLE_MODELS``) are re-pointed to the placeholder and
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

    if remove_posts:
        for model in _labels("KPO_PRIVACY_REMOVABLE_MODELS", DEFAULT_REMOVABLE_MODELS):
            rows = list(_owned_rows(model, user))
            for row in rows:
                row.delete()
            counts[model._meta.label] = len(rows)
            handled.update((model._meta.label, f.name) for f in _owner_fks(model))

    for model in _labels("KPO_PRIVACY_CONTENT_MODELS", DEFAULT_CONTENT_MODELS):
        fks = _owner_fks(model)
        if remove_posts:
            own_ids = list(_owned_rows(model, user).values_list("pk", flat=True))
            for label, field in getattr(
                settings, "KPO_PRIVACY_REVISION_MODELS", DEFAULT_REVISION_MODELS
            ).items():
                revision = _model(label)
                target = revision._meta.get_field(field).related_model if revision else None
                if revision is not None and target is model:
                    revision._default_manager.filter(**{f"{field}__in": own_ids}).delete()
        counts[model._meta.label] = _repoint(model, fks, user, placeholder, remove=remove_posts)
        handled.update((model._meta.label, f.name) for f in fks)

    for model in _labels("KPO_PRIVACY_UNVERIFIABLE_MODELS", DEFAULT_UNVERIFIABLE_MODELS):
        counts[model._meta.label] = _make_unverifiable(model, user, placeholder)
        handled.update((model._meta.label, f.name) for f in _owner_fks(model))

    for model in apps.get_models():
        for f in _user_fks(model):
            if (model._meta.label, f.name) in handled:
                continue
            if f.remote_field.on_delete in (models.PROTECT, models.RESTRICT):
                n = model._default_manager.filter(**{f.name: user}).update(**{f.name: placeholder})
                if n:
                    counts[model._meta.label] = counts.get(model._meta.label, 0) + n

    outbox = _model("notifications.EmailOutbox")
    if outbox is not None:
        outbox.objects.filter(to__iexact=user.email).delete()

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
    profile_model = _model("accounts.Profile")
    profile = profile_model.objects.filter(user_id=user_id).first() if profile_model else None
    with audit_suppressed():
        if profile is not None:
            from search.registry import model_for_label

            if model_for_label("accounts.profile") is not None:
                from search.services import index_delete

                index_delete(profile)
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
DEFAULT_SEARCH_QUERY_MODELS = ("search.SearchQuery", "search.SearchQueryLog", "search.QueryLog")
DATE_FIELD_NAMES = ("created_at", "searched_at", "timestamp", "day", "last_seen", "at", "created")


def _date_filter(model: type[models.Model], limit: datetime) -> dict[str, Any] | None:
    fields = {f.name: f for f in model._meta.concrete_fields}
    name = next((n for n in DATE_FIELD_NAMES if n in fields), None)
    if name is None:
        return None
    is_date_only = isinstance(fields[name], models.DateField) and not isinstance(
        fields[name], models.DateTimeField
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

    if (limit := cutoff("search_queries")) is not None:
        total = 0
        for model in _labels("KPO_RETENTION_SEARCH_QUERY_MODELS", DEFAULT_SEARCH_QUERY_MODELS):
            condition = _date_filter(model, limit)
            if condition:
                total += model._default_manager.filter(**condition).delete()[0]
        done["search_queries"] = total

    outbox = _model("notifications.EmailOutbox")
    if outbox is not None and (limit := cutoff("email_outbox")) is not None:
        done["email_outbox"] = outbox.objects.filter(
            sent_at__isnull=False, sent_at__lt=limit
        ).delete()[0]

    notification = _model("notifications.Notification")
    if notification is not None and (limit := cutoff("notifications")) is not None:
        done["notifications"] = notification.objects.filter(created_at__lt=limit).delete()[0]

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
