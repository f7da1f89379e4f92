"""Writing posts: creating threads and replies (with attachments and the case-data check),
accepting an answer, editing and soft-deleting a post."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from communities.models import (
    Attachment,
    Community,
    Follow,
    Reply,
    ReplyRevision,
    Thread,
    ThreadRevision,
)
from communities.sanitize import html_to_text, sanitize_html
from communities.selectors import can_moderate
from communities.services.casedata import case_data_check, case_data_confirm, filename_text
from communities.services.membership import require_member
from communities.services.rights import moderation_log_write
from communities.services.suspension import require_not_suspended
from communities.uploads import attachment_check
from kpo.core.access import can_read
from kpo.notifications.services import notify
from search.services import index_delete, index_enqueue

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from kpo.accounts.models import User


# --- threads and replies -------------------------------------------------------------------------


def _case_data_parts(
    *, title: str | None = None, body: str | None = None, uploads: Iterable[UploadedFile] = ()
) -> dict[str, str]:
    """The texts the case-data guard reads: title, the body as plain text, each file name."""
    parts: dict[str, str] = {}
    if title:
        parts["title"] = title
    if body:
        parts["body"] = html_to_text(body)
    for index, uploaded in enumerate(uploads):
        name = getattr(uploaded, "name", "") or ""
        parts[f"filename:{index}" if index else "filename"] = filename_text(name)
    return parts


def _clean_body(body: str) -> str:
    clean = sanitize_html(body)
    if not html_to_text(clean).strip():
        raise ValidationError({"body": "Schrijf een tekst."})
    if len(clean) > 50_000:
        raise ValidationError({"body": "De tekst is te lang (maximaal 50.000 tekens)."})
    return clean


def _post_files_and_follow(
    *,
    community: Community,
    author: User,
    thread: Thread,
    reply: Reply | None = None,
    uploads: list[UploadedFile],
    kinds: list[str],
    case_data_reason: str | None,
) -> None:
    """What a new thread or reply brings along: its files, the author's confirmation of the
    case data the guard found (``kinds``), and the author following the thread."""
    for uploaded in uploads:
        _attachment_store(
            community=community, user=author, uploaded=uploaded, thread=thread, reply=reply
        )
    if kinds:
        case_data_confirm(
            community=community,
            author=author,
            kinds=kinds,
            reason=case_data_reason or "",
            thread=thread,
            reply=reply,
        )
    Follow.objects.get_or_create(user=author, community=community, thread=thread)


@transaction.atomic
def thread_create(
    *,
    community: Community,
    author: User,
    title: str,
    body: str,
    kind: str = Thread.Kind.QUESTION,
    uploads: Iterable[UploadedFile] = (),
    case_data_reason: str | None = None,
) -> Thread:
    """Start a question or discussion. In an open community the author joins on the way;
    followers of the community are notified. Title, text and file names pass the case-data
    guard first (``CaseDataWarning`` unless ``case_data_reason`` is given)."""
    if not can_read(author, community):
        raise PermissionDenied("Word eerst lid van deze community.")
    require_not_suspended(user=author, community=community)
    require_member(community, author, auto_join_open=True)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Geef een titel."})
    if len(title) > 200:
        raise ValidationError({"title": "De titel is te lang (maximaal 200 tekens)."})
    if kind not in Thread.Kind.values:
        raise ValidationError({"kind": "Kies vraag of discussie."})
    clean = _clean_body(body)
    uploads = list(uploads)
    kinds = case_data_check(
        parts=_case_data_parts(title=title, body=clean, uploads=uploads),
        reason=case_data_reason,
    )
    thread = Thread.objects.create(
        community=community, author=author, title=title, body=clean, kind=kind
    )
    _post_files_and_follow(
        community=community,
        author=author,
        thread=thread,
        uploads=uploads,
        kinds=kinds,
        case_data_reason=case_data_reason,
    )
    followers = (
        get_user_model()
        .objects.filter(
            community_follows__community=community, community_follows__thread__isnull=True
        )
        .exclude(pk=author.pk)
    )
    notify(
        recipients=followers,
        kind="new_thread",
        title=f"Nieuw in {community.name}: {title}",
        body=html_to_text(thread.body)[:500],
        url=thread.get_absolute_url(),
        community=community,
        subject=thread,
        key=f"new-thread:{thread.pk}",
    )
    index_enqueue(thread)
    return thread


@transaction.atomic
def reply_create(
    *,
    thread: Thread,
    author: User,
    body: str,
    uploads: Iterable[UploadedFile] = (),
    case_data_reason: str | None = None,
) -> Reply:
    """Reply to a thread; text and file names pass the case-data guard first."""
    community = thread.community
    require_not_suspended(user=author, community=community)
    require_member(community, author, auto_join_open=True)
    if thread.is_removed:
        raise ValidationError("Dit onderwerp bestaat niet meer.")
    if thread.locked:
        raise ValidationError("Dit onderwerp is gesloten; reageren is niet meer mogelijk.")
    clean = _clean_body(body)
    uploads = list(uploads)
    kinds = case_data_check(
        parts=_case_data_parts(body=clean, uploads=uploads), reason=case_data_reason
    )
    reply = Reply.objects.create(thread=thread, author=author, body=clean)
    _post_files_and_follow(
        community=community,
        author=author,
        thread=thread,
        reply=reply,
        uploads=uploads,
        kinds=kinds,
        case_data_reason=case_data_reason,
    )
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=reply.created_at)
    followers = (
        get_user_model().objects.filter(community_follows__thread=thread).exclude(pk=author.pk)
    )
    notify(
        recipients=followers,
        kind="new_reply",
        title=f"Nieuwe reactie op: {thread.title}",
        body=html_to_text(reply.body)[:500],
        url=reply.get_absolute_url(),
        community=community,
        subject=thread,
        key=f"new-reply:{reply.pk}",
    )
    index_enqueue(thread)
    return reply


@transaction.atomic
def reply_accept(*, reply: Reply, actor: User) -> Thread:
    """Mark a reply as the accepted answer (thread author or moderator)."""
    thread = reply.thread
    community = thread.community
    require_not_suspended(user=actor, community=community)
    is_author = thread.author_id == actor.pk
    if not is_author and not can_moderate(community=community, user=actor):
        raise PermissionDenied(
            "Alleen wie de vraag stelde of een moderator kan een antwoord accepteren."
        )
    if reply.is_removed:
        raise ValidationError("Deze reactie is verwijderd.")
    thread.accepted_reply = reply
    thread.save(update_fields=["accepted_reply", "updated_at"])
    if not is_author:
        moderation_log_write(community, actor, "accept", thread=thread, reply=reply)
    if reply.author and reply.author_id != actor.pk:
        notify(
            recipients=[reply.author],
            kind="answer_accepted",
            title=f"Je antwoord is geaccepteerd: {thread.title}",
            url=reply.get_absolute_url(),
            community=community,
            subject=thread,
            key=f"accepted:{reply.pk}",
        )
    index_enqueue(thread)
    return thread


@transaction.atomic
def post_edit(
    *,
    post: Thread | Reply,
    actor: User,
    body: str,
    title: str | None = None,
    case_data_reason: str | None = None,
) -> Thread | Reply:
    """Edit a thread or reply (author or moderator). The earlier version is kept for moderators.
    The new text passes the case-data guard first."""
    community = post.get_community()
    require_not_suspended(user=actor, community=community)
    is_author = post.author_id == actor.pk
    if not is_author and not can_moderate(community=community, user=actor):
        raise PermissionDenied("Je kunt alleen je eigen berichten bewerken.")
    if post.is_removed:
        raise ValidationError("Dit bericht is verwijderd.")
    clean = _clean_body(body)
    kinds = case_data_check(
        parts=_case_data_parts(title=title if isinstance(post, Thread) else None, body=clean),
        reason=case_data_reason,
    )
    if isinstance(post, Thread):
        ThreadRevision.objects.create(
            thread=post, title=post.title, body=post.body, edited_by=actor
        )
        if title is not None:
            if not title.strip():
                raise ValidationError({"title": "Geef een titel."})
            post.title = title.strip()[:200]
        thread = post
    else:
        ReplyRevision.objects.create(reply=post, body=post.body, edited_by=actor)
        thread = post.thread
    post.body = clean
    post.edited_at = timezone.now()
    post.save()
    if kinds:
        case_data_confirm(
            community=community,
            author=actor,
            kinds=kinds,
            reason=case_data_reason or "",
            thread=thread,
            reply=post if isinstance(post, Reply) else None,
        )
    if not is_author:
        moderation_log_write(
            community, actor, "edit", thread=thread, reply=post if isinstance(post, Reply) else None
        )
    index_enqueue(thread)
    return post


@transaction.atomic
def post_soft_delete(*, post: Thread | Reply, actor: User) -> None:
    community = post.get_community()
    is_author = post.author_id == actor.pk
    if not is_author and not can_moderate(community=community, user=actor):
        raise PermissionDenied("Je kunt alleen je eigen berichten verwijderen.")
    post.is_deleted = True
    post.save(update_fields=["is_deleted", "updated_at"])
    if isinstance(post, Thread):
        thread = post
        index_delete(thread)
    else:
        thread = post.thread
        if thread.accepted_reply_id == post.pk:
            thread.accepted_reply = None
            thread.save(update_fields=["accepted_reply", "updated_at"])
        index_enqueue(thread)
    if not is_author:
        moderation_log_write(
            community,
            actor,
            "delete",
            thread=thread,
            reply=post if isinstance(post, Reply) else None,
        )


# --- files ---------------------------------------------------------------------------------------


@transaction.atomic
def attachment_create(
    *,
    community: Community,
    user: User,
    uploaded: UploadedFile,
    thread: Thread | None = None,
    reply: Reply | None = None,
    case_data_reason: str | None = None,
) -> Attachment:
    """Store a checked file. A refused file raises ``ValidationError`` before anything is
    written; a file name with case data raises ``CaseDataWarning`` unless a reason is given."""
    require_not_suspended(user=user, community=community)
    require_member(community, user, auto_join_open=True)
    kinds = case_data_check(parts=_case_data_parts(uploads=[uploaded]), reason=case_data_reason)
    attachment = _attachment_store(
        community=community, user=user, uploaded=uploaded, thread=thread, reply=reply
    )
    if kinds:
        case_data_confirm(
            community=community,
            author=user,
            kinds=kinds,
            reason=case_data_reason or "",
            attachment=attachment,
        )
    return attachment


def _attachment_store(
    *,
    community: Community,
    user: User,
    uploaded: UploadedFile,
    thread: Thread | None = None,
    reply: Reply | None = None,
) -> Attachment:
    """Check the file's content and store it (the callers ran the case-data guard)."""
    checked = attachment_check(uploaded=uploaded)
    name = checked.name
    attachment = Attachment(
        community=community,
        thread=thread,
        reply=reply,
        uploaded_by=user,
        filename=name,
        content_type=checked.content_type,
        size=checked.size,
    )
    attachment.file.save(name, checked.file, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment
