"""Property-based API testing against the project's own OpenAPI schema (`/api/v1/openapi.json`).

Schemathesis generates valid and invalid requests for every operation, sent as an
authenticated professional (token) through the real WSGI application and database: no response
may be a 5xx, and documented responses must conform to the schema. (Schemathesis' pytest plugin
does not support pytest 9 yet, so the operations are driven with its strategies and hypothesis.)
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from knox.models import AuthToken
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_schema(db, corpus):
    """The schema, served by the real WSGI application inside the test's transaction.

    Like Django's test client, keep the request cycle from closing the test's database
    connection (``close_old_connections`` on request start/finish)."""
    from kpo.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def token_header(db):
    user = ProfileFactory().user
    _, token = AuthToken.objects.create(user=user)
    return {"Authorization": f"Token {token}"}


def _operations(schema):
    for result in schema.get_all_operations():
        yield result.ok()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_server_errors_and_schema_conformance(api_schema, token_header, mode):
    failures = []
    operations = list(_operations(api_schema))
    assert operations, "the schema lists no operations"
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        def run(case):
            # Each request in its own savepoint, like a separate request would be.
            with transaction.atomic():
                response = case.call(headers=token_header)
                transaction.set_rollback(True)
            assert response.status_code < 500, (
                f"{case.method} {case.formatted_path} → {response.status_code}: "
                f"{response.text[:300]}"
            )
            if mode is GenerationMode.POSITIVE:
                case.validate_response(
                    response, checks=(response_schema_conformance, content_type_conformance)
                )

        try:
            run()
        except Unsatisfiable:
            # No invalid request can be made for an operation without inputs.
            assert mode is GenerationMode.NEGATIVE, operation.label
        except Exception as exc:  # noqa: BLE001 - collect every operation's failure
            failures.append(f"{operation.label}: {str(exc)[:800]}")
    assert not failures, "\n\n".join(failures)
