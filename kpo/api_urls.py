"""``/api/v1/``: every app's API endpoints under one prefix, without trailing slashes (NL API
Design Rules; a trailing slash is a 404). The OpenAPI document is public at
``/api/v1/openapi.json``, the interactive documentation at ``/api/v1/docs``."""

from django.urls import include, path

from kpo.accounts.api import MeApi, PeopleApi, TokenApi, TokenListApi, TokenRevokeApi
from kpo.core.api_docs import ApiDocsView, ApiSchemaView

urlpatterns = [
    path("openapi.json", ApiSchemaView.as_view(), name="api-schema"),
    path("docs", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("auth/token", TokenApi.as_view(), name="api-token"),
    path("auth/tokens", TokenListApi.as_view(), name="api-tokens"),
    path("auth/tokens/<str:token_key>", TokenRevokeApi.as_view(), name="api-token-revoke"),
    path("me", MeApi.as_view(), name="api-me"),
    path("people", PeopleApi.as_view(), name="api-people"),
    path("", include("search.api")),
    path("", include("kennisbank.api")),
    path("", include("communities.api")),
    path("", include("communities.api_events")),
    path("", include("communities.api_files")),
    path("", include("communities.api_manage")),
    path("", include("kennisbank.api_contributions")),
    path("", include("kennisbank.api_knowledge")),
    path("", include("kpo.notifications.api")),
    path("", include("kpo.privacy.api")),
    path("", include("academie.api")),
]
