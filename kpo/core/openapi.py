"""drf-spectacular hooks that apply the API conventions to the whole schema in one place, so
every endpoint (also ones added later) documents them without repeating itself:

- only ``/api/v1/`` is documented (not Wagtail's internal admin API);
- every 2xx/3xx response documents the ``API-Version`` header;
- every error response is ``application/problem+json`` (``Problem``; 400 ``ValidationProblem``
  with ``invalid-params``), and the errors that any operation can give are listed: 400 when it
  takes input, 401 when it needs a login, 403 (second factor pending, no permission), 404 when
  the path names a resource.

Runs after ``kpo.security.openapi.rate_limit_responses_hook`` (429) and rewrites its content
type too.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from kpo.core.problems import PROBLEM_CONTENT_TYPE

PROBLEM = "Problem"
VALIDATION_PROBLEM = "ValidationProblem"
VERSION_HEADER = "API-Version"

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Foutmelding volgens RFC 9457 (Problem Details for HTTP APIs).",
    "properties": {
        "type": {"type": "string", "description": "URI van het soort fout (urn:kpo:problem:…)."},
        "title": {"type": "string", "description": "Korte omschrijving van het soort fout."},
        "status": {"type": "integer", "description": "De HTTP-statuscode."},
        "detail": {"type": "string", "description": "Uitleg bij deze fout."},
        "instance": {"type": "string", "description": "Het pad van het verzoek."},
        "code": {
            "type": "string",
            "description": "Machineleesbare reden, bv. not_found, second_factor_required.",
        },
        "retry_after": {
            "type": "integer",
            "description": "Bij 429: seconden tot een nieuw verzoek mag.",
        },
    },
    "required": ["type", "title", "status", "detail", "code"],
}
VALIDATION_PROBLEM_SCHEMA = {
    "type": "object",
    "description": "Ongeldige invoer: alle fouten tegelijk in invalid-params.",
    "properties": {
        **PROBLEM_SCHEMA["properties"],
        "invalid-params": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "description": "Veld of parameter (a.b.0)."},
                    "reason": {"type": "string"},
                    "code": {"type": "string"},
                },
                "required": ["name", "reason"],
            },
        },
    },
    "required": [*PROBLEM_SCHEMA["required"], "invalid-params"],
}
DESCRIPTIONS = {
    "400": "Ongeldige invoer; alle fouten staan in invalid-params.",
    "401": "Niet ingelogd of ongeldig token.",
    "403": "Geen toegang, of de tweestapsverificatie is nog niet afgerond "
    "(code second_factor_required).",
    "404": "Niet gevonden (of niet zichtbaar voor jou).",
}
WRITE_METHODS = ("post", "put", "patch")
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def schema_only_platform_api(endpoints: list, **kwargs: Any) -> list:
    """Preprocessing hook: the schema documents ``/api/v1/`` only."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


def _problem_content(status: str) -> dict:
    name = VALIDATION_PROBLEM if status == "400" else PROBLEM
    return {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": f"#/components/schemas/{name}"}}}


def _needs_login(operation: dict, default_security: list) -> bool:
    security = operation.get("security", default_security)
    return bool(security) and {} not in security


def conventions_hook(result: dict, generator: Any, request: Any, public: bool) -> dict:
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})[PROBLEM] = PROBLEM_SCHEMA
    components["schemas"][VALIDATION_PROBLEM] = VALIDATION_PROBLEM_SCHEMA
    components.setdefault("headers", {})[VERSION_HEADER] = {
        "description": "Volledige versie van de API (SemVer).",
        "schema": {"type": "string", "example": settings.KPO_API_VERSION},
    }
    default_security = result.get("security", [])
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in METHODS or "responses" not in operation:
                continue
            responses = operation["responses"]
            has_input = bool(operation.get("parameters")) or "requestBody" in operation
            wanted = []
            if has_input or method in WRITE_METHODS:
                wanted.append("400")
            if _needs_login(operation, default_security):
                wanted.append("401")
            wanted.append("403")
            if "{" in path:
                wanted.append("404")
            for status in wanted:
                responses.setdefault(status, {"description": DESCRIPTIONS[status]})
            for status, response in responses.items():
                if status.startswith(("2", "3")):
                    response.setdefault("headers", {})[VERSION_HEADER] = {
                        "$ref": f"#/components/headers/{VERSION_HEADER}"
                    }
                elif status.startswith(("4", "5")):
                    response["content"] = _problem_content(status)
    return result
