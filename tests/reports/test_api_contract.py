"""Schemathesis over the whole OpenAPI schema of the app, inside the test suite: valid and invalid requests
generated from the schema, sent to the WSGI application with an administrator's token. No answer may be a
server error, every 2xx must match its documented schema, and every error must be in the one error shape.

Bounded (a few examples per operation, deterministic) so that it stays a few seconds long."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from waspada.reports.schemas import ReportIn
from waspada.reports.services import Submission, create_incident, create_report

MAX_EXAMPLES = 8


def one_error_shape(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every 4xx/5xx: {"error": {"status", "code", "message"[, "details"]}} with status = the HTTP status."""
    if response.status_code < 400:
        return None
    where = f"{case.method} {case.formatted_path} → {response.status_code}"
    content_type = response.headers.get("content-type", [""])
    content_type = content_type[0] if isinstance(content_type, list) else content_type
    assert content_type.startswith("application/json"), f"{where}: {content_type}"
    body = response.json()
    assert isinstance(body, dict) and set(body) == {"error"}, f"{where}: {body}"
    error = body["error"]
    assert {"status", "code", "message"} <= set(error) <= {"status", "code", "message", "details"}, where
    assert error["status"] == response.status_code, where
    assert isinstance(error["code"], str) and error["code"], where
    assert isinstance(error["message"], str) and error["message"], where
    return True


@pytest.fixture
def api_schema(db: Any, personas: dict[str, Any], token_for: Any, settings: Any) -> Iterator[Any]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Something to find: reports in two kabupaten, one of them in an incident.
    made = []
    for region, event_type in [("65.71.01.1001", "riot"), ("65.03.01.2001", "intimidation")]:
        data = ReportIn.model_validate(
            {
                "region": region,
                "event_type": event_type,
                "occurred_at": "2024-11-27T10:00:00+08:00",
                "description": "Laporan untuk uji kontrak.",
            }
        )
        made.append(create_report(data, Submission(channel="api", user=personas["admin"])))
    create_incident(made[:1], personas["admin"])
    token = token_for(personas["admin"])
    config = schemathesis.Config.from_dict(
        {
            "seed": 20241127,
            # identity: the WSGI transport does not undo the gzip that GZipMiddleware would apply
            "headers": {"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"},
            "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
            "phases": {"stateful": {"enabled": False}},
        }
    )
    # Django's own test client keeps these off while it calls the application, so that the test's transaction
    # is not closed under it; calling the WSGI application directly has to do the same.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        from waspada.wsgi import application

        yield schemathesis.openapi.from_wsgi("/api/openapi.json", application, config=config)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_never_fails_and_always_answers_errors_in_one_shape(case: Any) -> None:
    response = case.call()
    case.validate_response(
        response,
        checks=[not_a_server_error, one_error_shape, response_schema_conformance, content_type_conformance],
    )
