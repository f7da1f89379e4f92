from django.urls import path

from kpo.core import views

app_name = "core"
urlpatterns = [
    path("toegankelijkheid/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
]
