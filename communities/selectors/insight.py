"""Usage insight for community managers: who may see it, the figures, the answer-time SLA."""

from __future__ import annotations

import statistics
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Aggregate, Count, F, FloatField, Min, OuterRef, Q, Subquery
from django.utils import timezone

from communities.models import Community, Membership, Reply, Thread
from communities.selectors.memberships import can_manage
from kpo.core.access import can_read, has_staff_role

if TYPE_CHECKING:
    pass


def community_list_for_insight(*, user: Any) -> list[Community]:
    """The communities whose usage insight the user may see (admin): those they manage, and as
    staff community manager those they may see."""
    return [
        c for c in Community.objects.order_by("name") if may_see_insight(community=c, user=user)
    ]


def may_see_insight(*, community: Community, user: Any) -> bool:
    """Managers of the community, superusers, and staff community managers for communities they
    may see (a secret community stays invisible to non-members, also here)."""
    if can_manage(community=community, user=user):
        return True
    return has_staff_role(user, "communitymanager") and can_read(user, community)


# --- insight for community managers --------------------------------------------------------------


def community_insight(*, community: Community, weeks: int = 12) -> dict[str, Any]:
    """Usage figures of one community for its managers (admin): members over time, active
    members in the last 30 days, threads and replies per week, share of questions answered and
    the median time to a first reply."""
    now = timezone.now()
    start = now - timedelta(weeks=weeks)
    memberships = list(
        community.memberships.filter(state=Membership.State.ACTIVE).values_list(
            "created_at", flat=True
        )
    )
    threads = Thread.objects.filter(community=community, is_deleted=False)
    replies = Reply.objects.filter(thread__community=community, is_deleted=False)
    week_rows = []
    for i in range(weeks):
        ws = start + timedelta(weeks=i)
        we = ws + timedelta(weeks=1)
        week_rows.append(
            {
                "start": ws,
                "members": sum(1 for c in memberships if c < we),
                "threads": threads.filter(created_at__gte=ws, created_at__lt=we).count(),
                "replies": replies.filter(created_at__gte=ws, created_at__lt=we).count(),
            }
        )
    since = now - timedelta(days=30)
    active = set(threads.filter(created_at__gte=since).values_list("author_id", flat=True))
    active |= set(replies.filter(created_at__gte=since).values_list("author_id", flat=True))
    active.discard(None)  # type: ignore[arg-type]  # author_id is nullable (deleted authors)
    questions = threads.filter(kind=Thread.Kind.QUESTION)
    total_q = questions.count()
    answered = questions.filter(accepted_reply__isnull=False).count()
    first_reply = threads.annotate(first=Min("replies__created_at")).filter(first__isnull=False)
    delays = [(t.first - t.created_at).total_seconds() / 3600 for t in first_reply]
    return {
        "weeks": week_rows,
        "members": len(memberships),
        "active_members_30d": len(active),
        "questions": total_q,
        "answered": answered,
        "answered_share": round(100 * answered / total_q) if total_q else None,
        "median_hours_to_first_reply": round(statistics.median(delays), 1) if delays else None,
    }


class PercentileCont(Aggregate):
    """PostgreSQL's ordered-set aggregate ``percentile_cont(f) WITHIN GROUP (ORDER BY x)``."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: Any, *, fraction: float, **extra: Any) -> None:
        if not 0 <= fraction <= 1:
            raise ValueError("fraction must lie between 0 and 1")
        super().__init__(expression, fraction=float(fraction), **extra)


def _hours(value: Any) -> float | None:
    return None if value is None else round(float(value) / 3600, 1)


def community_answer_sla(*, community: Community, since: Any, until: Any) -> dict[str, Any]:
    """Answer times of the community's questions asked in ``[since, until)``, computed in the
    database: hours to the first answer (the first visible reply by someone other than the asker)
    and to the accepted answer (when the accepted reply was posted), each as median and 90th
    percentile (``percentile_cont``), with the number of questions behind each figure; and, of the
    routed questions whose outcome is known (answered, or the deadline passed), the share answered
    within the deadline."""
    from django.db.models import Value
    from django.db.models.functions import Coalesce, Extract

    from communities.models import QuestionRoute

    questions = Thread.objects.filter(
        community=community,
        kind=Thread.Kind.QUESTION,
        is_deleted=False,
        created_at__gte=since,
        created_at__lt=until,
    )
    first_answer = Subquery(
        Reply.objects.filter(thread=OuterRef("pk"), is_deleted=False, is_hidden=False)
        .exclude(author_id=Coalesce(OuterRef("author_id"), Value(0)))
        .order_by("created_at")
        .values("created_at")[:1]
    )
    answered = questions.annotate(first=first_answer).filter(first__isnull=False)
    first_seconds = Extract(F("first") - F("created_at"), "epoch")
    first = answered.aggregate(
        n=Count("pk"),
        p50=PercentileCont(first_seconds, fraction=0.5),
        p90=PercentileCont(first_seconds, fraction=0.9),
    )
    accepted_seconds = Extract(F("accepted_reply__created_at") - F("created_at"), "epoch")
    accepted = questions.filter(accepted_reply__isnull=False).aggregate(
        n=Count("pk"),
        p50=PercentileCont(accepted_seconds, fraction=0.5),
        p90=PercentileCont(accepted_seconds, fraction=0.9),
    )
    routes = (
        QuestionRoute.objects.filter(thread__in=questions)
        .annotate(
            first=Subquery(
                Reply.objects.filter(
                    thread=OuterRef("thread_id"), is_deleted=False, is_hidden=False
                )
                .exclude(author_id=Coalesce(OuterRef("thread__author_id"), Value(0)))
                .order_by("created_at")
                .values("created_at")[:1]
            )
        )
        .filter(Q(first__isnull=False) | Q(deadline__lte=timezone.now()))
        .aggregate(
            known=Count("pk"),
            in_time=Count("pk", filter=Q(first__lte=F("deadline"))),
        )
    )
    known = routes["known"] or 0
    return {
        "since": since,
        "until": until,
        "questions": questions.count(),
        "first_answer_count": first["n"],
        "first_answer_median_hours": _hours(first["p50"]),
        "first_answer_p90_hours": _hours(first["p90"]),
        "accepted_count": accepted["n"],
        "accepted_median_hours": _hours(accepted["p50"]),
        "accepted_p90_hours": _hours(accepted["p90"]),
        "routed_known": known,
        "routed_in_time": routes["in_time"] or 0,
        "routed_in_time_share": round(100 * routes["in_time"] / known) if known else None,
    }
