from django.apps import AppConfig

from kpo.privacy.declarations import PersonalData


class NotificationsConfig(AppConfig):
    name = "kpo.notifications"
    label = "notifications"
    verbose_name = "Meldingen"
    personal_data = (
        PersonalData("notifications.Notification", owner=("recipient",), section="notifications"),
        PersonalData(
            "notifications.NotificationPreference",
            owner=("user",),
            section="notification_preferences",
        ),
    )
