"""The platform agenda (``/agenda/``) and the pages of network-wide events."""

from django.urls import path

from communities.views import agenda

app_name = "agenda"
urlpatterns = [
    path("", agenda.agenda, name="list"),
    path("nieuw/", agenda.network_event_create, name="event_create"),
    path("<slug:event_slug>/", agenda.network_event_detail, name="event"),
    path("<slug:event_slug>/aanpassen/", agenda.network_event_edit, name="event_edit"),
    path(
        "<slug:event_slug>/aanwezigheid/",
        agenda.network_event_attendance,
        name="event_attendance",
    ),
    path("<slug:event_slug>/agenda.ics", agenda.network_event_ics, name="event_ics"),
]
