"""The platform agenda: every event the user may read (network-wide ones and those of their
communities), and the pages of network-wide events (detail, RSVP, .ics)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from communities import selectors
from communities.ical import event_ics
from communities.views.events import event_rsvp


@login_required
def agenda(request):
    past = request.GET.get("afgelopen") == "1"
    events = list(selectors.agenda_for_user(user=request.user, past=past))
    return render(request, "communities/agenda.html", {"events": events, "past": past})


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
        {"event": event, **rsvp},
    )


@login_required
def network_event_ics(request, event_slug: str):
    event = _network_event_or_404(request, event_slug)
    response = HttpResponse(event_ics(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response
