"""Writes of community files beyond the upload (``posts.attachment_create``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction

from communities.models import Attachment, ModerationLog
from communities.selectors import can_moderate
from communities.services.rights import moderation_log_write

if TYPE_CHECKING:
    from kpo.accounts.models import User


@transaction.atomic
def attachment_delete(*, attachment: Attachment, actor: User) -> None:
    """Remove a community file: the row now, the stored object (filesystem or S3) once the
    transaction commits. The uploader or a moderator of the community may do this."""
    community = attachment.community
    is_uploader = attachment.uploaded_by_id == actor.pk
    if not is_uploader and not can_moderate(community=community, user=actor):
        raise PermissionDenied("Je kunt alleen je eigen bestanden verwijderen.")
    storage, name = attachment.file.storage, attachment.file.name
    if not is_uploader:
        moderation_log_write(
            community,
            actor,
            ModerationLog.Action.DELETE,
            thread=attachment.thread,
            reply=attachment.reply,
            note=attachment.filename,
        )
    attachment.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
