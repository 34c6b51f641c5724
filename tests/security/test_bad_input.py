"""Hostile bodies and ids: each a 4xx with a clear JSON error, and nothing stored.

(The schemathesis fuzz over the whole API lives in tests/api/test_fuzz.py; these are
the shapes a generator rarely produces: broken JSON, 3 MB bodies, 100,000-deep nesting,
unicode and path-like ids.)"""

from __future__ import annotations

import json

import pytest

from tests.security.test_route_auth import _table_counts

VALID = {"job_id": "ok-1", "workflow": "noop", "schedule": {"interval_sec": 60}}


def _assert_clear_4xx(response, *, status: int | tuple[int, ...] = (400, 404, 405, 413, 422)):
    statuses = (status,) if isinstance(status, int) else status
    assert response.status_code in statuses, (response.status_code, response.text[:300])
    body = response.json()
    assert body["error"] and body["message"] and isinstance(body["errors"], list), body
    assert "Traceback" not in response.text


@pytest.mark.parametrize("raw", [
    b"{", b"not json", b'{"job_id": "a",}', b"\xff\xfe\x00", b"[]", b"null", b"42",
    b'{"job_id": "a", "schedule": {"interval_sec": NaN}}', b'"a string"',
])
def test_malformed_json_is_a_clear_422(api, raw: bytes):
    before = _table_counts()
    for path in ("/jobs", "/jobs/validate"):
        response = api.post(path, content=raw, headers={"content-type": "application/json"})
        if path.endswith("validate") and response.status_code == 200:
            assert response.json()["valid"] is False
            continue
        _assert_clear_4xx(response, status=422)
    put = api.put("/connectors/shopee/default", content=raw,
                  headers={"content-type": "application/json"})
    _assert_clear_4xx(put, status=(400, 422))  # 400: FastAPI's own body parser
    assert _table_counts() == before


@pytest.mark.parametrize("patch", [
    {"job_id": 7}, {"job_id": ["a"]}, {"schedule": {"interval_sec": "soon"}},
    {"schedule": {"interval_sec": -1}}, {"schedule": {"interval_sec": 10**30}},
    {"timeout_ms": "long"}, {"retry_policy": {"max_retry": 1e9}},
    {"inputs": {"flow_max_active_runs": 0}}, {"enabled": "yes please"},
    {"schedule": {"cron": "61 * * * *"}}, {"schedule": {"timezone": "Mars/Olympus"}},
])
def test_wrong_types_name_the_field(api, patch: dict):
    before = _table_counts()
    spec = {**VALID, **patch}
    response = api.post("/jobs", json=spec)
    _assert_clear_4xx(response, status=422)
    assert response.json()["errors"][0]["path"], response.json()
    assert _table_counts() == before


def test_huge_bodies_are_413_declared_or_not(api, env):
    before = _table_counts()
    big = {**VALID, "inputs": {"blob": "x" * (env.max_body_bytes + 10)}}
    _assert_clear_4xx(api.post("/jobs", json=big), status=413)

    def chunks():  # no Content-Length: the limit must count what arrives
        payload = json.dumps(big).encode()
        for i in range(0, len(payload), 65536):
            yield payload[i:i + 65536]

    streamed = api.post("/jobs", content=chunks(), headers={"content-type": "application/json"})
    _assert_clear_4xx(streamed, status=413)
    assert _table_counts() == before


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deep_nesting_is_refused_without_a_crash(api, depth: int):
    before = _table_counts()
    nested = ("[" * depth + "]" * depth).encode()
    body = b'{"job_id": "deep", "workflow": "noop", "inputs": {"x": ' + nested + b"}}"
    response = api.post("/jobs", content=body, headers={"content-type": "application/json"})
    if response.status_code == 201:  # 1,000 deep is legal JSON; it must round-trip
        assert depth <= 1_000
        assert api.delete("/jobs/deep").status_code in (200, 204)
    else:
        _assert_clear_4xx(response, status=(413, 422))
        assert _table_counts() == before
    obj = ("{\"a\":" * depth + "1" + "}" * depth).encode()
    response = api.put("/connectors/shopee/deep", content=b'{"settings": ' + obj + b"}",
                       headers={"content-type": "application/json"})
    assert response.status_code < 500, response.text[:200]


@pytest.mark.parametrize("job_id", [
    "../../etc/passwd", "..", "a/b", "a\\b", "%2e%2e%2f", "tôkô-ñame", "商品", "emoji-🚀",
    "null\x00byte", "a" * 129, " lead", "semi;colon", "<script>",
])
def test_unicode_and_path_like_ids_are_refused_with_the_field_named(api, job_id: str):
    before = _table_counts()
    response = api.post("/jobs", json={**VALID, "job_id": job_id})
    _assert_clear_4xx(response, status=422)
    assert any(e["path"] == "job_id" for e in response.json()["errors"]), response.json()
    assert _table_counts() == before


@pytest.mark.parametrize("path", [
    "/jobs/..%2F..%2Fetc%2Fpasswd", "/jobs/%00", "/jobs/%F0%9F%9A%80", "/runs/-1",
    "/runs/99999999999999999999999", "/runs/1e3", "/artifacts/..%2F..%2Fspio.db",
    "/jobs/" + "a" * 5000, "/tokens/0",
])
def test_hostile_ids_in_paths_are_4xx(api, path: str):
    for method in ("GET", "DELETE", "POST"):
        response = api.request(method, path)
        assert 400 <= response.status_code < 500, (method, path, response.status_code)
        if response.headers.get("content-type", "").startswith("application/json"):
            assert "error" in response.json()


def test_artifact_paths_never_leave_the_artifacts_dir(api, env):
    """An artifact row pointing outside artifacts_dir (a hostile or buggy workflow)
    is not served."""
    from backend.core.db import session_scope
    from backend.models import Artifact

    secret = env.data_dir / "secret.key"
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_text("do-not-serve")
    with session_scope() as session:
        row = Artifact(run_id=1, job_id="x", name="k", path="../secret.key",
                       content_type="text/plain", size=12)
        session.add(row)
        session.flush()
        artifact_id = row.id
    response = api.get(f"/artifacts/{artifact_id}")
    assert response.status_code == 404 and "do-not-serve" not in response.text
