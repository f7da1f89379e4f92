"""The platform agenda: every event the user may read (network-wide ones and those of their
communities), and the pages of network-wide events (detail, RSVP, .ics)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from communities import selectors, services
from communities.forms import EventForm
from communities.ical import event_ics
from communities.views.base import form_errors
from communities.views.events import attendance_page, event_edit_form, event_rsvp


@login_required
def agenda(request):
    past = request.GET.get("afgelopen") == "1"
    events = list(selectors.agenda_for_user(user=request.user, past=past))
    return render(
        request,
        "communities/agenda.html",
        {
            "events": events,
            "past": past,
            "can_organise": services.can_organise_network_events(user=request.user),
        },
    )


def _network_event_or_404(request, event_slug: str):
    event = selectors.network_event_get_for_user(user=request.user, slug=event_slug)
    if event is None:
        raise Http404
    return event


@login_required
def network_event_detail(request, event_slug: str):
    event = _network_event_or_404(request, event_slug)
    answered, rsvp = event_rsvp(request, event)
    if answered is not None:
        return answered
    return render(
        request,
        "communities/network_event_detail.html",
        {
            "event": event,
            "can_organise": services.can_organise_network_events(user=request.user),
            **rsvp,
        },
    )


@login_required
def network_event_ics(request, event_slug: str):
    event = _network_event_or_404(request, event_slug)
    response = HttpResponse(event_ics(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


def _require_organiser(request) -> None:
    if not services.can_organise_network_events(user=request.user):
        raise PermissionDenied


@login_required
def network_event_create(request):
    """Plan a network-wide event (platform staff: the Communitymanagers group, admins)."""
    _require_organiser(request)
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(community=None, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("De netwerkbrede bijeenkomst staat in de agenda."))
            return redirect(event)
    return render(
        request,
        "communities/network_event_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
def network_event_edit(request, event_slug: str):
    """Change a network-wide event; attendees are told what changed (``event_update``)."""
    event = _network_event_or_404(request, event_slug)
    _require_organiser(request)
    form, done = event_edit_form(request, event)
    return done or render(
        request,
        "communities/network_event_form.html",
        {"form": form, "event": event},
        status=400 if form.errors else 200,
    )


@login_required
def network_event_attendance(request, event_slug: str):
    event = _network_event_or_404(request, event_slug)
    _require_organiser(request)
    return attendance_page(request, event, "communities/event_attendance.html", {})
