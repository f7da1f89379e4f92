"""Writes of accounts: profiles, profile photos and messages between colleagues."""

from __future__ import annotations

import logging
import secrets
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from kpo.accounts.models import Conversation, ConversationMessage, Profile, User

if TYPE_CHECKING:
    from django.core.files import File
    from django.core.files.storage import Storage
    from django.core.files.uploadedfile import UploadedFile

logger = logging.getLogger(__name__)


@transaction.atomic
def profile_get_or_create(*, user: User) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def profile_update(*, user: User, data: dict[str, Any]) -> Profile:
    """Update the editable profile fields. ``data`` is cleaned form or serializer data.

    The person's search document follows by itself: the search app listens to saves of the
    profile, its expertise themes and its user (``search.signal_handlers``)."""
    profile = profile_get_or_create(user=user)
    for name in ("organisation", "region", "function", "bio", "accepts_contact"):
        if name in data:
            setattr(profile, name, data[name])
    profile.full_clean()
    profile.save()
    if "expertise_themes" in data:
        profile.expertise_themes.set(data["expertise_themes"])
    if "first_name" in data or "last_name" in data:
        user.first_name = data.get("first_name", user.first_name)
        user.last_name = data.get("last_name", user.last_name)
        user.full_clean(exclude=["password"])
        user.save(update_fields=["first_name", "last_name"])
    return profile


# --- profile photo (docs/decisions/0031) ---------------------------------------------------------


def _photo_storage() -> Storage:
    return Profile._meta.get_field("photo").storage


def _photo_files(profile: Profile) -> list[str]:
    names = [str(name) for name in (profile.photo_variants or {}).values()]
    if profile.photo:
        names.append(profile.photo.name)
    return names


def profile_photo_storage_open(*, name: str) -> File[bytes]:
    """Open a stored photo file for streaming (raises ``OSError`` when it is gone)."""
    try:
        return _photo_storage().open(name, "rb")
    except FileNotFoundError:
        raise
    except Exception as exc:  # noqa: BLE001 - e.g. an S3 error: the same as a missing file
        raise OSError(str(exc)) from exc


def profile_photo_files_delete(*, names: list[str]) -> None:
    """Remove stored photo files (after the change that dropped them committed)."""
    storage = _photo_storage()
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # noqa: BLE001 - a file already gone is fine; never fail the request
            logger.warning("Could not delete a profile photo file.")


@transaction.atomic
def profile_photo_set(*, user: User, uploaded: UploadedFile) -> Profile:
    """Check, re-encode and store a new profile photo (``kpo.accounts.photos``); the previous
    files are deleted after commit. Raises ``ValidationError`` (Dutch) before anything is
    written."""
    from kpo.accounts.photos import photo_process

    processed = photo_process(uploaded=uploaded)
    profile = Profile.objects.select_for_update().get(pk=profile_get_or_create(user=user).pk)
    old = _photo_files(profile)
    storage = _photo_storage()
    token = secrets.token_hex(8)
    written: list[str] = []
    try:
        variants = {}
        for side, data in processed.webp.items():
            name = storage.save(f"profiles/{user.pk}/{token}-{side}.webp", ContentFile(data))
            written.append(name)
            variants[str(side)] = name
        jpeg = storage.save(f"profiles/{user.pk}/{token}.jpg", ContentFile(processed.jpeg))
        written.append(jpeg)
    except Exception:
        profile_photo_files_delete(names=written)
        raise
    transaction.on_commit(lambda: profile_photo_files_delete(names=old))
    profile.photo.name = jpeg
    profile.photo_variants = variants
    profile.save(update_fields=["photo", "photo_variants", "updated_at"])
    return profile


@transaction.atomic
def profile_photo_remove(*, user: User) -> Profile:
    profile = Profile.objects.select_for_update().get(pk=profile_get_or_create(user=user).pk)
    old = _photo_files(profile)
    profile.photo = ""
    profile.photo_variants = {}
    profile.save(update_fields=["photo", "photo_variants", "updated_at"])
    transaction.on_commit(lambda: profile_photo_files_delete(names=old))
    return profile


# --- contact between colleagues (docs/decisions/0031) --------------------------------------------

SUBJECT_MAX = 200
BODY_MAX = 5000


class ContactRefused(PermissionDenied):
    """The message may not be sent; ``str(exc)`` is a Dutch message for the sender."""


def _contact_allowed(*, author: User, recipient: User, to_expert: bool) -> None:
    from kpo.core.access import PLATFORM, user_principals

    if PLATFORM not in user_principals(author):
        raise ContactRefused("Alleen ingelogde professionals kunnen collega's een bericht sturen.")
    if author.pk == recipient.pk:
        raise ContactRefused("Je kunt jezelf geen bericht sturen.")
    if not recipient.is_active:
        raise ContactRefused("Deze collega is niet meer actief op het platform.")
    if to_expert:
        accepts = Profile.objects.filter(user=recipient, accepts_contact=True).exists()
        if not accepts:
            raise ContactRefused("Deze collega ontvangt geen berichten via het platform.")


def _text_clean(*, value: str, field: str, maximum: int, label: str) -> str:
    text = (value or "").replace("\x00", "").strip()
    if not text:
        raise ValidationError({field: f"Vul {label} in."}, code="required")
    if len(text) > maximum:
        raise ValidationError(
            {field: f"{label.capitalize()} is te lang (maximaal {maximum} tekens)."},
            code="max_length",
        )
    return text


def _message_add(
    *,
    conversation: Conversation,
    author: User,
    body: str,
    kinds: list[str],
    reason: str | None,
) -> ConversationMessage:
    from django.utils import timezone

    from kpo.audit.services import audit_record
    from kpo.notifications.services import notify

    message = ConversationMessage.objects.create(
        conversation=conversation,
        author=author,
        body=body,
        case_data_kinds=kinds,
        case_data_reason=(reason or "").strip() if kinds else "",
    )
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=timezone.now())
    if kinds:
        audit_record(
            actor=author,
            action="contact.case_data_confirmed",
            target=message,
            target_label=f"bericht {message.pk}",
            data={"kinds": kinds},
        )
    recipient = conversation.other_party(author)
    # Neither the in-app notification nor its e-mail carries the message or any address: the
    # recipient reads it on the platform; the e-mail comes from the platform's own address.
    notify(
        recipients=[recipient],
        kind="contact.message",
        title=f"Nieuw bericht van {author.display_name}: {conversation.subject}"[:300],
        body=(
            f"{author.display_name} stuurde je een bericht via het Kennisplatform Ondermijning. "
            "Lees en beantwoord het op het platform; je e-mailadres blijft verborgen."
        ),
        url=conversation.get_absolute_url(),
        key=f"contact-message:{message.pk}",
    )
    return message


@transaction.atomic
def contact_message_send(
    *,
    sender: User,
    expert: User,
    subject: str,
    body: str,
    case_data_reason: str | None = None,
) -> ConversationMessage:
    """Start a conversation with a colleague from their profile. Refused (``ContactRefused``)
    when the colleague switched contact off, is inactive or is the sender; warns
    (``CaseDataWarning``) about personal case data like a community post does."""
    from kpo.core.casedata import case_data_check

    _contact_allowed(author=sender, recipient=expert, to_expert=True)
    subject = _text_clean(
        value=subject, field="subject", maximum=SUBJECT_MAX, label="een onderwerp"
    )
    body = _text_clean(value=body, field="body", maximum=BODY_MAX, label="een bericht")
    kinds = case_data_check(parts={"subject": subject, "body": body}, reason=case_data_reason)
    conversation = Conversation.objects.create(sender=sender, expert=expert, subject=subject)
    return _message_add(
        conversation=conversation, author=sender, body=body, kinds=kinds, reason=case_data_reason
    )


@transaction.atomic
def conversation_reply(
    *,
    conversation: Conversation,
    author: User,
    body: str,
    case_data_reason: str | None = None,
) -> ConversationMessage:
    """Answer in a conversation. Only its two participants write; the one who started it only
    while the colleague still accepts messages."""
    from kpo.core.casedata import case_data_check

    if author.pk not in (conversation.sender_id, conversation.expert_id):
        raise ContactRefused("Je neemt niet deel aan dit gesprek.")
    recipient = conversation.other_party(author)
    _contact_allowed(
        author=author, recipient=recipient, to_expert=recipient.pk == conversation.expert_id
    )
    body = _text_clean(value=body, field="body", maximum=BODY_MAX, label="een bericht")
    kinds = case_data_check(parts={"body": body}, reason=case_data_reason)
    return _message_add(
        conversation=conversation, author=author, body=body, kinds=kinds, reason=case_data_reason
    )
