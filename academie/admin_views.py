"""Admin views of the academie (registered by the Wagtail hooks): the insight report."""

from __future__ import annotations

import csv

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from academie.insight import TABLES, academy_insight, insight_csv_rows
from kpo.core.access import has_staff_role


def _require_academy(request) -> None:
    if not has_staff_role(request.user, "academie"):
        raise PermissionDenied


def insight_view(request):
    """Enrolments, completion rate, average score and passes per course, organisation, region
    and month, with a bar chart and CSV export (``?export=<table>``)."""
    _require_academy(request)
    table = request.GET.get("export")
    if table:
        if table not in TABLES:
            raise Http404
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="academie-inzicht-{table}.csv"'
        response.write("\ufeff")
        writer = csv.writer(response, delimiter=";")
        writer.writerows(insight_csv_rows(table=table))
        return response
    data = academy_insight()
    bar_width = 28
    chart = []
    for i, month in enumerate(data["month"]):
        enrol_h = round(month["enrolments"] * 160 / data["peak"])
        pass_h = round(month["passes"] * 160 / data["peak"])
        chart.append(
            {
                **month,
                "x": 40 + i * (2 * bar_width + 16),
                "x2": 40 + i * (2 * bar_width + 16) + bar_width,
                "enrol_h": enrol_h,
                "enrol_y": 180 - enrol_h,
                "pass_h": pass_h,
                "pass_y": 180 - pass_h,
            }
        )
    return render(
        request,
        "academie/admin/insight.html",
        {
            "data": data,
            "chart": chart,
            "chart_width": 60 + len(chart) * (2 * bar_width + 16),
            "bar_width": bar_width,
            "tables": [
                ("course", _("Per e-learning"), data["course"]),
                ("organisation", _("Per organisatie"), data["organisation"]),
                ("region", _("Per regio"), data["region"]),
            ],
        },
    )
