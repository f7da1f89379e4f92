"""The interactive API documentation (``/api/v1/docs``) renders every operation of the OpenAPI
document in the browser, under the site's own Content-Security-Policy (no inline script or
style, no CDN): the autouse fixtures fail the test on any CSP violation or third-party request,
and this test also fails on any console error."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_api_docs_render_the_operations_without_csp_errors(page):
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    response = page.goto("/api/v1/docs")
    assert response.status == 200
    csp = response.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "'unsafe-inline'" not in csp, csp

    schema = json.loads(page.request.get("/api/v1/openapi.json").text())
    operations = sum(
        1
        for methods in schema["paths"].values()
        for method in methods
        if method in ("get", "post", "put", "patch", "delete")
    )
    assert operations > 20
    expect(page.locator(".swagger-ui .info .title")).to_contain_text(schema["info"]["title"])
    expect(page.locator(".opblock")).to_have_count(operations, timeout=15_000)
    expect(page.locator(".opblock-summary-path", has_text="/documents/{id}").first).to_be_visible()

    # An operation opens and shows its parameters and responses (the UI's own scripts work).
    page.locator(".opblock-summary-path", has_text="/documents/{id}").first.click()
    expect(page.locator(".opblock.is-open .responses-wrapper")).to_be_visible()
    assert not errors, errors
