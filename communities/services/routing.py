"""Routed questions (issue #18, ADR 0028): ask a question and send it to the theme's experts with
an answer deadline; remind them before the deadline and escalate to the community managers after
it when nobody answered. Reminder and escalation are each sent once and recorded on the route."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from communities.models import (
    Community,
    CommunityRoutingDefault,
    QuestionRoute,
    QuestionRouteRecipient,
    Thread,
)
from communities.selectors import (
    question_route_answered,
    question_routes_due,
    routing_deadline_bounds,
    routing_recipients,
)
from communities.services.posts import thread_create
from communities.services.rights import require_manager
from kpo.core.signals import content_changed
from kpo.notifications.services import notify

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from kpo.accounts.models import User
    from kpo.themes.models import Theme

logger = logging.getLogger(__name__)


def _deadline_days_check(days: Any) -> int:
    low, high = routing_deadline_bounds()
    try:
        value = int(days)
    except (TypeError, ValueError):
        raise ValidationError({"deadline_days": "Geef de termijn in hele dagen."}) from None
    if not low <= value <= high:
        raise ValidationError(
            {"deadline_days": f"Kies een termijn van {low} tot en met {high} dagen."}
        )
    return value


def _when(moment: Any) -> str:
    return date_format(timezone.localtime(moment), "j F Y H:i")


@transaction.atomic
def question_route_create(
    *, thread: Thread, actor: User, theme: Theme, deadline_days: int
) -> QuestionRoute:
    """Route the question ``thread`` to the experts and ambassadors of ``theme`` (one of the
    community's themes) with an answer deadline ``deadline_days`` from now (within
    ``KPO_ROUTING_DEADLINE_DAYS``). Only the asker routes, once; a discussion is not routed.
    Recipients who may not read the community's content are never chosen (the access rule).
    Everyone chosen gets a notification."""
    community = thread.community
    if thread.author_id != actor.pk:
        raise PermissionDenied("Alleen wie de vraag stelde, kan haar doorsturen.")
    if thread.kind != Thread.Kind.QUESTION:
        raise ValidationError({"route_theme": "Alleen een vraag kan worden doorgestuurd."})
    if thread.is_removed:
        raise ValidationError("Deze vraag bestaat niet meer.")
    if not community.themes.filter(pk=theme.pk).exists():
        raise ValidationError({"route_theme": "Kies een thema van deze community."})
    if QuestionRoute.objects.filter(thread=thread).exists():
        raise ValidationError({"route_theme": "Deze vraag is al doorgestuurd."})
    days = _deadline_days_check(deadline_days)
    recipients = routing_recipients(community=community, theme=theme, asker=actor)
    if not recipients:
        raise ValidationError(
            {
                "route_theme": (
                    "Er zijn voor dit thema geen experts of ambassadeurs die deze vraag kunnen "
                    "lezen. Plaats de vraag zonder doorsturen."
                )
            }
        )
    now = timezone.now()
    deadline = now + timedelta(days=days)
    remind_before = min(timedelta(hours=_reminder_hours()), (deadline - now) / 2)
    route = QuestionRoute.objects.create(
        thread=thread, theme=theme, deadline=deadline, remind_at=deadline - remind_before
    )
    QuestionRouteRecipient.objects.bulk_create(
        [
            QuestionRouteRecipient(route=route, user=user, reason=reason)
            for user, reason in recipients
        ]
    )
    notify(
        recipients=[user for user, _reason in recipients],
        kind="question_routed",
        title=f"Je expertise is gevraagd: {thread.title}",
        body=(
            f"Een collega in {community.name} stelde een vraag over {theme.title}. "
            f"Graag een antwoord vóór {_when(deadline)}."
        ),
        url=thread.get_absolute_url(),
        community=community,
        subject=thread,
        key=f"route:{route.pk}",
    )
    return route


def _reminder_hours() -> int:
    from django.conf import settings

    return int(settings.KPO_ROUTING_REMINDER_HOURS)


@transaction.atomic
def question_ask(
    *,
    community: Community,
    author: User,
    title: str,
    body: str,
    kind: str = Thread.Kind.QUESTION,
    uploads: Iterable[UploadedFile] = (),
    case_data_reason: str | None = None,
    route_theme: Theme | None = None,
    deadline_days: int | None = None,
) -> Thread:
    """Start a thread (``posts.thread_create``: membership, case-data guard, followers) and, with
    ``route_theme``, route it in the same transaction: a refused route leaves no thread behind."""
    if route_theme is not None:
        if kind != Thread.Kind.QUESTION:
            raise ValidationError({"route_theme": "Alleen een vraag kan worden doorgestuurd."})
        _deadline_days_check(deadline_days)
    thread = thread_create(
        community=community,
        author=author,
        title=title,
        body=body,
        kind=kind,
        uploads=uploads,
        case_data_reason=case_data_reason,
    )
    if route_theme is not None:
        question_route_create(
            thread=thread,
            actor=author,
            theme=route_theme,
            deadline_days=int(deadline_days),  # type: ignore[arg-type]  # checked above
        )
    return thread


@transaction.atomic
def routing_default_set(
    *, community: Community, actor: User, deadline_days: int | str | None
) -> int:
    """A community manager sets the community's default answer deadline (days, within bounds;
    form input is checked here: anything else is a Dutch ``ValidationError``)."""
    require_manager(community, actor)
    days = _deadline_days_check(deadline_days)
    CommunityRoutingDefault.objects.update_or_create(
        community=community, defaults={"deadline_days": days}
    )
    return days


def _route_claim(*, route_id: int, now: Any, sent_field: str, due: Q) -> QuestionRoute | None:
    """Claim one send of a route inside the caller's transaction: the conditional update stamps
    ``sent_field`` once (a second run finds it set and is a no-op). ``None`` when it was sent
    already, is not ``due``, was answered meanwhile (the claim is rolled back) or is gone."""
    claimed = QuestionRoute.objects.filter(
        due, pk=route_id, **{f"{sent_field}__isnull": True}
    ).update(**{sent_field: now})
    if not claimed or question_route_answered(route_id=route_id):
        transaction.set_rollback(True)
        return None
    route = (
        QuestionRoute.objects.select_related("thread__community", "thread__author", "theme")
        .filter(pk=route_id)
        .first()
    )  # None only when deleted between claim and load
    if route is not None:
        # The update sent no post_save; the thread page shows the escalation (ADR 0035).
        content_changed.send(sender=QuestionRoute, instance=route)
    return route


def _reminder_send(*, route_id: int, now: Any) -> bool:
    """Claim and send one reminder to the route's recipients, before the deadline."""
    with transaction.atomic():
        route = _route_claim(
            route_id=route_id, now=now, sent_field="reminder_sent_at", due=Q(deadline__gt=now)
        )
        if route is None:
            return False
        thread = route.thread
        recipients = [r.user for r in route.recipients.select_related("user")]
        notify(
            recipients=recipients,
            kind="question_route_reminder",
            title=_("Herinnering: vraag wacht op antwoord — %(title)s") % {"title": thread.title},
            body=_(
                "Deze vraag over %(theme)s wacht nog op een antwoord; de termijn loopt af op "
                "%(deadline)s."
            )
            % {"theme": route.theme.title, "deadline": _when(route.deadline)},
            url=thread.get_absolute_url(),
            community=thread.community,
            subject=thread,
            key=f"route-reminder:{route.pk}",
        )
    return True


def _escalation_send(*, route_id: int, now: Any) -> bool:
    """Claim and send one escalation to the community's managers, after the deadline."""
    with transaction.atomic():
        route = _route_claim(
            route_id=route_id, now=now, sent_field="escalated_at", due=Q(deadline__lte=now)
        )
        if route is None:
            return False
        thread = route.thread
        community = thread.community
        managers = list(community.managers)
        if not managers:
            logger.warning(
                "Routed question %s overdue; community %s has no manager.", route.pk, community.pk
            )
        notify(
            recipients=managers,
            kind="question_route_escalated",
            title=_("Vraag zonder antwoord na de termijn: %(title)s") % {"title": thread.title},
            body=_(
                "De vraag over %(theme)s in %(community)s had vóór %(deadline)s een antwoord "
                "moeten hebben; niemand heeft nog gereageerd."
            )
            % {
                "theme": route.theme.title,
                "community": community.name,
                "deadline": _when(route.deadline),
            },
            url=thread.get_absolute_url(),
            community=community,
            subject=thread,
            key=f"route-escalated:{route.pk}",
        )
    return True


def question_routes_process(*, now: Any = None, batch: int = 200) -> dict[str, int]:
    """The beat task's work: send the reminders that are due, then the escalations, each in its
    own short transaction (a time limit mid-run loses nothing that was done). Idempotent: each
    reminder and escalation is claimed once (``reminder_sent_at`` / ``escalated_at``); a
    question answered meanwhile gets neither."""
    now = now or timezone.now()
    sent = {"reminders": 0, "escalations": 0}
    for route_id in question_routes_due(now=now, kind="reminder", limit=batch):
        sent["reminders"] += _reminder_send(route_id=route_id, now=now)
    for route_id in question_routes_due(now=now, kind="escalation", limit=batch):
        sent["escalations"] += _escalation_send(route_id=route_id, now=now)
    return sent
