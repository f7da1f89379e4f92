from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "kpo.security"
    label = "security"
    verbose_name = "Beveiliging"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from kpo.security import signal_handlers
        from kpo.security.middleware import drop_verification_on_login

        user_logged_in.connect(drop_verification_on_login, dispatch_uid="kpo_drop_otp_on_login")
        signal_handlers.connect()
