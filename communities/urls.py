from django.urls import path

from communities import views

app_name = "communities"

_thread = "<slug:slug>/onderwerpen/<id:pk>/"
_reply = _thread + "reacties/<id:reply_pk>/"

urlpatterns = [
    path("", views.community_list, name="list"),
    path("nieuw/", views.community_create, name="create"),
    path("moderatie/", views.moderation_overview, name="moderation_overview"),
    path("open-vragen/", views.open_questions, name="open_questions"),
    path("uitnodiging/<str:token>/", views.invitation_accept, name="invitation"),
    path("<slug:slug>/", views.community_detail, name="detail"),
    path("<slug:slug>/bewerken/", views.community_edit, name="edit"),
    path("<slug:slug>/lid-worden/", views.community_join, name="join"),
    path("<slug:slug>/aanvragen/", views.community_request, name="request"),
    path("<slug:slug>/verlaten/", views.community_leave, name="leave"),
    path("<slug:slug>/volgen/", views.community_follow, name="follow"),
    path("<slug:slug>/voorkeur/", views.community_preference, name="preference"),
    path("<slug:slug>/leden/", views.community_members, name="members"),
    path("<slug:slug>/beheer/", views.community_manage, name="manage"),
    path("<slug:slug>/moderatie/", views.moderation_queue, name="moderation"),
    path("<slug:slug>/feed/", views.community_feed, name="feed"),
    path("<slug:slug>/bestanden/", views.file_list, name="files"),
    path("<slug:slug>/bestanden/<id:pk>/", views.attachment_download, name="attachment"),
    path("<slug:slug>/bijeenkomsten/", views.event_list, name="events"),
    path("<slug:slug>/bijeenkomsten/nieuw/", views.event_create, name="event_create"),
    path("<slug:slug>/bijeenkomsten/<slug:event_slug>/", views.event_detail, name="event"),
    path("<slug:slug>/agenda/", views.calendar_subscription, name="calendar"),
    path(
        "<slug:slug>/agenda/<str:token>.ics",
        views.calendar_feed,
        name="calendar_feed",
    ),
    path(
        "<slug:slug>/bijeenkomsten/<slug:event_slug>/afgelasten/",
        views.event_cancel,
        name="event_cancel",
    ),
    path(
        "<slug:slug>/bijeenkomsten/<slug:event_slug>/aanpassen/",
        views.event_edit,
        name="event_edit",
    ),
    path(
        "<slug:slug>/bijeenkomsten/<slug:event_slug>/aanwezigheid/",
        views.event_attendance,
        name="event_attendance",
    ),
    path(
        "<slug:slug>/bijeenkomsten/<slug:event_slug>/agenda.ics",
        views.event_ics_download,
        name="event_ics",
    ),
    path("<slug:slug>/onderwerpen/", views.thread_list, name="threads"),
    path("<slug:slug>/onderwerpen/nieuw/", views.thread_create, name="thread_create"),
    path("<slug:slug>/onderwerpen/vergelijkbaar/", views.similar, name="similar"),
    path("<slug:slug>/beheer/vraagtermijn/", views.routing_default, name="routing_default"),
    path(_thread, views.thread_detail, name="thread"),
    path(_thread + "reageren/", views.reply_create, name="reply"),
    path(_thread + "nuttig/", views.react, name="react"),
    path(_thread + "volgen/", views.thread_follow, name="thread_follow"),
    path(_thread + "melden/", views.flag, name="flag"),
    path(_thread + "bewerken/", views.post_edit, name="edit_thread"),
    path(_thread + "verwijderen/", views.post_delete, name="delete_thread"),
    path(_thread + "vastzetten/", views.thread_pin, name="pin"),
    path(_thread + "sluiten/", views.thread_lock, name="lock"),
    path(_thread + "verbergen/", views.moderation_hide, name="hide_thread"),
    path(_thread + "herstellen/", views.moderation_restore, name="restore_thread"),
    path(_reply + "accepteren/", views.reply_accept, name="accept"),
    path(_reply + "nuttig/", views.react, name="react_reply"),
    path(_reply + "melden/", views.flag, name="flag_reply"),
    path(_reply + "bewerken/", views.post_edit, name="edit_reply"),
    path(_reply + "verwijderen/", views.post_delete, name="delete_reply"),
    path(_reply + "verbergen/", views.moderation_hide, name="hide_reply"),
    path(_reply + "herstellen/", views.moderation_restore, name="restore_reply"),
]
