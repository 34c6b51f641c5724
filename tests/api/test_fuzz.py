"""Property-based fuzzing of the whole REST API from its OpenAPI spec: no 5xx, ever,
whatever the body, path or query (schemathesis generates valid and invalid requests)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.api.app import create_app

pytestmark = pytest.mark.fuzz

EXAMPLES_PER_OPERATION = 35  # x 30+ operations: over 1,000 requests


def _checker(*, operation, auth: dict[str, str], sent: dict[str, int]):
    """A Hypothesis test of one operation (built per operation: @given takes no defaults)."""
    label = f"{operation.method.upper()} {operation.path}"
    is_health = operation.path == "/health"

    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(), drop_auth=st.booleans())
    def check(case, drop_auth: bool) -> None:
        headers = {} if drop_auth and not is_health else auth
        response = case.call(headers=headers)
        sent[label] = sent.get(label, 0) + 1
        if is_health and response.status_code == 503:
            # The probe's own answer (no scheduler or worker runs beside this test app).
            assert response.json()["status"] == "degraded", response.text
            return
        assert response.status_code < 500, (label, case.body, response.text[:300])
        assert "Traceback" not in response.text
        content_type = response.headers.get("content-type", [""])
        if isinstance(content_type, list):  # schemathesis keeps every header value
            content_type = content_type[0] if content_type else ""
        if response.status_code >= 400 and content_type.startswith("application/json"):
            body = response.json()
            assert body["error"] and "message" in body and isinstance(body["errors"], list)

    return check


def test_no_operation_answers_5xx_or_a_traceback(env, admin_token):
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app())
    auth = {"Authorization": f"Bearer {admin_token}"}
    sent: dict[str, int] = {}
    for result in schema.get_all_operations():
        _checker(operation=result.ok(), auth=auth, sent=sent)()
    total = sum(sent.values())
    print(f"fuzzed {len(sent)} operations with {total} requests")
    assert len(sent) >= 20 and total >= 1000
