"""Admin configuration of the academy (only here): the insight report for the academy team and
the management of training sessions."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.models import EditView
from wagtail.admin.viewsets.model import ModelViewSet

from academie.admin_views import insight_view
from academie.models import TrainingSession
from academie.services import session_update_capacity
from kpo.core.access import has_staff_role


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
