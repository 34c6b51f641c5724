"""The dashboard's API call success: a run's tools count every HTTP exchange (through
the tool or a connector's client) and add them to Redis when the run's tools close."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from aiohttp import web

from backend.connectors.base import TransientError
from backend.core.config import Settings
from backend.tools import build_tools
from backend.tools.api_calls import api_call_totals
from tests.tools.loopback import serve_in_thread

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    async def ok(request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    async def missing(request: web.Request) -> web.Response:
        return web.Response(status=404)

    app = web.Application()
    app.router.add_get("/ok", ok)
    app.router.add_get("/missing", missing)
    url, stop = serve_in_thread(app)
    yield url
    stop()


async def test_exchanges_of_a_run_are_counted_once_its_tools_close(
    server: str, settings: Settings, redis, sync_redis
) -> None:
    tools = build_tools(settings=settings, redis=redis, run_id=1, job_id="j")
    for _ in range(3):
        assert (await tools.http.get(f"{server}/ok")).status_code == 200
    # A connector's own calls use the same client: they count too.
    assert (await tools.http.client.get(f"{server}/missing")).status_code == 404
    with pytest.raises(TransientError):  # nothing listens there: no response at all
        await tools.http.get("http://127.0.0.1:9/", retries=0)
    assert api_call_totals(client=sync_redis, prefix=settings.redis_prefix) == (0, 0)
    await tools.aclose()
    assert api_call_totals(client=sync_redis, prefix=settings.redis_prefix) == (3, 2)

    second = build_tools(settings=settings, redis=redis, run_id=2, job_id="j")
    await second.http.get(f"{server}/ok")
    await second.aclose()
    assert api_call_totals(client=sync_redis, prefix=settings.redis_prefix) == (4, 2)
