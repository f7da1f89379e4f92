from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "kpo.notifications"
    label = "notifications"
    verbose_name = "Meldingen"
