"""``/api/v1/``: every app's API endpoints under one prefix."""

from django.urls import include, path

from kpo.accounts.api import MeApi, PeopleApi, TokenApi, TokenListApi, TokenRevokeApi

urlpatterns = [
    path("auth/token/", TokenApi.as_view(), name="api-token"),
    path("auth/tokens/", TokenListApi.as_view(), name="api-tokens"),
    path("auth/tokens/<str:token_key>/", TokenRevokeApi.as_view(), name="api-token-revoke"),
    path("me/", MeApi.as_view(), name="api-me"),
    path("people/", PeopleApi.as_view(), name="api-people"),
    path("", include("search.api")),
    path("", include("kennisbank.api")),
    path("", include("communities.api")),
    path("", include("communities.api_events")),
    path("", include("communities.api_files")),
    path("", include("communities.api_manage")),
    path("", include("kennisbank.api_contributions")),
    path("", include("kpo.notifications.api")),
    path("", include("kpo.privacy.api")),
    path("", include("academie.api")),
]
