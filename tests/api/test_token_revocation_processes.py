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


@pytest.mark.parametrize("backend_kind", ["sqlite", "postgres"], indirect=True)
def test_a_token_revoked_in_one_process_is_refused_at_once_by_the_other(two_web_processes):
    one, other, admin = two_web_processes
    for round_ in range(3):  # each round: both processes remember the token, then lose it
        status, body = _call(one, "POST", "/tokens", admin,
                             {"name": f"short-lived-{round_}", "role": "viewer"})
        assert status == 201, body
        token, token_id = json.loads(body)["token"], json.loads(body)["id"]
        for port in (one, other, one, other):  # the second call of each is a cached one
            assert _call(port, "GET", "/runs?limit=1", token)[0] == 200
        status, body = _call(one, "DELETE", f"/tokens/{token_id}", admin)
        assert status == 200, body
        assert _call(other, "GET", "/runs?limit=1", token)[0] == 401
        assert _call(one, "GET", "/runs?limit=1", token)[0] == 401
    # The admin's own token, remembered by both all along, still works in both.
    assert _call(other, "GET", "/runs?limit=1", admin)[0] == 200
    assert _call(one, "GET", "/runs?limit=1", admin)[0] == 200


def test_a_remembered_token_counts_only_under_the_generation_it_was_verified_in(env):
    who = Principal(name="ci", role="viewer", token_id=7)
    remember_principal("spio_plain", who, generation="g1")
    assert cached_principal("spio_plain", generation="g1") == who
    assert cached_principal("spio_plain", generation="g2") is None  # revoked since
    assert cached_principal("spio_plain", generation=None) is None  # Redis did not answer
    remember_principal("spio_other", who, generation=None)  # nothing learnt without Redis
    assert cached_principal("spio_other", generation="g1") is None
