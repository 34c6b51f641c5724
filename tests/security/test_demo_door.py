"""Demo mode (LOCAL_ANONYMOUS_ROLE=admin, as `scripts/up` runs) opens the API only to a
request from this machine that no proxy forwarded and no other web origin sent: the
probe's requests (Caddy's and nginx's forwarding headers, a foreign Host, a page on
another origin) get 401, and the seed's plain curl from loopback still works.

The same door through a real Caddy / nginx in front of the web process, and the UI's
side of it, are in tests/e2e/test_demo_proxy.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from backend.auth.demo import demo_role
from backend.core.config import Settings, get_settings

TOKEN_BODY = {"name": "minted", "role": "admin"}


@pytest.fixture
def demo(env, monkeypatch) -> Iterator[TestClient]:
    """The API in demo mode, called from 127.0.0.1 with Host localhost (like curl)."""
    monkeypatch.setenv("LOCAL_ANONYMOUS_ROLE", "admin")
    get_settings.cache_clear()
    from backend.api.app import create_app

    port = get_settings().api_port
    with TestClient(create_app(), base_url=f"http://localhost:{port}",
                    client=("127.0.0.1", 51000)) as client:  # fmt: skip
        yield client
    get_settings.cache_clear()


def test_plain_loopback_request_is_the_demo_admin(demo: TestClient):
    assert demo.get("/jobs").status_code == 200
    minted = demo.post("/tokens", json=TOKEN_BODY)
    assert minted.status_code == 201 and minted.json()["token"].startswith("spio_")


@pytest.mark.parametrize("headers", [
    # Caddy's reverse_proxy defaults
    {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https",
     "X-Forwarded-Host": "toko.example"},
    # Debian nginx's proxy_params
    {"X-Real-IP": "203.0.113.7", "X-Forwarded-For": "203.0.113.7",
     "X-Forwarded-Proto": "http"},
    {"Forwarded": "for=203.0.113.7;proto=https"},
    {"Via": "1.1 proxy"},
    {"X-Forwarded-For": ""},  # even empty: only a proxy adds it
], ids=["caddy", "nginx-proxy-params", "forwarded", "via", "empty-xff"])
def test_forwarded_requests_need_a_token(demo: TestClient, headers: dict[str, str]):
    assert demo.post("/tokens", json=TOKEN_BODY, headers=headers).status_code == 401
    assert demo.get("/jobs", headers=headers).status_code == 401
    assert demo.get("/connectors", headers=headers).status_code == 401


@pytest.mark.parametrize("host", ["toko.example", "toko.example:8000", "192.168.1.5:8000",
                                  "localhost.toko.example"])
def test_a_host_other_than_localhost_needs_a_token(demo: TestClient, host: str):
    # nginx with `proxy_set_header Host $host` and no forwarding headers, say.
    assert demo.post("/tokens", json=TOKEN_BODY, headers={"Host": host}).status_code == 401


def test_another_origin_gets_no_demo_rights(demo: TestClient):
    """A page on another local origin (the probe's second origin) cannot act as the
    demo admin, even with a request CORS would not stop ("simple" text/plain POST)."""
    port = get_settings().api_port
    for origin in ("http://127.0.0.1:9999", "http://localhost:3001", "null",
                   "http://evil.example"):
        response = demo.post("/jobs", headers={"Origin": origin, "Content-Type": "text/plain"},
                             content=b'{"job_id": "csrf", "workflow": "noop"}')
        assert response.status_code == 401, origin
        assert demo.post("/tokens", json=TOKEN_BODY,
                         headers={"Origin": origin}).status_code == 401
    own = demo.post("/tokens", json=TOKEN_BODY, headers={"Origin": f"http://localhost:{port}"})
    assert own.status_code == 201  # the UI on this machine, same origin


def test_remote_client_without_token_is_refused(env, monkeypatch):
    monkeypatch.setenv("LOCAL_ANONYMOUS_ROLE", "admin")
    get_settings.cache_clear()
    from backend.api.app import create_app

    with TestClient(create_app(), base_url="http://localhost:8000",
                    client=("192.168.1.20", 51000)) as client:  # fmt: skip
        assert client.post("/tokens", json=TOKEN_BODY).status_code == 401
    get_settings.cache_clear()


def test_demo_role_rules():
    settings = Settings(local_anonymous_role="operator", api_port=8123)
    base = {"host": "127.0.0.1:8123"}
    assert demo_role(client_host="127.0.0.1", headers=base, settings=settings) == "operator"
    assert demo_role(client_host="::1", headers={"host": "[::1]:8123"},
                     settings=settings) == "operator"
    assert demo_role(client_host="127.0.0.1", headers=base, http_version="1.0",
                     settings=settings) == ""  # nginx's default proxy_pass speaks 1.0
    assert demo_role(client_host="127.0.0.1", headers={**base, "x-forwarded-port": "443"},
                     settings=settings) == ""
    assert demo_role(client_host="10.0.0.2", headers=base, settings=settings) == ""
    assert demo_role(client_host="127.0.0.1", headers={}, settings=settings) == ""
    off = Settings(local_anonymous_role="", api_port=8123)
    assert demo_role(client_host="127.0.0.1", headers=base, settings=off) == ""
