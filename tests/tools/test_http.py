"""The http tool against a real loopback server: retries, 429s, timeouts, SSRF refusals."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest
from aiohttp import web

from backend.connectors.base import RateLimited, TransientError
from backend.core.config import Settings
from backend.tools.http import HttpTool
from backend.tools.ssrf import ForbiddenAddress
from tests.tools.loopback import serve_in_thread

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, dict[str, int]]]:
    hits: dict[str, int] = {}

    def count(name: str) -> int:
        hits[name] = hits.get(name, 0) + 1
        return hits[name]

    async def ok(request: web.Request) -> web.Response:
        return web.json_response({"ok": True, "q": request.query.get("q")})

    async def flaky(request: web.Request) -> web.Response:
        key = request.match_info["key"]
        if count(key) <= 2:
            return web.Response(status=503)
        return web.json_response({"attempt": hits[key]})

    async def limited(request: web.Request) -> web.Response:
        key = request.match_info["key"]
        if count(key) == 1:
            return web.Response(status=429, headers={"Retry-After": "0.3"})
        return web.json_response({"attempt": hits[key]})

    async def always_429(request: web.Request) -> web.Response:
        return web.Response(status=429, headers={"Retry-After": "0.05"})

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(1.0)
        return web.Response(text="late")

    async def to_metadata(request: web.Request) -> web.Response:
        raise web.HTTPFound("http://169.254.169.254/latest/meta-data/")

    async def to_ok(request: web.Request) -> web.Response:
        raise web.HTTPFound("/ok?q=moved")

    app = web.Application()
    app.router.add_get("/ok", ok)
    app.router.add_route("*", "/flaky/{key}", flaky)
    app.router.add_get("/limited/{key}", limited)
    app.router.add_get("/always429", always_429)
    app.router.add_get("/slow", slow)
    app.router.add_get("/to-metadata", to_metadata)
    app.router.add_get("/to-ok", to_ok)
    base, stop = serve_in_thread(app)
    yield base, hits
    stop()


def _tool(settings: Settings, **kw: object) -> HttpTool:
    return HttpTool(settings=settings, backoff_base_sec=0.01, **kw)  # type: ignore[arg-type]


async def test_get_returns_httpx_response(server, settings) -> None:
    base, _ = server
    http = _tool(settings)
    try:
        responses = await asyncio.gather(
            *(http.get(f"{base}/ok", params={"q": i}) for i in range(50))
        )
    finally:
        await http.aclose()
    assert [r.json()["q"] for r in responses] == [str(i) for i in range(50)]
    assert responses[0].status_code == 200


async def test_5xx_retried_for_idempotent_requests(server, settings) -> None:
    base, hits = server
    http = _tool(settings)
    try:
        response = await http.get(f"{base}/flaky/get")
        # A POST may not be repeated blindly ...
        with pytest.raises(TransientError):
            await http.post(f"{base}/flaky/post", json={})
        # ... unless it carries an idempotency key the server honours.
        keyed = await http.post(
            f"{base}/flaky/post-keyed", json={}, headers={"Idempotency-Key": "k1"}
        )
    finally:
        await http.aclose()
    assert response.json() == {"attempt": 3}
    assert hits["post"] == 1
    assert keyed.json() == {"attempt": 3}


async def test_429_waits_retry_after_then_succeeds(server, settings) -> None:
    base, _ = server
    http = _tool(settings)
    try:
        started = time.monotonic()
        response = await http.get(f"{base}/limited/a")
        waited = time.monotonic() - started
        with pytest.raises(RateLimited) as caught:
            await http.get(f"{base}/always429", retries=0)
    finally:
        await http.aclose()
    assert response.json() == {"attempt": 2}
    assert waited >= 0.3
    assert caught.value.retry_after == pytest.approx(0.05)


async def test_timeout_becomes_transient_error(server, settings) -> None:
    base, _ = server
    http = _tool(settings, retries=0)
    try:
        with pytest.raises(TransientError, match="ReadTimeout"):
            await http.get(f"{base}/slow", timeout=0.2)
    finally:
        await http.aclose()


async def test_redirects_followed_only_when_asked(server, settings) -> None:
    base, _ = server
    http = _tool(settings)
    try:
        first = await http.get(f"{base}/to-ok")
        followed = await http.get(f"{base}/to-ok", follow_redirects=True)
    finally:
        await http.aclose()
    assert first.status_code == 302
    assert followed.json()["q"] == "moved"


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata
        "http://10.0.0.7/admin",
        "http://192.168.1.1/",
        "http://[fd00::1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://0.0.0.0:80/",
    ],
)
async def test_private_addresses_refused(settings, url: str) -> None:
    http = _tool(settings)
    try:
        with pytest.raises(ForbiddenAddress):
            await http.get(url)
    finally:
        await http.aclose()


async def test_redirect_to_metadata_refused(server, settings) -> None:
    base, _ = server
    http = _tool(settings)
    try:
        with pytest.raises(ForbiddenAddress):
            await http.get(f"{base}/to-metadata", follow_redirects=True)
    finally:
        await http.aclose()


async def test_loopback_refused_unless_allow_listed(server, settings) -> None:
    base, _ = server
    port = base.rsplit(":", 1)[1]
    strict = _tool(settings.model_copy(update={"http_allow_hosts": ""}))
    try:
        with pytest.raises(ForbiddenAddress):
            await strict.get(f"{base}/ok")
        # A name is judged by what it resolves to.
        with pytest.raises(ForbiddenAddress):
            await strict.get(f"http://localhost:{port}/ok")
        with pytest.raises(ForbiddenAddress):
            await strict.client.get(f"{base}/ok")
    finally:
        await strict.aclose()

