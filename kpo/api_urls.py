"""``/api/v1/``: every app's API endpoints under one prefix."""

from django.urls import include, path

from kpo.accounts.api import MeApi, PeopleApi, TokenApi

urlpatterns = [
    path("auth/token/", TokenApi.as_view(), name="api-token"),
    path("me/", MeApi.as_view(), name="api-me"),
    path("people/", PeopleApi.as_view(), name="api-people"),
    path("", include("search.api")),
    path("", include("kennisbank.api")),
    path("", include("communities.api")),
    path("", include("academie.api")),
]
