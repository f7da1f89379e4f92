from django.urls import path

from kpo.core import views

app_name = "core"
urlpatterns = [
    path("toegankelijkheid/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("beheer/e-mail/", views.mailbox, name="mailbox"),
    path("beheer/e-mail/<str:key>/", views.mailbox_message, name="mailbox_message"),
]
