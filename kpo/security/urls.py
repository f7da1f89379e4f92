from django.urls import path

from kpo.security import views

app_name = "security"
urlpatterns = [
    path("registreren/", views.register, name="register"),
    path("registreren/bevestigen/<str:token>/", views.register_confirm, name="register_confirm"),
    path("tweestapsverificatie/", views.otp_setup, name="otp_setup"),
    path("tweestapsverificatie/controleren/", views.otp_verify, name="otp_verify"),
    path("tweestapsverificatie/herstelcodes/", views.recovery_codes, name="recovery_codes"),
    path("tweestapsverificatie/passkeys/", views.passkeys, name="passkeys"),
    path("api-tokens/", views.api_tokens, name="api_tokens"),
    path("wachtwoord-vergeten/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "wachtwoord-vergeten/verstuurd/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "wachtwoord-herstellen/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-herstellen/klaar/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
