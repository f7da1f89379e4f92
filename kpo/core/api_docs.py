"""The interactive API documentation page (``/api/v1/docs``): Swagger UI from
drf-spectacular-sidecar's static files, the init script as a separate request and no inline
style, so it works under the site's own Content-Security-Policy."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocsView(SpectacularSwaggerSplitView):
    template_name = "kpo/api_docs.html"
    title = _("API-documentatie – Kennisplatform Ondermijning")  # type: ignore[assignment]
