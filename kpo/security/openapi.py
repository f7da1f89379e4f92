"""drf-spectacular postprocessing hook: every API operation that a rate limit applies to (by the
same ``KPO_RATE_LIMIT_RULES`` the middleware uses) documents its 429 answer, with the platform's
error format and the ``Retry-After`` header."""

from __future__ import annotations

from kpo.security.ratelimit import rate_limit_rules, rule_pattern

COMPONENT = "RateLimitedError"
ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string", "enum": ["rate_limited"]},
                "message": {"type": "string"},
                "details": {
                    "type": "object",
                    "properties": {"retry_after": {"type": "integer", "minimum": 1}},
                    "required": ["retry_after"],
                },
            },
            "required": ["code", "message", "details"],
        }
    },
    "required": ["error"],
}


def _limited_actions(path: str, method: str) -> list[str]:
    # Schema paths hold "{id}" placeholders; any concrete value gives the same prefix match.
    concrete = path.replace("{", "").replace("}", "")
    return [
        rule["action"]
        for rule in rate_limit_rules()
        if method.upper() in rule["methods"] and rule_pattern(rule["path"]).search(concrete)
    ]


def rate_limit_responses_hook(result, generator, request, public):
    limited = False
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            actions = _limited_actions(path, method)
            if not actions:
                continue
            limited = True
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
                "content": {
                    "application/json": {"schema": {"$ref": f"#/components/schemas/{COMPONENT}"}}
                },
            }
    if limited:
        result.setdefault("components", {}).setdefault("schemas", {})[COMPONENT] = ERROR_SCHEMA
    return result
