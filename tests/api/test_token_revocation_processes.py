"""A revoked token stops at once in every web process, though each remembers tokens it
verified (``TOKEN_CACHE_SEC``): two API processes on one database and Redis, as
``WEB_WORKERS=2`` or two web hosts run them."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from backend.auth.token_cache import cached_principal, remember_principal
from backend.auth.tokens import Principal
from backend.core.config import PROJECT_ROOT
from tests.reliability.servers import free_port


def _start_api(port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "backend.api.app:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        cwd=PROJECT_ROOT, start_new_session=True, stdout=subprocess.DEVNULL,
        # Long enough that only the revocation, not the cache's age, can end a token.
        env={**os.environ, "TOKEN_CACHE_SEC": "60"},
    )


def _call(port: int, method: str, path: str, token: str, body: object = None) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
    response = conn.getresponse()
    return response.status, response.read().decode()


def _wait_ready(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            _call(port, "GET", "/health", "")
            return
        except OSError:
            assert proc.poll() is None and time.monotonic() < deadline, "api did not start"
            time.sleep(0.2)


@pytest.fixture
def two_web_processes(env: object, admin_token: str) -> Iterator[tuple[int, int, str]]:
    ports = (free_port(), free_port())
    procs = [_start_api(port) for port in ports]
    try:
        for port, proc in zip(ports, procs, strict=True):
            _wait_ready(port, proc)
        yield ports[0], ports[1], admin_token
    finally:
        for proc in procs:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


def _revoke_behind_the_api(token_id: int) -> None:
    """Mark the row revoked without telling anyone: only the caches answer for it."""
    from backend.core.db import session_scope
    from backend.models import ApiToken
    from backend.models.types import utcnow

    with session_scope() as session:
        row = session.get(ApiToken, token_id)
        assert row is not None
        row.revoked_at = utcnow()
        session.add(row)


@pytest.mark.parametrize("backend_kind", ["sqlite", "postgres"], indirect=True)
def test_a_token_revoked_in_one_process_is_refused_at_once_by_the_other(two_web_processes):
    one, other, admin = two_web_processes
    for round_ in range(3):  # each round: both processes remember the token, then lose it
        status, body = _call(one, "POST", "/tokens", admin,
                             {"name": f"short-lived-{round_}", "role": "viewer"})
        assert status == 201, body
        token, token_id = json.loads(body)["token"], json.loads(body)["id"]
        deadline = time.monotonic() + 20
        for port in (one, other):
            # Until its listener follows the revocation channel a process remembers
            # nothing; then the row, revoked behind the API's back, is not read again.
            assert _call(port, "GET", "/runs?limit=1", token)[0] == 200
        _revoke_behind_the_api(token_id)
        for port in (one, other):
            while _call(port, "GET", "/runs?limit=1", token)[0] != 200:
                # not remembered yet: un-revoke, let it be verified and remembered
                assert time.monotonic() < deadline, "the token was never remembered"
                _unrevoke(token_id)
                assert _call(port, "GET", "/runs?limit=1", token)[0] == 200
                _revoke_behind_the_api(token_id)
        status, body = _call(one, "DELETE", f"/tokens/{token_id}", admin)
        assert status == 200, body
        assert _call(other, "GET", "/runs?limit=1", token)[0] == 401
        assert _call(one, "GET", "/runs?limit=1", token)[0] == 401
    # The admin's own token, remembered by both all along, still works in both.
    assert _call(other, "GET", "/runs?limit=1", admin)[0] == 200
    assert _call(one, "GET", "/runs?limit=1", admin)[0] == 200


def _unrevoke(token_id: int) -> None:
    from backend.core.db import session_scope
    from backend.models import ApiToken

    with session_scope() as session:
        row = session.get(ApiToken, token_id)
        assert row is not None
        row.revoked_at = None
        session.add(row)


def test_nothing_is_remembered_while_revocations_cannot_be_heard(env, monkeypatch):
    """A process that does not follow the revocation channel (Redis away, or not
    subscribed yet) reads every token row."""
    from backend.auth import token_cache

    who = Principal(name="ci", role="viewer", token_id=7)
    deadline = time.monotonic() + 10
    while token_cache.cache_epoch() is None:  # the listener subscribes
        assert time.monotonic() < deadline, "never followed the revocation channel"
        time.sleep(0.05)
    epoch = token_cache.cache_epoch()
    remember_principal("spio_plain", who, epoch=epoch)
    assert cached_principal("spio_plain") == who
    monkeypatch.setattr(token_cache, "_following", None)  # as when Redis is lost
    assert cached_principal("spio_plain") is None
    assert token_cache.cache_epoch() is None


def test_a_verification_overtaken_by_a_revocation_is_not_remembered(env):
    from backend.auth import token_cache

    deadline = time.monotonic() + 10
    while token_cache.cache_epoch() is None:
        assert time.monotonic() < deadline, "never followed the revocation channel"
        time.sleep(0.05)
    epoch = token_cache.cache_epoch()  # taken before the row is read ...
    token_cache.forget_principals()  # ... a revocation lands meanwhile ...
    remember_principal("spio_plain", Principal(name="ci", role="viewer"), epoch=epoch)
    assert cached_principal("spio_plain") is None  # ... and the old row is not kept
