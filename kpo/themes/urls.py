from django.urls import path

from kpo.themes import views

app_name = "themes"
urlpatterns = [path("", views.glossary, name="glossary")]
