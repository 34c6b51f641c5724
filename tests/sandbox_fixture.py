"""Start the platform sandbox on free loopback ports for a test session.

Reusable from any conftest::

    from tests.sandbox_fixture import start_sandbox

    @pytest.fixture(scope="session")
    def sandbox():
        handle = start_sandbox(seed=42)
        yield handle            # handle.base_url, handle.smtp_port, handle.state
        handle.stop()

``url, stop = start_sandbox()`` also works (the handle unpacks to both). The server runs
on its own event loop in a daemon thread; ``handle.state`` is the live SandboxState
(prefer the admin API: ``GET {base_url}/_admin/counters``).
"""

from __future__ import annotations

import asyncio
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backend.sandbox.server import create_app, serve
from backend.sandbox.state import SandboxState

__all__ = ["SandboxHandle", "start_sandbox"]


@dataclass
class SandboxHandle:
    """A running sandbox: where it listens and how to stop it."""

    base_url: str
    smtp_host: str
    smtp_port: int
    state: SandboxState
    stop: Callable[[], None]
    loop: asyncio.AbstractEventLoop = field(repr=False)

    def __iter__(self) -> Iterator[Any]:
        return iter((self.base_url, self.stop))


def start_sandbox(
    *, seed: int = 42, data_dir: Path | None = None, host: str = "127.0.0.1"
) -> SandboxHandle:
    """Serve the sandbox (HTTP + SMTP) in a background thread; returns once it listens."""
    if data_dir is None:
        data_dir = Path(tempfile.gettempdir()) / "spio-sandbox-test-images"
    state = SandboxState(seed=seed)
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    box: dict[str, Any] = {}

    async def boot() -> None:
        app = create_app(seed=seed, state=state, data_dir=data_dir)
        box["serving"] = await serve(app, host=host, port=0, smtp_port=0)

    def run() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(boot())
        except BaseException as exc:  # surfaced to the caller below
            box["error"] = exc
            ready.set()
            return
        ready.set()
        loop.run_forever()
        loop.run_until_complete(box["serving"].close())
        loop.close()

    thread = threading.Thread(target=run, name="sandbox", daemon=True)
    thread.start()
    ready.wait(30)
    if "error" in box:
        raise RuntimeError("sandbox failed to start") from box["error"]
    serving = box["serving"]

    def stop() -> None:
        if loop.is_running():
            loop.call_soon_threadsafe(loop.stop)
            thread.join(10)

    return SandboxHandle(
        base_url=f"http://{host}:{serving.port}",
        smtp_host=host,
        smtp_port=serving.smtp_port,
        state=state,
        stop=stop,
        loop=loop,
    )
