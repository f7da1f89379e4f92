"""The platform agenda (``/agenda/``) and the pages of network-wide events."""

from django.urls import path

from communities.views import agenda

app_name = "agenda"
urlpatterns = [
    path("", agenda.agenda, name="list"),
    path("<slug:event_slug>/", agenda.network_event_detail, name="event"),
    path("<slug:event_slug>/agenda.ics", agenda.network_event_ics, name="event_ics"),
]
