"""Writes of communities: every write that has rules. Atomic, typed, keyword-only; rule violations
raise ``ValidationError`` (bad input, wrong state) or ``PermissionDenied`` (not allowed), both with
Dutch messages. Index changes and notifications are written in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from communities.models import (
    RSVP,
    Attachment,
    Community,
    Event,
    Flag,
    Follow,
    Invitation,
    JoinRequest,
    Membership,
    ModerationLog,
    Reaction,
    Reply,
    ReplyRevision,
    Thread,
    ThreadRevision,
)
from communities.sanitize import html_to_text, sanitize_html
from communities.uploads import attachment_check
from kpo.core.access import can_read, forget_principals, has_staff_role
from kpo.notifications.models import EmailOutbox
from kpo.notifications.services import notify
from search.services import index_delete, index_enqueue

Role = Membership.Role
State = Membership.State


# --- rights --------------------------------------------------------------------------------------


def membership_for(*, community: Community, user) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(community=community, user=user).first()


def is_member(*, community: Community, user) -> bool:
    m = membership_for(community=community, user=user)
    return bool(m and m.is_active)


def can_moderate(*, community: Community, user) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    m = membership_for(community=community, user=user)
    return bool(m and m.can_moderate)


def can_manage(*, community: Community, user) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    m = membership_for(community=community, user=user)
    return bool(m and m.can_manage)


def can_create_community(*, user) -> bool:
    return has_staff_role(user, "communitymanager")


def _require_manager(community: Community, user) -> None:
    if not can_manage(community=community, user=user):
        raise PermissionDenied("Alleen community managers mogen dit doen.")


def _require_moderator(community: Community, user) -> None:
    if not can_moderate(community=community, user=user):
        raise PermissionDenied("Alleen moderatoren en community managers mogen dit doen.")


def _require_member(community: Community, user, *, auto_join_open: bool = False) -> None:
    if is_member(community=community, user=user):
        return
    if auto_join_open and community.visibility == Community.Visibility.OPEN and user.is_active:
        membership_join(community=community, user=user)
        return
    raise PermissionDenied("Word eerst lid van deze community.")


def _log(community: Community, actor, action: str, **kwargs) -> ModerationLog:
    return ModerationLog.objects.create(community=community, actor=actor, action=action, **kwargs)


def _reindex_community(community: Community) -> None:
    """A visibility change changes the principals of everything in the community."""
    index_enqueue(community)
    for thread in community.threads.all():
        index_enqueue(thread)
    for event in community.events.all():
        index_enqueue(event)


def _activate(community: Community, user, role: str | None = None) -> Membership:
    membership, created = Membership.objects.get_or_create(
        community=community,
        user=user,
        defaults={"role": role or Role.MEMBER, "state": State.ACTIVE},
    )
    if not created:
        membership.state = State.ACTIVE
        if role:
            membership.role = role
        membership.save(update_fields=["state", "role", "updated_at"])
    Follow.objects.get_or_create(user=user, community=community, thread=None)
    forget_principals(user)
    return membership


def _managers(community: Community) -> list:
    return list(community.managers)


# --- communities ---------------------------------------------------------------------------------


@transaction.atomic
def community_create(
    *,
    creator,
    name: str,
    description: str = "",
    visibility: str = Community.Visibility.OPEN,
    slug: str = "",
    themes: Iterable = (),
) -> Community:
    """Create a community; the creator becomes its first manager. Only community managers
    (group "Communitymanagers") and superusers may create communities."""
    if not can_create_community(user=creator):
        raise PermissionDenied("Alleen community managers kunnen een community aanmaken.")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Geef de community een naam."})
    if visibility not in Community.Visibility.values:
        raise ValidationError({"visibility": "Kies open, besloten of geheim."})
    slug = slugify(slug or name)[:80]
    if not slug:
        raise ValidationError({"slug": "Geef een geldige korte naam (slug)."})
    if Community.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": "Er bestaat al een community met deze korte naam."})
    community = Community.objects.create(
        name=name, slug=slug, description=description.strip(), visibility=visibility,
        created_by=creator,
    )  # fmt: skip
    community.themes.set(list(themes))
    _activate(community, creator, Role.MANAGER)
    index_enqueue(community)
    return community


@transaction.atomic
def community_update(
    *,
    community: Community,
    actor,
    name: str | None = None,
    description: str | None = None,
    visibility: str | None = None,
    themes: Iterable | None = None,
) -> Community:
    """Change a community. A visibility change re-indexes all of its content."""
    _require_manager(community, actor)
    old_visibility = community.visibility
    if name is not None:
        if not name.strip():
            raise ValidationError({"name": "Geef de community een naam."})
        community.name = name.strip()
    if description is not None:
        community.description = description.strip()
    if visibility is not None:
        if visibility not in Community.Visibility.values:
            raise ValidationError({"visibility": "Kies open, besloten of geheim."})
        community.visibility = visibility
    community.save()
    if themes is not None:
        community.themes.set(list(themes))
    if community.visibility != old_visibility:
        _reindex_community(community)
        _log(community, actor, "visibility", note=f"{old_visibility} → {community.visibility}")
    else:
        index_enqueue(community)
    return community


# --- membership ----------------------------------------------------------------------------------


@transaction.atomic
def membership_join(*, community: Community, user) -> Membership:
    """Join an open community at once."""
    if community.visibility != Community.Visibility.OPEN:
        if community.visibility == Community.Visibility.CLOSED:
            raise ValidationError("Deze community is besloten: vraag lidmaatschap aan.")
        raise ValidationError("Je kunt alleen op uitnodiging lid worden van deze community.")
    existing = membership_for(community=community, user=user)
    if existing and existing.is_active:
        return existing
    return _activate(community, user)


@transaction.atomic
def membership_request(*, community: Community, user, motivation: str = "") -> JoinRequest:
    """Ask to join a closed community; its managers are notified."""
    if community.visibility != Community.Visibility.CLOSED:
        raise ValidationError("Lidmaatschap aanvragen kan alleen bij een besloten community.")
    existing = membership_for(community=community, user=user)
    if existing and existing.is_active:
        raise ValidationError("Je bent al lid van deze community.")
    pending = JoinRequest.objects.filter(
        community=community, user=user, status=JoinRequest.Status.PENDING
    ).first()
    if pending:
        raise ValidationError("Je verzoek is al ingediend en wacht op een community manager.")
    request = JoinRequest.objects.create(
        community=community, user=user, motivation=(motivation or "").strip()[:2000]
    )
    if existing:
        existing.state = State.REQUESTED
        existing.save(update_fields=["state", "updated_at"])
    else:
        Membership.objects.create(community=community, user=user, state=State.REQUESTED)
    notify(
        recipients=_managers(community),
        kind="join_request",
        title=f"Lidmaatschapsverzoek voor {community.name}",
        body=f"{user} wil lid worden van {community.name}.",
        url=f"/communities/{community.slug}/beheer/",
        community=community,
        key=f"join-request:{request.pk}",
    )
    return request


@transaction.atomic
def join_request_decide(
    *, join_request: JoinRequest, actor, approve: bool, message: str = ""
) -> JoinRequest:
    """Approve or reject a join request, with an optional message to the requester."""
    community = join_request.community
    _require_manager(community, actor)
    if join_request.status != JoinRequest.Status.PENDING:
        raise ValidationError("Over dit verzoek is al besloten.")
    join_request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.REJECTED
    join_request.decided_by = actor
    join_request.decision_message = (message or "").strip()[:2000]
    join_request.decided_at = timezone.now()
    join_request.save()
    if approve:
        _activate(community, join_request.user)
        title = f"Je bent toegelaten tot {community.name}"
    else:
        Membership.objects.filter(
            community=community, user=join_request.user, state=State.REQUESTED
        ).delete()
        title = f"Je verzoek voor {community.name} is afgewezen"
    # Addressed to the requester personally, also when they may not read the community.
    notify(
        recipients=[join_request.user],
        kind="join_decision",
        title=title,
        body=join_request.decision_message,
        url=community.get_absolute_url(),
        key=f"join-decision:{join_request.pk}",
    )
    return join_request


@transaction.atomic
def invitation_create(
    *, community: Community, actor, email: str, role: str = Role.MEMBER
) -> Invitation:
    """Invite someone by e-mail. Without an account the invitation waits until a user with that
    address logs in (``invitation_claim_for_user``)."""
    _require_manager(community, actor)
    email = (email or "").strip().lower()
    from django.core.validators import validate_email

    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": "Vul een geldig e-mailadres in."}) from exc
    if role not in Role.values:
        raise ValidationError({"role": "Kies een geldige rol."})
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first()
    if user and is_member(community=community, user=user):
        raise ValidationError({"email": "Deze persoon is al lid van de community."})
    if Invitation.objects.filter(
        community=community, email=email, status=Invitation.Status.PENDING
    ).exists():
        raise ValidationError({"email": "Deze persoon is al uitgenodigd."})
    invitation = Invitation.objects.create(
        community=community, email=email, role=role, invited_by=actor, user=user
    )
    if user:
        _invite_user(invitation, user)
    else:
        EmailOutbox.objects.create(
            key=f"community-invitation:{invitation.pk}",
            to=email,
            subject=f"Uitnodiging voor de community {community.name}",
            body=(
                f"{actor} nodigt je uit voor de community {community.name} op het Kennisplatform "
                "Ondermijning. Maak een account aan of log in met dit e-mailadres; je vindt de "
                "uitnodiging dan bij je meldingen.\n\n— Kennisplatform Ondermijning"
            ),
        )
        from kpo.notifications.services import _schedule_send

        transaction.on_commit(_schedule_send)
    return invitation


def _invite_user(invitation: Invitation, user) -> None:
    community = invitation.community
    membership = membership_for(community=community, user=user)
    if membership is None:
        Membership.objects.create(
            community=community, user=user, role=invitation.role, state=State.INVITED
        )
    elif not membership.is_active:
        membership.state = State.INVITED
        membership.save(update_fields=["state", "updated_at"])
    notify(
        recipients=[user],
        kind="invitation",
        title=f"Je bent uitgenodigd voor de community {community.name}",
        url=f"/communities/uitnodiging/{invitation.token}/",
        key=f"invitation:{invitation.pk}",
    )


@transaction.atomic
def invitation_claim_for_user(*, user) -> list[Invitation]:
    """Attach waiting invitations for the user's e-mail address to the user (on login).
    Idempotent: claimed invitations are not claimed again."""
    if not getattr(user, "email", ""):
        return []
    waiting = list(
        Invitation.objects.select_for_update()
        .filter(email__iexact=user.email, status=Invitation.Status.PENDING, user__isnull=True)
        .select_related("community")
    )
    for invitation in waiting:
        invitation.user = user
        invitation.save(update_fields=["user"])
        _invite_user(invitation, user)
    return waiting


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError("Deze uitnodiging is niet meer geldig.")
    if invitation.user_id != user.pk and invitation.email.lower() != (user.email or "").lower():
        raise PermissionDenied("Deze uitnodiging is voor iemand anders.")
    invitation.status = Invitation.Status.ACCEPTED
    invitation.user = user
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["status", "user", "accepted_at"])
    return _activate(invitation.community, user, invitation.role)


def _active_managers_count(community: Community) -> int:
    return community.memberships.filter(role=Role.MANAGER, state=State.ACTIVE).count()


@transaction.atomic
def membership_change_role(*, membership: Membership, actor, role: str) -> Membership:
    community = membership.community
    _require_manager(community, actor)
    if role not in Role.values:
        raise ValidationError({"role": "Kies een geldige rol."})
    if (
        membership.role == Role.MANAGER
        and role != Role.MANAGER
        and membership.is_active
        and _active_managers_count(community) <= 1
    ):
        raise ValidationError("Een community heeft minstens één community manager nodig.")
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    _log(community, actor, "role", target_user=membership.user, note=f"{old} → {role}")
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor) -> Membership:
    community = membership.community
    _require_manager(community, actor)
    if membership.role == Role.MANAGER and _active_managers_count(community) <= 1:
        raise ValidationError("De laatste community manager kan niet worden verwijderd.")
    membership.state = State.REMOVED
    membership.save(update_fields=["state", "updated_at"])
    Follow.objects.filter(community=community, user=membership.user).delete()
    forget_principals(membership.user)
    _log(community, actor, "remove", target_user=membership.user)
    return membership


@transaction.atomic
def membership_leave(*, community: Community, user) -> None:
    """Leave a community. The last manager cannot leave."""
    membership = membership_for(community=community, user=user)
    if membership is None or not membership.is_active:
        raise ValidationError("Je bent geen lid van deze community.")
    if membership.role == Role.MANAGER and _active_managers_count(community) <= 1:
        raise ValidationError(
            "Je bent de laatste community manager. Maak eerst iemand anders manager."
        )
    membership.delete()
    Follow.objects.filter(community=community, user=user).delete()
    forget_principals(user)


# --- threads and replies -------------------------------------------------------------------------


def _clean_body(body: str) -> str:
    clean = sanitize_html(body)
    if not html_to_text(clean).strip():
        raise ValidationError({"body": "Schrijf een tekst."})
    if len(clean) > 50_000:
        raise ValidationError({"body": "De tekst is te lang (maximaal 50.000 tekens)."})
    return clean


@transaction.atomic
def thread_create(
    *,
    community: Community,
    author,
    title: str,
    body: str,
    kind: str = Thread.Kind.QUESTION,
    uploads: Iterable = (),
) -> Thread:
    """Start a question or discussion. In an open community the author joins on the way;
    followers of the community are notified."""
    if not can_read(author, community):
        raise PermissionDenied("Word eerst lid van deze community.")
    _require_member(community, author, auto_join_open=True)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Geef een titel."})
    if len(title) > 200:
        raise ValidationError({"title": "De titel is te lang (maximaal 200 tekens)."})
    if kind not in Thread.Kind.values:
        raise ValidationError({"kind": "Kies vraag of discussie."})
    thread = Thread.objects.create(
        community=community, author=author, title=title, body=_clean_body(body), kind=kind
    )
    for uploaded in uploads:
        attachment_create(community=community, user=author, uploaded=uploaded, thread=thread)
    Follow.objects.get_or_create(user=author, community=community, thread=thread)
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
def reply_create(*, thread: Thread, author, body: str, uploads: Iterable = ()) -> Reply:
    community = thread.community
    _require_member(community, author, auto_join_open=True)
    if thread.is_removed:
        raise ValidationError("Dit onderwerp bestaat niet meer.")
    if thread.locked:
        raise ValidationError("Dit onderwerp is gesloten; reageren is niet meer mogelijk.")
    reply = Reply.objects.create(thread=thread, author=author, body=_clean_body(body))
    for uploaded in uploads:
        attachment_create(
            community=community, user=author, uploaded=uploaded, thread=thread, reply=reply
        )
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=reply.created_at)
    Follow.objects.get_or_create(user=author, community=community, thread=thread)
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
def reply_accept(*, reply: Reply, actor) -> Thread:
    """Mark a reply as the accepted answer (thread author or moderator)."""
    thread = reply.thread
    community = thread.community
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
        _log(community, actor, "accept", thread=thread, reply=reply)
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
def reaction_toggle(*, user, thread: Thread | None = None, reply: Reply | None = None) -> bool:
    """Toggle "nuttig" on a thread or a reply. Returns True when the mark is now set."""
    if (thread is None) == (reply is None):
        raise ValidationError("Kies een onderwerp of een reactie.")
    target_thread = thread or reply.thread  # type: ignore[union-attr]
    if not can_read(user, target_thread):
        raise PermissionDenied("Je kunt dit bericht niet lezen.")
    if (thread or reply).author_id == user.pk:  # type: ignore[union-attr]
        raise ValidationError("Je kunt je eigen bericht niet als nuttig markeren.")
    lookup = {"user": user, "thread": thread if reply is None else None, "reply": reply}
    existing = Reaction.objects.filter(**lookup).first()
    if existing:
        existing.delete()
        return False
    try:
        with transaction.atomic():
            Reaction.objects.create(**lookup)
    except IntegrityError:
        return True
    return True


@transaction.atomic
def thread_follow(*, thread: Thread, user) -> Follow:
    if not can_read(user, thread):
        raise PermissionDenied("Je kunt dit onderwerp niet lezen.")
    follow, _ = Follow.objects.get_or_create(user=user, community=thread.community, thread=thread)
    return follow


@transaction.atomic
def thread_unfollow(*, thread: Thread, user) -> None:
    Follow.objects.filter(user=user, thread=thread).delete()


@transaction.atomic
def community_follow(*, community: Community, user, follow: bool = True) -> None:
    if follow:
        if not can_read(user, community) or not (
            user_can_read_content(community=community, user=user)
        ):
            raise PermissionDenied("Word eerst lid van deze community.")
        Follow.objects.get_or_create(user=user, community=community, thread=None)
    else:
        Follow.objects.filter(user=user, community=community, thread__isnull=True).delete()


def user_can_read_content(*, community: Community, user) -> bool:
    from kpo.core.access import user_principals

    return bool(community.content_principals() & user_principals(user))


@transaction.atomic
def post_edit(*, post: Thread | Reply, actor, body: str, title: str | None = None):
    """Edit a thread or reply (author or moderator). The earlier version is kept for moderators."""
    community = post.get_community()
    is_author = post.author_id == actor.pk
    if not is_author and not can_moderate(community=community, user=actor):
        raise PermissionDenied("Je kunt alleen je eigen berichten bewerken.")
    if post.is_removed:
        raise ValidationError("Dit bericht is verwijderd.")
    clean = _clean_body(body)
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
    if not is_author:
        _log(
            community, actor, "edit", thread=thread, reply=post if isinstance(post, Reply) else None
        )
    index_enqueue(thread)
    return post


@transaction.atomic
def post_soft_delete(*, post: Thread | Reply, actor) -> None:
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
        _log(
            community,
            actor,
            "delete",
            thread=thread,
            reply=post if isinstance(post, Reply) else None,
        )


@transaction.atomic
def thread_pin(*, thread: Thread, actor, pinned: bool = True) -> Thread:
    _require_moderator(thread.community, actor)
    thread.pinned = pinned
    thread.save(update_fields=["pinned", "updated_at"])
    _log(thread.community, actor, "pin" if pinned else "unpin", thread=thread)
    return thread


@transaction.atomic
def thread_lock(*, thread: Thread, actor, locked: bool = True) -> Thread:
    _require_moderator(thread.community, actor)
    thread.locked = locked
    thread.save(update_fields=["locked", "updated_at"])
    _log(thread.community, actor, "lock" if locked else "unlock", thread=thread)
    return thread


@transaction.atomic
def flag_create(*, user, post: Thread | Reply, reason: str) -> Flag:
    community = post.get_community()
    if not is_member(community=community, user=user):
        raise PermissionDenied("Alleen leden kunnen een bericht melden.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Geef een reden op."})
    thread = post if isinstance(post, Thread) else post.thread
    reply = post if isinstance(post, Reply) else None
    flag = Flag.objects.create(
        community=community, thread=thread, reply=reply, reported_by=user, reason=reason[:2000]
    )
    moderators = get_user_model().objects.filter(
        memberships__community=community,
        memberships__state=State.ACTIVE,
        memberships__role__in=[Role.MANAGER, Role.MODERATOR],
    )
    notify(
        recipients=moderators,
        kind="flag",
        title=f"Bericht gemeld in {community.name}",
        body=reason[:500],
        url=f"/communities/{community.slug}/moderatie/",
        community=community,
        key=f"flag:{flag.pk}",
    )
    return flag


def _set_hidden(post: Thread | Reply, actor, hidden: bool, note: str) -> None:
    community = post.get_community()
    _require_moderator(community, actor)
    post.is_hidden = hidden
    post.save(update_fields=["is_hidden", "updated_at"])
    thread = post if isinstance(post, Thread) else post.thread
    reply = post if isinstance(post, Reply) else None
    flags = Flag.objects.filter(thread=thread, status=Flag.Status.OPEN)
    flags = flags.filter(reply=reply) if reply else flags.filter(reply__isnull=True)
    flags.update(status=Flag.Status.RESOLVED)
    _log(community, actor, "hide" if hidden else "restore", thread=thread, reply=reply, note=note)
    if isinstance(post, Thread) and hidden:
        index_delete(thread)
    else:
        index_enqueue(thread)


@transaction.atomic
def moderation_hide(*, post: Thread | Reply, actor, note: str = "") -> None:
    _set_hidden(post, actor, True, note)


@transaction.atomic
def moderation_restore(*, post: Thread | Reply, actor, note: str = "") -> None:
    _set_hidden(post, actor, False, note)


@transaction.atomic
def flag_dismiss(*, flag: Flag, actor) -> Flag:
    _require_moderator(flag.community, actor)
    flag.status = Flag.Status.RESOLVED
    flag.save(update_fields=["status"])
    _log(flag.community, actor, "dismiss_flag", thread=flag.thread, reply=flag.reply)
    return flag


# --- files ---------------------------------------------------------------------------------------


@transaction.atomic
def attachment_create(
    *,
    community: Community,
    user,
    uploaded,
    thread: Thread | None = None,
    reply: Reply | None = None,
) -> Attachment:
    """Store a checked file. A refused file raises ``ValidationError`` before anything is
    written."""
    _require_member(community, user, auto_join_open=True)
    checked = attachment_check(uploaded=uploaded)
    name = (uploaded.name or "bestand").rsplit("/", 1)[-1][:200]
    attachment = Attachment(
        community=community,
        thread=thread,
        reply=reply,
        uploaded_by=user,
        filename=name,
        content_type=checked.content_type,
        size=checked.size,
    )
    attachment.file.save(name, uploaded, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


# --- events --------------------------------------------------------------------------------------


@transaction.atomic
def event_create(
    *,
    community: Community,
    actor,
    title: str,
    starts_at,
    description: str = "",
    ends_at=None,
    location: str = "",
    online_url: str = "",
    capacity: int | None = None,
    slug: str = "",
) -> Event:
    _require_moderator(community, actor)
    if not (title or "").strip():
        raise ValidationError({"title": "Geef een titel."})
    if ends_at and ends_at < starts_at:
        raise ValidationError({"ends_at": "Het einde ligt voor het begin."})
    base = slugify(slug or f"{community.slug}-{title}")[:90] or "bijeenkomst"
    slug, n = base, 1
    while Event.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    event = Event.objects.create(
        community=community, slug=slug, title=title.strip(), description=description.strip(),
        starts_at=starts_at, ends_at=ends_at, location=location.strip(), online_url=online_url,
        capacity=capacity, created_by=actor,
    )  # fmt: skip
    index_enqueue(event)
    return event


@transaction.atomic
def rsvp_set(*, event: Event, user, answer: str) -> RSVP:
    """Answer yes / no / maybe. "Yes" is refused when the event is full."""
    if not can_read(user, event):
        raise PermissionDenied("Je kunt deze bijeenkomst niet zien.")
    if answer not in RSVP.Answer.values:
        raise ValidationError({"answer": "Kies ja, nee of misschien."})
    Event.objects.select_for_update().filter(pk=event.pk).first()
    if answer == RSVP.Answer.YES and event.capacity is not None:
        taken = event.rsvps.filter(answer=RSVP.Answer.YES).exclude(user=user).count()
        if taken >= event.capacity:
            raise ValidationError("Deze bijeenkomst is vol.")
    rsvp, _ = RSVP.objects.update_or_create(event=event, user=user, defaults={"answer": answer})
    return rsvp


def event_reminders_send(*, now=None) -> int:
    """Remind everyone who answered yes or maybe, the day before the event (idempotent)."""
    import datetime as dt

    now = timezone.localtime(now or timezone.now())
    tomorrow = now.date() + dt.timedelta(days=1)
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(tomorrow, dt.time.min, tzinfo=tz)
    end = start + dt.timedelta(days=1)
    count = 0
    for event in Event.objects.filter(starts_at__gte=start, starts_at__lt=end).select_related(
        "community"
    ):
        with transaction.atomic():
            users = get_user_model().objects.filter(
                Q(pk__in=event.rsvps.filter(
                    answer__in=[RSVP.Answer.YES, RSVP.Answer.MAYBE]
                ).values("user_id"))
            )  # fmt: skip
            when = timezone.localtime(event.starts_at).strftime("%d-%m-%Y %H:%M")
            count += len(
                notify(
                    recipients=users,
                    kind="event_reminder",
                    title=f"Morgen: {event.title}",
                    body=f"{when}, {event.location or event.online_url}",
                    url=event.get_absolute_url(),
                    community=event.community,
                    subject=event,
                    key=f"event-reminder:{event.pk}:{tomorrow.isoformat()}",
                )
            )
    return count
