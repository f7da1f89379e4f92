"""Admin configuration of the academy (only here): the insight report for the academy team and
the management of training sessions."""

from __future__ import annotations

import csv

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.models import EditView
from wagtail.admin.viewsets.model import ModelViewSet

from academie.insight import TABLES, academy_insight, insight_csv_rows
from academie.models import TrainingSession
from academie.services import session_update_capacity
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


@hooks.register("register_admin_urls")
def register_insight_url():
    return [path("academie/inzicht/", insight_view, name="academie_insight")]


class AcademyMenuItem(MenuItem):
    def is_shown(self, request):
        return has_staff_role(request.user, "academie")


@hooks.register("register_admin_menu_item")
def register_insight_menu_item():
    return AcademyMenuItem(
        _("Academie-inzicht"), reverse("academie_insight"), icon_name="table", order=900
    )


class TrainingSessionEditView(EditView):
    """One rule for capacity: the form saves the other fields, the capacity goes through
    ``session_update_capacity`` (never below the registrations; more seats move the waiting list
    up) — the same service the academy team's other tools use."""

    def save_instance(self):
        capacity = self.form.cleaned_data["capacity"]
        instance = self.form.save(commit=False)
        instance.capacity = TrainingSession.objects.values_list("capacity", flat=True).get(
            pk=instance.pk
        )
        instance.save()
        self.form.save_m2m()
        return session_update_capacity(session=instance, capacity=capacity, by=self.request.user)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as exc:
            form.add_error("capacity", exc.messages)
        except PermissionDenied:
            form.add_error(None, _("Alleen het academieteam kan de capaciteit wijzigen."))
        self.produced_error_message = self.get_error_message()
        return self.form_invalid(form)


class TrainingSessionViewSet(ModelViewSet):
    model = TrainingSession
    pk_path_converter = "id"  # bounded to bigint: a huge id is a 404, never a 500
    edit_view_class = TrainingSessionEditView
    icon = "date"
    menu_label = _("Trainingssessies")
    add_to_admin_menu = True
    menu_order = 910
    list_display = ["training", "starts_at", "location", "capacity", "registration_deadline"]
    list_filter = ["training"]
    form_fields = [
        "training",
        "starts_at",
        "ends_at",
        "location",
        "capacity",
        "registration_deadline",
    ]


@hooks.register("register_admin_viewset")
def register_session_viewset():
    return TrainingSessionViewSet("academie_sessions")
