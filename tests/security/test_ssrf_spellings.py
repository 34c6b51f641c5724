"""The http tool's SSRF guard against the ways an address can be spelt or reached
(tests/tools/test_http.py covers the plain private ranges and a metadata redirect):
decimal, hex, octal and short IPv4, IPv4-mapped IPv6, and a redirect chain from an
allowed host to loopback when loopback itself is not allowed."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from backend.core.config import Settings
from backend.tools.http import HttpTool
from backend.tools.ssrf import ForbiddenAddress

HOSTILE = [
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:a9fe:a9fe]/",  # 169.254.169.254, IPv4-mapped
    "http://[0:0:0:0:0:ffff:10.1.2.3]/",
    "http://100.100.100.200/",  # Alibaba Cloud metadata (carrier-grade NAT range)
    "http://[fe80::1%25eth0]/",  # link-local with a zone
]
# Spellings the URL parsers refuse outright (not canonical): refused too, just earlier.
MANGLED = ["2130706433", "0x7f000001", "0177.0.0.1", "127.1", "127.0.0.1.", "017700000001"]


def _strict() -> HttpTool:
    return HttpTool(settings=Settings(http_allow_hosts=""), retries=0, backoff_base_sec=0.01)


def _call(url: str, **kw) -> object:
    async def go() -> object:
        http = _strict()
        try:
            return await http.get(url, **kw)
        finally:
            await http.aclose()

    return asyncio.run(go())


@pytest.mark.parametrize("url", HOSTILE)
def test_odd_spellings_of_private_addresses_are_refused(url: str):
    with pytest.raises(ForbiddenAddress):
        _call(url)


@pytest.mark.parametrize("host", MANGLED)
def test_mangled_loopback_never_reaches_the_listener(host: str, redirector: str):
    """Whatever the tool raises for these, the loopback server behind them sees nothing."""
    port = redirector.rsplit(":", 1)[1]
    before = HITS["n"]
    with pytest.raises(Exception) as caught:
        _call(f"http://{host}:{port}/secret")
    assert HITS["n"] == before, f"{host} reached the loopback server"
    assert not isinstance(caught.value, AssertionError)


HITS = {"n": 0}


@pytest.fixture
def redirector() -> Iterator[str]:
    """A loopback server whose /hop redirects to a loopback URL spelt differently."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            HITS["n"] += 1
            port = self.server.server_address[1]
            self.send_response(302)
            target = "127.0.0.1" if self.path == "/hop" else "2130706433"
            self.send_header("Location", f"http://{target}:{port}/secret")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def test_redirect_from_an_allowed_name_to_loopback_is_refused(redirector: str):
    """Only the name "localhost" is allowed; its /hop redirects to 127.0.0.1, which is
    judged on its own and refused: the second hop never reaches the server."""
    port = redirector.rsplit(":", 1)[1]

    async def go() -> None:
        http = HttpTool(settings=Settings(http_allow_hosts="localhost"), retries=0)
        try:
            before = HITS["n"]
            first = await http.get(f"http://localhost:{port}/hop")  # allowed, not followed
            assert first.status_code == 302 and HITS["n"] == before + 1
            with pytest.raises(ForbiddenAddress):
                await http.get(f"http://localhost:{port}/hop", follow_redirects=True)
            assert HITS["n"] == before + 2  # the hop only, never /secret
        finally:
            await http.aclose()

    asyncio.run(go())
