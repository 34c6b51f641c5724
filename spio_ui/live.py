"""LiveMixin: worker events (Redis pub/sub) pushed into a page's state while it is open,
with no database polling while nothing happens."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from typing import Any

import reflex as rx

__all__ = ["LiveMixin"]

_log = logging.getLogger(__name__)

# How long one wait for a pub/sub message lasts: also how soon a listener notices that
# its tab left the page or closed.
_LIVE_POLL_SEC = 0.5
# Several events arriving together are applied as one state change (one websocket push).
_LIVE_BATCH_SEC = 0.05
# A page reload from the database after events is done at most this often.
_LIVE_REFRESH_MIN_SEC = 0.3
# Wait before following again after Redis (or a reload) failed.
_LIVE_RETRY_SEC = 1.0


class LiveMixin(rx.State, mixin=True):
    """Pushes worker events (Redis pub/sub) into a page's state while it is open.

    A page adds ``listen_live`` to its ``on_load`` and overrides:

    * ``_live_apply(events) -> bool``: cheap in-memory updates from the event payloads
      (progress, status); return True when the page should also reload from the DB.
    * ``_live_query() -> Callable[[], Any]``: (under the state lock) a closure that
      loads the page's data; it runs in a thread, outside the lock. Default: the
      page's ``_query()``.
    * ``_live_store(data)``: (under the lock) put the loaded data into the state.
      Default: the page's ``_store(data)``.
    """

    live: bool = False
    _live_gen: int = 0
    # Also reload this often while the page is open (None: only when events arrive), for
    # figures that change without a worker event (e.g. tracking webhooks).
    _live_poll_sec: float | None = None

    def _live_apply(self, events: list[dict[str, Any]]) -> bool:
        return True

    def _live_query(self) -> Callable[[], Any] | None:
        # Most pages load with ``_query()`` (a closure) and show with ``_store(data)``.
        query = getattr(self, "_query", None)
        return query() if query is not None else None

    def _live_store(self, data: Any) -> None:
        store = getattr(self, "_store", None)
        if store is not None:
            store(data)

    @rx.event(background=True)
    async def listen_live(self):
        """Follow the events channel until the tab leaves this page or closes.

        A lost Redis connection (or a failed reload) is retried every second; the page
        says "not live" meanwhile and reloads from the database once back.
        """
        session = await self._live_session()
        if session is None:
            return  # not signed in: nothing to push
        generation, path, token = session
        try:
            while True:
                try:
                    await self._live_follow(generation, path, token)
                    return
                except Exception as exc:  # Redis or database away: retry, never crash
                    _log.warning("live events interrupted: %s: %s", type(exc).__name__, exc)
                async with self:
                    if not self._live_wanted(generation, path, token):
                        return
                    self.live = False
                await asyncio.sleep(_LIVE_RETRY_SEC)
        finally:
            async with self:
                if self._live_gen == generation:  # not replaced by a newer listener
                    self.live = False

    async def _live_session(self) -> tuple[int, str, str] | None:
        # A background task may start before the page's require_login has run: give the
        # session a moment to be restored before deciding nobody is signed in.
        for _ in range(50):
            async with self:
                if getattr(self, "role", ""):
                    self._live_gen += 1
                    return self._live_gen, self.router.url.path, self.router.session.client_token
            await asyncio.sleep(0.1)
        return None

    def _live_wanted(self, generation: int, path: str, token: str) -> bool:
        """Still the newest listener of a tab that is open on this page."""
        return (
            self._live_gen == generation
            and self.router.url.path == path
            and _client_connected(token)
        )

    async def _live_follow(self, generation: int, path: str, token: str) -> None:
        from backend.core.redis import events_channel, get_async_redis

        client = get_async_redis()
        pubsub = client.pubsub()
        try:
            await pubsub.subscribe(events_channel())
            async with self:
                self.live = True
            last_refresh = 0.0
            # Reload once subscribed: catches what happened between the page's load and now.
            pending_refresh = True
            while True:
                events = await _next_events(pubsub)
                async with self:
                    if not self._live_wanted(generation, path, token):
                        return
                    if events and self._live_apply(events):
                        pending_refresh = True
                    poll = self._live_poll_sec
                    if poll is not None and time.monotonic() - last_refresh >= poll:
                        pending_refresh = True
                    query = None
                    if pending_refresh and time.monotonic() - last_refresh >= _LIVE_REFRESH_MIN_SEC:
                        query = self._live_query()
                        pending_refresh = False
                        last_refresh = time.monotonic()
                if query is not None:
                    data = await asyncio.to_thread(query)
                    async with self:
                        self._live_store(data)
        finally:
            await pubsub.aclose()
            await client.aclose()


async def _next_events(pubsub: Any) -> list[dict[str, Any]]:
    """Wait up to _LIVE_POLL_SEC for one event, then drain what arrived right after it."""
    first = await pubsub.get_message(ignore_subscribe_messages=True, timeout=_LIVE_POLL_SEC)
    if first is None:
        return []
    events = [_decode(first)]
    deadline = time.monotonic() + _LIVE_BATCH_SEC
    while len(events) < 500:
        timeout = deadline - time.monotonic()
        if timeout <= 0:
            break
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=timeout)
        if message is None:
            break
        events.append(_decode(message))
    return [event for event in events if event]


def _decode(message: dict[str, Any]) -> dict[str, Any]:
    try:
        data = json.loads(message["data"])
    except (TypeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _client_connected(token: str) -> bool:
    """Whether the tab behind ``token`` still has a websocket (True when unknown)."""
    try:
        from reflex.utils.prerequisites import get_app

        namespace = get_app().app.event_namespace
    except Exception:
        return True
    if namespace is None:
        return True
    return token in namespace.token_to_sid
