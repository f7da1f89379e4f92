"""Community events: list, create, edit, detail, RSVP and the calendar exports (.ics, feed)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from communities import selectors, services
from communities.forms import (
    EventCancelForm,
    EventForm,
    RSVPForm,
)
from communities.ical import event_ics, events_ics
from communities.models import RSVP, Community, Event
from communities.views.base import (
    community_context,
    community_view,
    error_text,
    form_errors,
    rights,
)


@community_view(content=True)
def event_list(request, community: Community):
    events = selectors.event_list_for_user(user=request.user, community=community)
    return render(
        request, "communities/event_list.html", community_context(request, community, events=events)
    )


@community_view(content=True)
def event_create(request, community: Community):
    if not rights(request, community).can_moderate:
        raise PermissionDenied
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                community=community, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            return redirect(event)
    return render(
        request, "communities/event_form.html", community_context(request, community, form=form)
    )


def event_rsvp(request, event: Event) -> tuple[HttpResponse | None, dict[str, Any]]:
    """The RSVP form of an event page (a community's or a network-wide one): after a valid POST
    the answer is saved and the redirect is returned; otherwise the context the page shows (form,
    counts, my answer, my place on the waiting list)."""
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
            return redirect(event), {}
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
    waiting_position = (
        selectors.rsvp_waiting_position(rsvp=mine)
        if mine and mine.answer == RSVP.Answer.WAITING
        else None
    )
    context = {"form": form, "mine": mine, "waiting_position": waiting_position}
    return None, {**context, "counts": selectors.rsvp_counts(event=event)}


def _event_or_404(request, community, event_slug):
    event = selectors.event_get_for_user(user=request.user, community=community, slug=event_slug)
    if event is None:
        raise Http404
    return event


@community_view(content=True)
def event_detail(request, community: Community, event_slug: str):
    event = _event_or_404(request, community, event_slug)
    answered, rsvp = event_rsvp(request, event)
    if answered is not None:
        return answered
    return render(
        request,
        "communities/event_detail.html",
        community_context(
            request,
            community,
            event=event,
            **rsvp,
        ),
    )


@community_view(content=True)
def event_cancel(request, community: Community, event_slug: str):
    """Call the event off, with a reason for the attendees (moderators)."""
    event = _event_or_404(request, community, event_slug)
    if not rights(request, community).can_moderate:
        raise PermissionDenied
    form = EventCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_cancel(
                event=event, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("De bijeenkomst is afgelast; de deelnemers zijn bericht."))
            return redirect(event)
    return render(
        request,
        "communities/event_cancel.html",
        community_context(request, community, form=form, event=event),
        status=400 if form.errors else 200,
    )


EVENT_EDIT_FIELDS = (
    "title", "starts_at", "ends_at", "location", "online_url", "capacity", "description",
)  # fmt: skip


def event_edit_form(request, event: Event) -> tuple[EventForm, HttpResponse | None]:
    """The edit form of a community or network-wide event (the caller checked the right): on a
    valid POST ``event_update`` saves and tells the attendees what changed, and the second
    value is the redirect to the event; otherwise the form to show (with its errors)."""
    form = EventForm(
        request.POST or None, initial={f: getattr(event, f) for f in EVENT_EDIT_FIELDS}
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_update(event=event, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("De bijeenkomst is bijgewerkt."))
            return form, redirect(event)
    return form, None


@community_view(content=True)
def event_edit(request, community: Community, event_slug: str):
    event = _event_or_404(request, community, event_slug)
    if not rights(request, community).can_moderate:
        raise PermissionDenied
    form, done = event_edit_form(request, event)
    return done or render(
        request,
        "communities/event_form.html",
        community_context(request, community, form=form, event=event),
        status=400 if form.errors else 200,
    )


@community_view(content=True)
def event_ics_download(request, community: Community, event_slug: str):
    event = _event_or_404(request, community, event_slug)
    response = HttpResponse(event_ics(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


@community_view(content=True)
def calendar_subscription(request, community: Community):
    """The member's subscription URL of this community's calendar: see, renew or revoke it."""
    if not rights(request, community).is_member:
        raise Http404
    token = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "revoke":
            services.calendar_token_revoke(community=community, user=request.user)
            messages.success(request, _("Je agenda-abonnement is ingetrokken."))
        else:
            services.calendar_token_regenerate(community=community, user=request.user)
            messages.success(request, _("Je hebt een nieuwe agenda-link; de oude werkt niet meer."))
        return redirect("communities:calendar", community.slug)
    token = selectors.calendar_token_get(community=community, user=request.user)
    feed_url = request.build_absolute_uri(token.get_absolute_url()) if token else ""
    return render(
        request,
        "communities/calendar.html",
        community_context(request, community, token=token, feed_url=feed_url),
    )


def calendar_feed(request, slug: str, token: str):
    """The subscribable calendar: no session (calendar apps have none), the secret token in the
    URL names the member; their access rule decides which events are in it. 404 for an
    unknown or revoked token and when the membership has ended."""
    found = selectors.calendar_feed_events(token=token)
    if found is None or found[0].slug != slug:
        raise Http404
    community, events = found
    response = HttpResponse(
        events_ics(events, name=community.name), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def attendance_page(request, event: Event, template: str, context: dict):
    """The organiser's check-off list of an event (a community's or a network-wide one): who
    said yes or maybe, ticked off at the event through ``services.attendance_set``."""
    if request.method == "POST":
        person_id = _posted_id(request.POST.get("deelnemer"))
        person = get_user_model().objects.filter(pk=person_id or 0)
        if person_id is None or not person.exists():
            raise Http404
        try:
            services.attendance_set(
                event=event,
                actor=request.user,
                user=person.get(),
                present=request.POST.get("aanwezig") == "1",
            )
            messages.success(request, _("De aanwezigheid is bijgewerkt."))
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        return redirect(request.path)
    rows = list(selectors.attendance_list(event=event))
    return render(
        request,
        template,
        {
            **context,
            "event": event,
            "rows": rows,
            "present": sum(1 for r in rows if r.attended_at),
        },
    )


def _posted_id(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 19 else None


@community_view(content=True)
def event_attendance(request, community: Community, event_slug: str):
    event = _event_or_404(request, community, event_slug)
    if not rights(request, community).can_moderate:
        raise PermissionDenied
    return attendance_page(
        request, event, "communities/event_attendance.html", community_context(request, community)
    )
