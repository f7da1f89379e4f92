"""``/api/v1/me/export``: the personal-data export (AVG, right of access and portability) — the
same service as "Mijn gegevens downloaden"; audited there."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.views import APIView

from kpo.privacy.services import data_export


class DataExportApi(APIView):
    @extend_schema(
        summary="Mijn gegevens downloaden",
        description="Al je gegevens op het platform als ZIP (gegevens.json en een toelichting). "
        "Alleen je eigen gegevens; elke export wordt vastgelegd.",
        request=None,
        responses={
            (200, "application/zip"): OpenApiResponse(
                OpenApiTypes.BINARY, description="ZIP met gegevens.json en LEESMIJ.txt."
            )
        },
        tags=["privacy"],
    )
    def post(self, request):
        response = HttpResponse(data_export(user=request.user), content_type="application/zip")
        response["Content-Disposition"] = 'attachment; filename="kpo-mijn-gegevens.zip"'
        response["Cache-Control"] = "no-store"
        return response


urlpatterns = [path("me/export", DataExportApi.as_view(), name="api-me-export")]
