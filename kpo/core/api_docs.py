"""The OpenAPI document (``/api/v1/openapi.json``) and the interactive API documentation page
(``/api/v1/docs``): Swagger UI from drf-spectacular-sidecar's static files, the init script as a
separate request and no inline style, so it works under the site's own Content-Security-Policy."""

from __future__ import annotations

import threading
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView
from rest_framework.request import Request
from rest_framework.response import Response

# drf-spectacular's generator is not thread-safe: two first requests at once in a threaded
# server break its extension registry (an AttributeError, a 500 instead of the document). The
# public document is the same for every caller, so it is generated once per language and API
# version, under a lock, and served from memory after that. That also keeps a public,
# unauthenticated endpoint from costing a full schema generation per request.
_lock = threading.Lock()
_schemas: dict[tuple[str | None, str | None], dict[str, Any]] = {}


@receiver(setting_changed)
def forget_schemas(**kwargs: Any) -> None:
    """Drop the generated documents (on a settings change, and for tests that count generations)."""
    with _lock:
        _schemas.clear()


class ApiSchemaView(SpectacularJSONAPIView):
    def _get_schema_response(self, request: Request) -> Response:
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (translation.get_language(), version)
        with _lock:
            schema = _schemas.get(key)
            if schema is None:
                generator = self.generator_class(
                    urlconf=self.urlconf, api_version=version, patterns=self.patterns
                )
                schema = generator.get_schema(request=request, public=self.serve_public)
                _schemas[key] = schema
        filename = self._get_filename(request, version)
        return Response(
            data=schema, headers={"Content-Disposition": f'inline; filename="{filename}"'}
        )


class ApiDocsView(SpectacularSwaggerSplitView):
    template_name = "kpo/api_docs.html"
    title = _("API-documentatie – Kennisplatform Ondermijning")  # type: ignore[assignment]
