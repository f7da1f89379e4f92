"""drf-spectacular postprocessing hook: every API operation that a rate limit applies to (by the
same ``KPO_RATE_LIMIT_RULES`` the middleware uses) documents its 429 answer, with the platform's
``Retry-After`` header (the Problem Details body is added by ``kpo.core.openapi``)."""

from __future__ import annotations

from kpo.security.ratelimit import rate_limit_rules, rule_pattern


def _limited_actions(path: str, method: str) -> list[str]:
    # Schema paths hold "{id}" placeholders; any concrete value gives the same prefix match.
    # The schema's paths are relative to its server URL (/api/v1).
    concrete = "/api/v1" + path.replace("{", "").replace("}", "")
    return [
        rule["action"]
        for rule in rate_limit_rules()
        if method.upper() in rule["methods"] and rule_pattern(rule["path"]).search(concrete)
    ]


def rate_limit_responses_hook(result, generator, request, public):
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            actions = _limited_actions(path, method)
            if not actions:
                continue
            operation["responses"]["429"] = {
                "description": "Te veel verzoeken (limiet: "
                + ", ".join(sorted(set(actions)))
                + "). Wacht het aantal seconden uit Retry-After.",
                "headers": {
                    "Retry-After": {
                        "schema": {"type": "integer"},
                        "description": "Seconden tot een nieuw verzoek mag.",
                    }
                },
            }
    return result
