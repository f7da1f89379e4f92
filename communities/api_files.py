"""``/api/v1/communities/{slug}/files/{id}``: download a community file through the access rule
(the list and the upload are in ``communities.api``)."""

from __future__ import annotations

from django.http import Http404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.views import APIView

from communities import selectors
from communities.api_common import community_or_404
from communities.downloads import attachment_response


class AttachmentDownloadApi(APIView):
    @extend_schema(
        summary="Bestand downloaden",
        description="Het bestand zelf, altijd als download; 404 als je het niet mag zien "
        "(zonder te verraden of het bestaat).",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="De inhoud van het bestand."
            )
        },
        tags=["communities"],
    )
    def get(self, request, slug: str, pk: int):
        community = community_or_404(request, slug)
        attachment = selectors.attachment_get_for_user(
            user=request.user, community=community, pk=pk
        )
        if attachment is None:
            raise Http404
        response = attachment_response(attachment)
        response["Cache-Control"] = "private, no-store"
        return response


urlpatterns = [
    path(
        "communities/<slug:slug>/files/<id:pk>",
        AttachmentDownloadApi.as_view(),
        name="api-community-file",
    ),
]
