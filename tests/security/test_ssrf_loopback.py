"""With the shipped defaults the http tool reaches no loopback service: the probe's
127.0.0.1:6379, localhost:5432, [::1]:6379, 0x7f000001:6379 and 2130706433, directly
or through a 302, and not the app's own API port on any host, unless HTTP_ALLOW_HOSTS
names them. Outside production the sandbox is reachable because it is named (host and
port); in production it is not."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from backend.core.config import Settings
from backend.tools.http import HttpTool
from backend.tools.ssrf import AddressPolicy, ForbiddenAddress

PROBE_URLS = [
    "http://127.0.0.1:6379/", "http://localhost:5432/", "http://[::1]:6379/",
    "http://0x7f000001:6379/", "http://2130706433:6379/", "http://127.1:6379/",
    "http://[::ffff:127.0.0.1]:6379/", "http://localhost./", "http://127.0.0.2:8000/",
]


def _defaults(**overrides: object) -> Settings:
    """The settings `scripts/up` runs with (no HTTP_ALLOW_HOSTS), ignoring this
    process's environment."""
    values: dict[str, object] = {"http_allow_hosts": "", "environment": "development"}
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def _get(settings: Settings, url: str, **kw: object) -> object:
    async def go() -> object:
        http = HttpTool(settings=settings, retries=0)
        try:
            return await http.get(url, **kw)
        finally:
            await http.aclose()

    return asyncio.run(go())


def test_the_default_allow_list_is_empty():
    assert Settings.model_fields["http_allow_hosts"].default == ""


@pytest.mark.parametrize("url", PROBE_URLS)
def test_loopback_in_every_spelling_is_refused(url: str, listener: tuple[int, list[str]]):
    port, hits = listener
    with pytest.raises(ForbiddenAddress):
        _get(_defaults(), url)
    # And a listener on loopback hears nothing, whatever the spelling.
    for host in ("127.0.0.1", "localhost", "0x7f000001", "2130706433", "[::ffff:127.0.0.1]"):
        with pytest.raises(Exception) as caught:
            _get(_defaults(), f"http://{host}:{port}/secret")
        assert not isinstance(caught.value, AssertionError)
    assert hits == []


def test_a_redirect_to_loopback_is_refused(listener: tuple[int, list[str]]):
    """An allowed test server answers 302 to 127.0.0.1:<listener>; the hop is refused."""
    port, hits = listener
    with _redirector(f"http://127.0.0.1:{port}/secret") as hop_port:
        settings = _defaults(http_allow_hosts=f"127.0.0.1:{hop_port}")
        first = _get(settings, f"http://127.0.0.1:{hop_port}/")
        assert first.status_code == 302  # the named host:port itself is reachable
        with pytest.raises(ForbiddenAddress):
            _get(settings, f"http://127.0.0.1:{hop_port}/", follow_redirects=True)
    assert hits == []


def test_the_apps_own_ports_need_host_and_port_named():
    policy = AddressPolicy.from_settings(_defaults(api_port=8123,
                                                   http_allow_hosts="127.0.0.1,intranet"))
    with pytest.raises(ForbiddenAddress, match="own"):
        policy.check_address("127.0.0.1", "127.0.0.1", 8123)  # the API itself
    with pytest.raises(ForbiddenAddress, match="own"):
        policy.check_address("127.0.0.1", "127.0.0.1", 6379)  # Redis
    with pytest.raises(ForbiddenAddress):
        policy.check_address("shop.example", "93.184.216.34", 8123)  # public IP, API port
    policy.check_address("127.0.0.1", "127.0.0.1", 9000)  # named host, other port
    named = AddressPolicy.from_settings(_defaults(api_port=8123,
                                                  http_allow_hosts="127.0.0.1:8123"))
    named.check_address("127.0.0.1", "127.0.0.1", 8123)


def test_the_sandbox_is_named_in_demo_and_closed_in_production():
    demo = AddressPolicy.from_settings(_defaults(sandbox_port=8911))
    demo.check_address("127.0.0.1", "127.0.0.1", 8911)
    with pytest.raises(ForbiddenAddress):
        demo.check_address("127.0.0.1", "127.0.0.1", 8912)
    production = AddressPolicy.from_settings(
        _defaults(environment="production", sandbox_port=8911))
    with pytest.raises(ForbiddenAddress):
        production.check_address("127.0.0.1", "127.0.0.1", 8911)


def test_an_agent_tool_cannot_post_to_the_app_itself(listener: tuple[int, list[str]]):
    """What an LLM agent's http_post would do: the app's API port is refused even on a
    host the allow-list opens."""
    port, hits = listener
    settings = _defaults(api_port=port, http_allow_hosts="127.0.0.1,localhost")

    async def go() -> None:
        http = HttpTool(settings=settings, retries=0)
        try:
            with pytest.raises(ForbiddenAddress):
                await http.post(f"http://127.0.0.1:{port}/tokens", json={"role": "admin"})
            with pytest.raises(ForbiddenAddress):
                await http.post(f"http://localhost:{port}/tokens", json={"role": "admin"})
        finally:
            await http.aclose()

    asyncio.run(go())
    assert hits == []


@pytest.fixture
def listener() -> Iterator[tuple[int, list[str]]]:
    """A loopback HTTP server recording every request it gets."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        do_POST = do_GET  # noqa: N815

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1], hits
    finally:
        server.shutdown()


class _redirector:
    def __init__(self, target: str) -> None:
        self.target = target

    def __enter__(self) -> int:
        target = self.target

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                self.send_response(302)
                self.send_header("Location", target)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return int(self.server.server_address[1])

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()


def test_ipv6_loopback_listener_is_refused_too():
    if not socket.has_ipv6:
        pytest.skip("no IPv6")
    with pytest.raises(ForbiddenAddress):
        _get(_defaults(), "http://[::1]:6379/")
