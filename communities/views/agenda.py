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
from communities.forms import RSVPForm
from communities.ical import event_ics
from communities.models import RSVP
from communities.views.base import error_text


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
    mine = selectors.rsvp_get(event=event, user=request.user)
    form = RSVPForm(request.POST or None, initial={"answer": mine.answer if mine else "yes"})
    if request.method == "POST" and form.is_valid():
        try:
            rsvp = services.rsvp_set(
                event=event, user=request.user, answer=form.cleaned_data["answer"]
            )
            if rsvp.answer == RSVP.Answer.WAITING:
                messages.success(request, _("De bijeenkomst is vol: je staat op de wachtlijst."))
            else:
                messages.success(request, _("Je antwoord is opgeslagen."))
            return redirect(event)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
    counts = selectors.rsvp_counts(event=event)
    waiting_position = (
        selectors.rsvp_waiting_position(rsvp=mine)
        if mine and mine.answer == RSVP.Answer.WAITING
        else None
    )
    return render(
        request,
        "communities/network_event_detail.html",
        {
            "event": event,
            "form": form,
            "mine": mine,
            "counts": counts,
            "waiting_position": waiting_position,
        },
    )


@login_required
def network_event_ics(request, event_slug: str):
    event = _network_event_or_404(request, event_slug)
    response = HttpResponse(event_ics(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response
