"""Writes of communities and membership: create and update, join, request and decide, invite,
roles, remove and leave."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from communities.models import (
    Community,
    Follow,
    Invitation,
    JoinRequest,
    Membership,
)
from communities.selectors import can_create_community, is_member, membership_get
from communities.services.rights import (
    community_manager_list,
    community_reindex,
    membership_activate,
    moderation_log_write,
    require_manager,
)
from kpo.accounts.models import User
from kpo.core.access import forget_principals
from kpo.notifications.services import email_enqueue, notify
from search.services import index_enqueue

if TYPE_CHECKING:
    from kpo.accounts.models import Region, User
    from kpo.themes.models import Theme

Role = Membership.Role
State = Membership.State


def require_member(community: Community, user: User, *, auto_join_open: bool = False) -> None:
    if is_member(community=community, user=user):
        return
    if auto_join_open and community.visibility == Community.Visibility.OPEN and user.is_active:
        membership_join(community=community, user=user)
        return
    raise PermissionDenied("Word eerst lid van deze community.")


# --- communities ---------------------------------------------------------------------------------


@transaction.atomic
def community_create(
    *,
    actor: User,
    name: str,
    description: str = "",
    visibility: str = Community.Visibility.OPEN,
    slug: str = "",
    themes: Iterable[Theme] = (),
    regions: Iterable[Region] = (),
) -> Community:
    """Create a community; the actor becomes its first manager. Only community managers
    (group "Communitymanagers") and superusers may create communities."""
    if not can_create_community(user=actor):
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
        created_by=actor,
    )  # fmt: skip
    community.themes.set(list(themes))
    community.regions.set(list(regions))
    membership_activate(community, actor, Role.MANAGER)
    index_enqueue(community)
    return community


@transaction.atomic
def community_update(
    *,
    community: Community,
    actor: User,
    name: str | None = None,
    description: str | None = None,
    visibility: str | None = None,
    themes: Iterable[Theme] | None = None,
    regions: Iterable[Region] | None = None,
) -> Community:
    """Change a community. A visibility change re-indexes all of its content."""
    require_manager(community, actor)
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
    if regions is not None:
        community.regions.set(list(regions))
    if community.visibility != old_visibility:
        community_reindex(community)
        moderation_log_write(
            community, actor, "visibility", note=f"{old_visibility} → {community.visibility}"
        )
    else:
        index_enqueue(community)
    return community


# --- membership ----------------------------------------------------------------------------------


@transaction.atomic
def membership_join(*, community: Community, user: User) -> Membership:
    """Join an open community at once."""
    if community.visibility != Community.Visibility.OPEN:
        if community.visibility == Community.Visibility.CLOSED:
            raise ValidationError("Deze community is besloten: vraag lidmaatschap aan.")
        raise ValidationError("Je kunt alleen op uitnodiging lid worden van deze community.")
    existing = membership_get(community=community, user=user)
    if existing and existing.is_active:
        return existing
    return membership_activate(community, user)


@transaction.atomic
def membership_request(*, community: Community, user: User, motivation: str = "") -> JoinRequest:
    """Ask to join a closed community; its managers are notified."""
    if community.visibility != Community.Visibility.CLOSED:
        raise ValidationError("Lidmaatschap aanvragen kan alleen bij een besloten community.")
    existing = membership_get(community=community, user=user)
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
        recipients=community_manager_list(community),
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
    *, join_request: JoinRequest, actor: User, approve: bool, message: str = ""
) -> JoinRequest:
    """Approve or reject a join request, with an optional message to the requester."""
    community = join_request.community
    require_manager(community, actor)
    if join_request.status != JoinRequest.Status.PENDING:
        raise ValidationError("Over dit verzoek is al besloten.")
    join_request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.REJECTED
    join_request.decided_by = actor
    join_request.decision_message = (message or "").strip()[:2000]
    join_request.decided_at = timezone.now()
    join_request.save()
    if approve:
        membership_activate(community, join_request.user)
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
    *, community: Community, actor: User, email: str, role: str = Role.MEMBER
) -> Invitation:
    """Invite someone by e-mail. Without an account the invitation waits until a user with that
    address logs in (``invitation_claim_for_user``)."""
    require_manager(community, actor)
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
    if (
        Invitation.objects.filter(
            community=community, email=email, status=Invitation.Status.PENDING
        )
        .exclude(Invitation.expired_q())
        .exists()
    ):
        raise ValidationError({"email": "Deze persoon is al uitgenodigd."})
    invitation = Invitation.objects.create(
        community=community, email=email, role=role, invited_by=actor, user=user
    )
    if user:
        _invite_user(invitation, user)
    else:
        email_enqueue(
            key=f"community-invitation:{invitation.pk}",
            to=email,
            subject=f"Uitnodiging voor de community {community.name}",
            body=(
                f"{actor} nodigt je uit voor de community {community.name} op het Kennisplatform "
                "Ondermijning. Maak een account aan of log in met dit e-mailadres; je vindt de "
                "uitnodiging dan bij je meldingen.\n\n— Kennisplatform Ondermijning"
            ),
        )
    return invitation


def _invite_user(invitation: Invitation, user: User) -> None:
    community = invitation.community
    membership = membership_get(community=community, user=user)
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
def invitation_claim_for_user(*, user: User) -> list[Invitation]:
    """Attach waiting invitations for the user's e-mail address to the user (on login).
    Idempotent: claimed invitations are not claimed again."""
    if not getattr(user, "email", ""):
        return []
    waiting = list(
        Invitation.objects.select_for_update()
        .filter(email__iexact=user.email, status=Invitation.Status.PENDING, user__isnull=True)
        .exclude(Invitation.expired_q())  # an expired invitation cannot be claimed
        .select_related("community")
    )
    for invitation in waiting:
        invitation.user = user
        invitation.save(update_fields=["user"])
        _invite_user(invitation, user)
    return waiting


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Accept a pending invitation addressed to the user, before it expires
    (``KPO_INVITATION_TTL_DAYS`` after it was sent)."""
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError("Deze uitnodiging is niet meer geldig.")
    if invitation.is_expired:
        raise ValidationError(
            "Deze uitnodiging is verlopen. Vraag een community manager om een nieuwe."
        )
    if invitation.user_id != user.pk and invitation.email.lower() != (user.email or "").lower():
        raise PermissionDenied("Deze uitnodiging is voor iemand anders.")
    invitation.status = Invitation.Status.ACCEPTED
    invitation.user = user
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["status", "user", "accepted_at"])
    return membership_activate(invitation.community, user, invitation.role)


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    """Withdraw a pending invitation (managers). The invited person's waiting membership goes
    with it and the invitation link stops working."""
    community = invitation.community
    require_manager(community, actor)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError("Deze uitnodiging is niet meer openstaand.")
    invitation.status = Invitation.Status.REVOKED
    invitation.save(update_fields=["status"])
    if invitation.user_id is not None:
        Membership.objects.filter(
            community=community, user_id=invitation.user_id, state=State.INVITED
        ).delete()
    moderation_log_write(
        community, actor, "revoke_invitation", target_user=invitation.user, note=invitation.email
    )
    return invitation


def _active_managers_count(community: Community) -> int:
    return community.memberships.filter(role=Role.MANAGER, state=State.ACTIVE).count()


@transaction.atomic
def membership_change_role(*, membership: Membership, actor: User, role: str) -> Membership:
    community = membership.community
    require_manager(community, actor)
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
    moderation_log_write(
        community, actor, "role", target_user=membership.user, note=f"{old} → {role}"
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> Membership:
    community = membership.community
    require_manager(community, actor)
    if membership.role == Role.MANAGER and _active_managers_count(community) <= 1:
        raise ValidationError("De laatste community manager kan niet worden verwijderd.")
    membership.state = State.REMOVED
    membership.save(update_fields=["state", "updated_at"])
    Follow.objects.filter(community=community, user=membership.user).delete()
    forget_principals(membership.user)
    moderation_log_write(community, actor, "remove", target_user=membership.user)
    return membership


@transaction.atomic
def membership_leave(*, community: Community, user: User) -> None:
    """Leave a community. The last manager cannot leave."""
    membership = membership_get(community=community, user=user)
    if membership is None or not membership.is_active:
        raise ValidationError("Je bent geen lid van deze community.")
    if membership.role == Role.MANAGER and _active_managers_count(community) <= 1:
        raise ValidationError(
            "Je bent de laatste community manager. Maak eerst iemand anders manager."
        )
    membership.delete()
    Follow.objects.filter(community=community, user=user).delete()
    forget_principals(user)
