"""FastAsyncClient: plain calls on the fast path, everything else through httpx's own."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from aiohttp import web

from backend.tools.http import HttpTool
from tests.tools.loopback import serve_in_thread

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def echo() -> Iterator[str]:
    async def handler(request: web.Request) -> web.Response:
        body = await request.read()
        return web.json_response(
            {
                "method": request.method,
                "query": dict(request.query),
                "headers": {k.lower(): v for k, v in request.headers.items()},
                "body": body.decode("latin-1"),
            }
        )

    app = web.Application()
    app.router.add_route("*", "/echo", handler)
    base, stop = serve_in_thread(app)
    yield f"{base}/echo"
    stop()


async def test_plain_calls_carry_params_headers_and_json(echo, settings) -> None:
    http = HttpTool(settings=settings)
    try:
        response = await http.client.post(
            echo, params={"q": "sepatu lari"}, json={"harga": 125000}, headers={"X-Shop": "1"}
        )
    finally:
        await http.aclose()
    seen = response.json()
    assert seen["query"] == {"q": "sepatu lari"}
    assert seen["headers"]["content-type"] == "application/json"
    assert seen["headers"]["x-shop"] == "1" and seen["headers"]["user-agent"] == "spio-agent"
    assert seen["body"] == '{"harga":125000}'
    assert response.request.url.params["q"] == "sepatu lari"
    assert response.elapsed.total_seconds() > 0


async def test_auth_forms_and_files_take_httpx_path(echo, settings) -> None:
    http = HttpTool(settings=settings)
    try:
        basic = await http.client.get(echo, auth=("sid", "token"))
        form = await http.client.post(echo, data={"To": "+62811", "Body": "Halo"})
        upload = await http.client.post(echo, files={"document": ("a.txt", b"isi", "text/plain")})
    finally:
        await http.aclose()
    assert basic.json()["headers"]["authorization"] == httpx.BasicAuth("sid", "token")._auth_header
    assert form.json()["body"] == "To=%2B62811&Body=Halo"
    assert "multipart/form-data" in upload.json()["headers"]["content-type"]
    assert "isi" in upload.json()["body"]
