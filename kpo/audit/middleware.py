"""``AuditRequestMiddleware``: keeps the request at hand for signal handlers (``current_request``)
and audits restricted file downloads."""

from __future__ import annotations

import re

from django.apps import apps
from django.conf import settings

from kpo.audit.context import request_bound
from kpo.audit.services import audit_record


def download_paths_pattern() -> str:
    """Downloads of non-public files, each audited when it succeeds: the paths the pillars
    declare (``audited_download_path`` on their AppConfig: every file behind it needs a login and
    passes the access rule of its document or community), or ``KPO_AUDIT_DOWNLOAD_PATHS``."""
    configured = getattr(settings, "KPO_AUDIT_DOWNLOAD_PATHS", None)
    if configured is not None:
        return configured
    declared = [
        getattr(config, "audited_download_path")  # noqa: B009 (declared by pillars)
        for config in apps.get_app_configs()
        if getattr(config, "audited_download_path", None)
    ]
    return "|".join(f"(?:{path})" for path in declared)


class AuditRequestMiddleware:
    """Keeps the request at hand for signal handlers, and audits restricted file downloads."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_bound(request):
            response = self.get_response(request)
            if response.status_code == 200 and request.method == "GET":
                _audit_download(request, response)
            return response


def _audit_download(request, response) -> None:
    pattern = download_paths_pattern()
    if not pattern or not re.search(pattern, request.path):
        return
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return
    disposition = response.get("Content-Disposition", "")
    filename = disposition.split("filename=", 1)[1].strip('"') if "filename=" in disposition else ""
    audit_record(
        actor=user,
        action="document.restricted_download",
        target_label=filename or request.path,
        data={"path": request.path, "filename": filename},
    )
