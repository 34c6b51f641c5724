"""A real aiohttp server on a free loopback port, run in a background thread."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

from aiohttp import web


def serve_in_thread(app: web.Application) -> tuple[str, Callable[[], None]]:
    """Start ``app`` on 127.0.0.1:<free port>; return its base URL and a stop callable."""
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    state: dict[str, object] = {}

    async def start() -> None:
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        state["runner"] = runner
        state["port"] = runner.addresses[0][1]
        ready.set()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    if not ready.wait(10):
        raise RuntimeError("loopback server did not start")

    def stop() -> None:
        async def cleanup() -> None:
            await state["runner"].cleanup()  # type: ignore[attr-defined]

        asyncio.run_coroutine_threadsafe(cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)

    return f"http://127.0.0.1:{state['port']}", stop
