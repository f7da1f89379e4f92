"""Question routing (ADR 0028): deadlines, recipients, the routes due and answered, open
questions, and the expertise evidence of people (docs/decisions/0031)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from communities.models import Community, Membership, Reply, Thread
from communities.selectors.content import thread_list_for_user
from communities.selectors.memberships import (
    community_content_visible,
    my_community_ids,
)
from kpo.core.access import can_read, filter_visible

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kpo.accounts.models import User
    from kpo.themes.models import Theme


# --- routing (issue #18: questions reach the right people in time; ADR 0028) ---------------------


def routing_deadline_bounds() -> tuple[int, int]:
    """The shortest and longest answer deadline (days) a community or an asker may choose."""
    from django.conf import settings

    days = settings.KPO_ROUTING_DEADLINE_DAYS
    return int(days["min"]), int(days["max"])


def routing_default_days(*, community: Community) -> int:
    """The community's default answer deadline in days, else the platform's (within bounds)."""
    from django.conf import settings

    from communities.models import CommunityRoutingDefault

    row = CommunityRoutingDefault.objects.filter(community=community).first()
    low, high = routing_deadline_bounds()
    days = row.deadline_days if row else int(settings.KPO_ROUTING_DEADLINE_DAYS["default"])
    return min(max(days, low), high)


def routing_themes(*, community: Community) -> list[Theme]:
    """The themes a question in the community can be routed to: the community's own."""
    return list(community.themes.order_by("title"))


def routing_recipients(
    *, community: Community, theme: Theme, asker: User
) -> list[tuple[User, str]]:
    """Who a question of ``asker`` in ``community`` about ``theme`` goes to, with the reason
    (``"expert"`` or ``"ambassador"``): active people whose profile lists the theme (members of
    the community first, at most ``KPO_ROUTING_MAX_EXPERTS``) and the theme's active ambassadors,
    each only when they may read the community's content (the access rule: a closed or secret
    community's question never goes to a non-member). The asker is never a recipient."""
    from django.conf import settings

    from kpo.accounts.models import User as UserModel

    members = Membership.objects.filter(
        community=community, user=OuterRef("pk"), state=Membership.State.ACTIVE
    )
    ambassadors = list(theme.ambassadors.filter(is_active=True).exclude(pk=asker.pk).order_by("pk"))
    chosen: dict[int, tuple[User, str]] = {}
    for user in ambassadors:
        if community_content_visible(community=community, user=user):
            chosen[user.pk] = (user, "ambassador")
    experts = (
        UserModel.objects.filter(is_active=True, profile__expertise_themes=theme)
        .exclude(pk=asker.pk)
        .exclude(pk__in=list(chosen))
        .annotate(in_community=Exists(members))
        .order_by("-in_community", "pk")
        .distinct()
    )
    limit = int(settings.KPO_ROUTING_MAX_EXPERTS)
    found = 0
    for user in experts.iterator(chunk_size=200):
        if found >= limit:
            break
        if community_content_visible(community=community, user=user):
            chosen[user.pk] = (user, "expert")
            found += 1
    return list(chosen.values())


def public_name(user: Any) -> str:
    """The name shown for a person on a routed question: the full name, never (a part of) the
    e-mail address."""
    from django.utils.translation import gettext

    name = user.get_full_name().strip() if user is not None else ""
    return name or gettext("collega zonder naam")


def question_route_for_reader(*, thread: Thread, user: Any) -> dict[str, Any] | None:
    """What the thread page shows of a routed question: the deadline and the theme for every
    reader; who was asked (names, never e-mail addresses) only for the asker and the community's
    moderators. ``None`` when the thread was not routed or the user may not read it.

    The page is cached per principal set and community role (ADR 0035), so the names come with
    the one reader they are for besides the moderators (``names_for_user``, the asker); the
    template shows them in a ``{% reader_if "user" routing.names_for_user or can_moderate %}``
    region, which keeps them for exactly those readers."""
    from communities.models import QuestionRoute

    route = (
        QuestionRoute.objects.filter(thread=thread)
        .select_related("theme")
        .prefetch_related("recipients__user")
        .first()
    )
    if route is None or not can_read(user, thread):
        return None
    return {
        "route": route,
        "theme": route.theme,
        "deadline": route.deadline,
        "overdue": route.deadline <= timezone.now(),
        "asked": sorted(public_name(r.user) for r in route.recipients.all()),
        "asked_count": len(route.recipients.all()),
        "names_for_user": thread.author_id,
        "escalated": route.escalated_at is not None,
    }


def _answered_by_other() -> Exists:
    """A visible reply by someone other than the asker (the thread in ``OuterRef``)."""
    from django.db.models import Value
    from django.db.models.functions import Coalesce

    return Exists(
        Reply.objects.filter(
            thread_id=OuterRef("thread_id"), is_deleted=False, is_hidden=False
        ).exclude(author_id=Coalesce(OuterRef("thread__author_id"), Value(0)))
    )


def question_routes_due(*, now: Any, kind: str, limit: int = 200) -> list[int]:
    """Ids of routed questions that need their reminder (``kind="reminder"``: the reminder time
    has come, the deadline not yet) or their escalation (``"escalation"``: the deadline passed)
    and are still without an answer by someone else; each only while it was not sent before."""
    from communities.models import QuestionRoute

    qs = QuestionRoute.objects.filter(thread__is_deleted=False, thread__is_hidden=False)
    if kind == "reminder":
        qs = qs.filter(reminder_sent_at__isnull=True, remind_at__lte=now, deadline__gt=now)
    elif kind == "escalation":
        qs = qs.filter(escalated_at__isnull=True, deadline__lte=now)
    else:
        raise ValueError(kind)
    qs = qs.annotate(answered=_answered_by_other()).filter(answered=False)
    return list(qs.order_by("deadline").values_list("pk", flat=True)[:limit])


def question_route_answered(*, route_id: int) -> bool:
    from communities.models import QuestionRoute

    return (
        QuestionRoute.objects.filter(pk=route_id)
        .annotate(answered=_answered_by_other())
        .filter(answered=True)
        .exists()
    )


def open_questions_for_user(
    *, user: User | AnonymousUser, theme: Theme | None = None, everywhere: bool = False
) -> QuerySet[Thread]:
    """Questions without an accepted answer that the user may read (the access rule), across the
    communities the user is a member of (``everywhere``: every community whose content the user
    may read), optionally of one theme (the community's themes); with their community, author,
    reply count and routing deadline in a fixed number of queries."""
    qs = thread_list_for_user(user=user, unanswered=True)
    if not everywhere:
        qs = qs.filter(community_id__in=my_community_ids(user=user))
    if theme is not None:
        qs = qs.filter(
            Exists(
                Community.themes.through.objects.filter(
                    community_id=OuterRef("community_id"), theme_id=theme.pk
                )
            )
        )
    return qs.select_related("route").order_by("-created_at", "-pk")


# --- people: expertise evidence (docs/decisions/0031) ---------------------------------------------


def expertise_evidence(
    *, person: User, themes: list[Theme], user: User | AnonymousUser
) -> dict[str, Any]:
    """The accepted answers ``person`` gave, per theme of the community they were given in, as
    far as the reader ``user`` may read them (a closed or secret community's answers only for its
    members). Two queries, whatever the number of answers."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    theme_ids = {t.pk for t in themes}
    threads = (
        filter_visible(
            Thread.objects.filter(
                accepted_reply__author=person,
                accepted_reply__is_deleted=False,
                accepted_reply__is_hidden=False,
                is_deleted=False,
                is_hidden=False,
                community__themes__in=theme_ids,
            ),
            user,
        )
        .distinct()
        .select_related("community", "accepted_reply")
        .prefetch_related("community__themes")
        .order_by("-accepted_reply__created_at", "-pk")
    )
    items: dict[int, list[dict[str, Any]]] = {}
    for thread in threads:
        url = reverse("communities:thread", args=[thread.community.slug, thread.pk])
        entry = {
            "title": thread.title,
            "url": f"{url}#reactie-{thread.accepted_reply_id}",
            "date": thread.accepted_reply.created_at if thread.accepted_reply else None,
            "context": thread.community.name,
        }
        for theme in thread.community.themes.all():
            if theme.pk in theme_ids:
                items.setdefault(theme.pk, []).append(entry)
    return {"key": "accepted_answers", "title": _("Geaccepteerde antwoorden"), "items": items}
