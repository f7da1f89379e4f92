from django.urls import path

from kpo.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("download/", views.export, name="export"),
    path("verwijderen/", views.delete, name="delete"),
]
