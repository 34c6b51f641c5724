"""Every route of the app, enumerated from the app itself (a route added tomorrow is
covered tomorrow): refused without a token, with a wrong one and with a revoked one; a
viewer changes nothing; tokens are stored hashed and never leave the server again."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from backend.api.app import create_app
from backend.auth.tokens import create_token
from backend.core.db import session_scope

# Routes that are public on purpose, each with the reason.
PUBLIC = {
    ("GET", "/health"): "liveness probe",
    ("POST", "/auth/login"): "hands out tokens; rate-limited instead",
    ("POST", "/webhooks/tracking"): "signed with HMAC (X-Sandbox-Signature) instead",
    ("GET", "/webhooks/whatsapp"): "Meta's verify handshake: answers only to the account's "
        "verify token (403 otherwise) and reveals nothing but the challenge it was sent",
    ("POST", "/webhooks/whatsapp"): "signed by Meta (X-Hub-Signature-256, the app secret)",
    ("POST", "/webhooks/twilio"): "signed by Twilio (X-Twilio-Signature, the auth token)",
    ("POST", "/webhooks/shopee"): "signed by Shopee (Authorization, the partner key)",
    ("POST", "/webhooks/tiktok_shop"): "signed by TikTok Shop (Authorization, the app secret)",
    ("POST", "/hooks/{job_id}"): "signed with the job's own webhook secret (X-Spio-Signature "
                                 "over timestamp.body, or its bearer secret)",
    ("GET", "/docs"): "the API's documentation page: static HTML, no data (as FastAPI's own)",
    ("GET", "/docs/oauth2-redirect"): "Swagger UI's static OAuth2 helper page, no data",
    ("GET", "/redoc"): "the API's documentation page: static HTML, no data",
    ("GET", "/docs/assets/redoc.standalone.js"): "ReDoc's script, a public file of a package",
    ("GET", "/favicon.ico"): "the icon browsers ask for before anyone signs in",
    ("GET", "/artifacts/{artifact_id}/inline"):
        "a signed link that expires in minutes instead (an iframe cannot send a token)",
}
READ_METHODS = {"GET", "HEAD"}


def _routes() -> list[tuple[str, str]]:
    """(method, path) of every API route: plain routes and those of included routers
    (this FastAPI keeps those behind an _IncludedRouter), plus the OpenAPI paths, so a
    route hidden from the schema is still found."""
    app = create_app()
    found: set[tuple[str, str]] = set()
    for route in app.routes:
        contexts = getattr(route, "effective_candidates", None)
        if callable(contexts):
            contexts = contexts()
        for item in (contexts if contexts is not None else [route]):
            if isinstance(item, APIRoute) or contexts is not None:
                for method in item.methods or ():
                    found.add((method, item.path))
    for path, operations in app.openapi()["paths"].items():
        found |= {(m.upper(), path) for m in operations}
    return sorted(found - {(m, p) for m, p in found if m == "HEAD"})


def _concrete(path: str) -> str:
    """Fill path parameters with plausible values (numeric ids 1, job "x", names "x")."""
    def value(name: str) -> str:
        return "x" if name == "job_id" or not name.endswith("id") else "1"

    return re.sub(r"\{([^}]+)\}", lambda m: value(m.group(1)), path)


def _token(role: str) -> str:
    with session_scope() as session:
        _, plaintext = create_token(session=session, name=f"t-{role}", role=role)
    return plaintext


@pytest.fixture
def client(env):
    with TestClient(create_app(), raise_server_exceptions=False) as c:
        yield c


def test_the_enumeration_sees_the_whole_api():
    routes = _routes()
    assert len(routes) >= 25
    assert ("POST", "/jobs") in routes and ("DELETE", "/tokens/{token_id}") in routes


def test_every_route_but_the_public_ones_refuses_bad_tokens(client, env):
    admin = _token("admin")
    revoked = _token("admin")
    tokens = client.get("/tokens", headers={"Authorization": f"Bearer {admin}"}).json()
    revoked_id = next(t["id"] for t in tokens if t["prefix"] == revoked[:12])
    assert client.delete(f"/tokens/{revoked_id}",
                         headers={"Authorization": f"Bearer {admin}"}).status_code == 200
    attempts = {
        "missing": {},
        "wrong": {"Authorization": "Bearer spio_" + "A" * 43},
        "malformed": {"Authorization": "Basic YWRtaW46YWRtaW4="},
        "revoked": {"Authorization": f"Bearer {revoked}"},
    }
    checked = 0
    for method, path in _routes():
        if (method, path) in PUBLIC:
            continue
        for label, headers in attempts.items():
            response = client.request(method, _concrete(path), headers=headers, json={})
            assert response.status_code == 401, (label, method, path, response.text)
            assert response.json()["error"] == "unauthorized"
            checked += 1
    print(f"{checked} refused requests over {checked // len(attempts)} routes")


def test_public_routes_stay_harmless_without_a_token(client):
    assert client.get("/health").status_code in (200, 503)
    bad_login = client.post("/auth/login", json={"username": "x", "password": "y"})
    assert bad_login.status_code == 422 and "token" not in bad_login.json()
    unsigned = client.post("/webhooks/tracking", json={"type": "delivered"})
    assert unsigned.status_code == 401
    assert client.get("/artifacts/1/inline").status_code == 422  # names exp and sig
    forged = client.get("/artifacts/1/inline", params={"exp": 2**40, "sig": "é" * 64})
    assert forged.status_code == 404


def _table_counts() -> dict[str, int]:
    from sqlalchemy import func, select
    from sqlmodel import SQLModel

    with session_scope() as session:
        return {name: session.execute(select(func.count()).select_from(table)).scalar_one()
                for name, table in SQLModel.metadata.tables.items()}


def test_a_viewer_changes_nothing(client, env):
    viewer = {"Authorization": f"Bearer {_token('viewer')}"}
    admin = {"Authorization": f"Bearer {_token('admin')}"}
    job = {"job_id": "x", "workflow": "noop", "schedule": {"interval_sec": 3600}}
    assert client.post("/jobs", json=job, headers=admin).status_code == 201
    before = _table_counts()
    writes = [(m, p) for m, p in _routes() if m not in READ_METHODS and (m, p) not in PUBLIC]
    assert len(writes) >= 10
    allowed = []
    for method, path in writes:
        response = client.request(method, _concrete(path), headers=viewer, json=job)
        if response.status_code != 403:
            allowed.append((method, path, response.status_code))
    # Only requests that compute without storing may pass (validating a spec, planning
    # from a prompt): nothing in the database changed.
    assert all(p.endswith(("/validate", "/plan", "/preview", "/estimate", "/explain"))
               for _, p, _ in allowed), allowed
    assert _table_counts() == before
    assert client.get("/jobs/x", headers=admin).json()["paused"] is False
    admin_only = [(m, p) for m, p in _routes() if p.startswith(("/tokens", "/users",
                                                              "/connectors"))]
    operator = {"Authorization": f"Bearer {_token('operator')}"}
    for method, path in admin_only:
        response = client.request(method, _concrete(path), headers=operator, json={})
        assert response.status_code == 403, (method, path, response.text)


def test_tokens_are_stored_hashed_and_shown_once(client, env):
    admin = {"Authorization": f"Bearer {_token('admin')}"}
    created = client.post("/tokens", json={"name": "ci", "role": "operator"}, headers=admin)
    plaintext = created.json()["token"]
    assert plaintext.startswith("spio_") and len(plaintext) >= 40
    listed = client.get("/tokens", headers=admin).text
    assert plaintext not in listed and plaintext[12:] not in listed
    db_bytes = b"".join(p.read_bytes() for p in Path(env.data_dir).glob("spio.db*"))
    assert plaintext.encode() not in db_bytes
    import hashlib

    assert hashlib.sha256(plaintext.encode()).hexdigest().encode() in db_bytes


def test_tokens_are_compared_in_constant_time():
    """The lookup is by SHA-256 of the presented token (an attacker's guess never shares
    a prefix with the stored hash in a useful way) and the final comparison is
    hmac.compare_digest; a plain == on the token or hash would be a timing oracle."""
    import inspect

    from backend.auth import tokens
    from backend.core import security

    source = inspect.getsource(tokens.verify_token)
    assert "hash_token(plaintext)" in source and "tokens_equal" in source
    assert "compare_digest" in inspect.getsource(security.tokens_equal)


def test_login_is_rate_limited_per_user_across_addresses(env):
    """Rotating client addresses does not buy more guesses at one user's password."""
    import redis as redis_lib

    from backend.auth import users
    from backend.core.redis import get_redis

    with session_scope() as session:
        users.create_user(session=session, username="dewi", password="benar-sekali-1",
                          role="viewer")
    outcomes = []
    for i in range(env.login_attempts_per_minute + 3):
        try:
            with session_scope() as session:
                users.login(session=session, client=get_redis(), username="dewi",
                            password=f"guess-{i}")
            outcomes.append("ok")
        except users.TooManyAttempts:
            outcomes.append("429")
        except Exception as exc:  # wrong password
            outcomes.append(type(exc).__name__)
    assert outcomes[-1] == "429" and "ok" not in outcomes, outcomes
    assert isinstance(get_redis(), redis_lib.Redis)
