from django.urls import path

from kpo.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("alles-gelezen/", views.notification_read_all, name="read_all"),
    path("voorkeuren/", views.notification_preferences, name="preferences"),
    path("afmelden/<str:token>/", views.digest_unsubscribe_view, name="unsubscribe"),
]
