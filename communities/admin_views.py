"""Admin views of communities (registered in ``wagtail_hooks``): usage insight per community."""

from __future__ import annotations

from datetime import timedelta

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities import selectors
from communities.models import Community

CHART_W, CHART_H, PAD = 640, 200, 30
# The periods (days) the answer-time figures can be read over; the first is the default.
SLA_PERIODS = (90, 30, 365)


def _sla_period(value) -> int:
    try:
        days = int(value)
    except (TypeError, ValueError):
        return SLA_PERIODS[0]
    return days if days in SLA_PERIODS else SLA_PERIODS[0]


def _chart(weeks: list[dict]) -> dict:
    """Geometry of a simple inline-SVG chart: bars for threads and replies per week, a line for
    members."""
    n = max(len(weeks), 1)
    slot = (CHART_W - 2 * PAD) / n
    top = max([w["threads"] + w["replies"] for w in weeks] + [1])
    top_members = max([w["members"] for w in weeks] + [1])
    inner_h = CHART_H - 2 * PAD
    bars, points = [], []
    for i, w in enumerate(weeks):
        x = PAD + i * slot
        h_threads = inner_h * w["threads"] / top
        h_replies = inner_h * w["replies"] / top
        base = CHART_H - PAD
        bars.append(
            {
                "x": round(x + 2, 1),
                "w": round(slot - 4, 1),
                "threads_y": round(base - h_threads, 1),
                "threads_h": round(h_threads, 1),
                "replies_y": round(base - h_threads - h_replies, 1),
                "replies_h": round(h_replies, 1),
                "label": w["start"].strftime("%d-%m"),
                "label_x": round(x + slot / 2, 1),
                "week": w,
            }
        )
        points.append(f"{x + slot / 2:.1f},{base - inner_h * w['members'] / top_members:.1f}")
    return {
        "width": CHART_W,
        "height": CHART_H,
        "bars": bars,
        "members_line": " ".join(points),
        "baseline": CHART_H - PAD,
    }


def insight(request, pk: int):
    community = get_object_or_404(Community, pk=pk)
    if not selectors.may_see_insight(community=community, user=request.user):
        raise Http404
    figures = selectors.community_insight(community=community)
    period = _sla_period(request.GET.get("periode"))
    until = timezone.now()
    sla = selectors.community_answer_sla(
        community=community, since=until - timedelta(days=period), until=until
    )
    return TemplateResponse(
        request,
        "communities/admin/insight.html",
        {
            "community": community,
            "figures": figures,
            "sla": sla,
            "sla_period": period,
            "sla_periods": SLA_PERIODS,
            "chart": _chart(figures["weeks"]),
            "header_title": _("Inzicht: %(name)s") % {"name": community.name},
        },
    )


def insight_index(request):
    communities = selectors.community_list_for_insight(user=request.user)
    if not communities:
        raise Http404
    return TemplateResponse(
        request, "communities/admin/insight_index.html", {"communities": communities}
    )
