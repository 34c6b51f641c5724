"""One sandbox per contract module, reset before each test; the clients are the
platforms' own (requirements-test.txt), never ours."""

from __future__ import annotations

import http.server
import sys
import threading
import time
import types
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.sandbox_fixture import SandboxHandle, start_sandbox


@pytest.fixture(scope="module")
def sandbox_handle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxHandle]:
    handle = start_sandbox(seed=42, data_dir=tmp_path_factory.mktemp("sandbox"))
    yield handle
    handle.stop()


@pytest.fixture
def sandbox(sandbox_handle: SandboxHandle) -> SandboxHandle:
    httpx.post(f"{sandbox_handle.base_url}/_admin/reset").raise_for_status()
    return sandbox_handle


def shopee_client_class() -> Any:
    """pyshopee2's Client. The package imports selenium at load for a helper that opens a
    browser to capture an auth code, which no test calls; a stand-in module keeps
    selenium (and the async runtime it brings, which pytest's anyio plugin would then run
    every async test on as well) out of the test environment."""
    if "selenium" not in sys.modules:
        selenium = types.ModuleType("selenium")
        selenium.webdriver = types.ModuleType("selenium.webdriver")  # type: ignore[attr-defined]
        sys.modules["selenium"] = selenium
        sys.modules["selenium.webdriver"] = selenium.webdriver  # type: ignore[attr-defined]
    from pyshopee2 import Client

    return Client


def admin(sandbox: SandboxHandle, path: str, body: dict[str, Any] | None = None) -> Any:
    url = f"{sandbox.base_url}/_admin/{path}"
    response = httpx.post(url, json=body) if body is not None else httpx.get(url)
    response.raise_for_status()
    return response.json()


@pytest.fixture
def lazop(tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Lazada's SDK; it makes ~/logs when first imported, so HOME is a temp dir then."""
    monkeypatch.setenv("HOME", str(tmp_path))
    import lazop_sdk

    return lazop_sdk


class _Files(http.server.BaseHTTPRequestHandler):
    """Serves ``server.files`` (path -> (body, content type)); 404 otherwise."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        found = self.server.files.get(self.path)  # type: ignore[attr-defined]
        if found is None:
            self.send_error(404)
            return
        body, content_type = found
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def file_server() -> Iterator[tuple[str, dict[str, tuple[bytes, str]]]]:
    """A loopback web server for files a platform fetches by URL: ``(base_url, files)``;
    put ``files["/report.pdf"] = (body, "application/pdf")``."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Files)
    server.files = {}  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", server.files  # type: ignore[attr-defined]
    server.shutdown()
    server.server_close()


@dataclass
class Received:
    """One POST a platform made to the sink: its path, headers and raw body."""

    path: str
    headers: dict[str, str]
    body: bytes


class _Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.received.append(Received(self.path, dict(self.headers), body))  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def webhook_sink() -> Iterator[tuple[str, list[Received]]]:
    """A loopback endpoint where the sandbox posts its platform-shaped webhooks:
    ``(base_url, received)``, each POST answered 200."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Sink)
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", server.received  # type: ignore[attr-defined]
    server.shutdown()
    server.server_close()


def wait_for(received: list[Received], count: int, *, timeout: float = 10.0) -> list[Received]:
    """The first ``count`` webhooks, once they came (the sandbox posts them after answering)."""
    deadline = time.monotonic() + timeout
    while len(received) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(received) >= count, f"{len(received)} of {count} webhooks came"
    return received[:count]
