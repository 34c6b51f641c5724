"""Tracking simulation: what recipients do with the messages the sandbox received.

For every message the sandbox decides, deterministically from the seed, channel and
recipient, whether it is delivered, opened, clicked (only if its text carries a tracked
link ``.../t/{token}``) and converted (with revenue in IDR). Events fall due after
realistic delays divided by ``tracking_speed`` (set through ``POST /_admin/tracking``),
and are POSTed as JSON to the webhook URL set through ``POST /_admin/webhook``, signed
with ``X-Sandbox-Signature: hex(HMAC-SHA256(secret, body))``, the secret given with the
URL or else the install's (``backend.core.security.tracking_webhook_secret``).

Event: ``{"id", "type": delivered|failed|opened|clicked|converted, "channel",
"message_id", "recipient", "link_token", "revenue", "currency", "occurred_at",
"simulated"}`` (a failure adds ``reason`` and the platform's ``error_code``). A real
``GET /t/{token}`` also emits a ``clicked`` event.

A channel may also report its messages' statuses in its own platform's shape (WhatsApp's
status webhook, Twilio's status callback): it registers a formatter with
:func:`add_status_format`, which turns each event into (URL, body, headers) or nothing.
"""

from __future__ import annotations

import asyncio
import hashlib
import heapq
import hmac
import itertools
import math
import re
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import aiohttp
import orjson
from aiohttp import web

from backend.core.security import tracking_webhook_secret
from backend.sandbox.platform import STATE_KEY

__all__ = ["schedule", "schedule_failure", "setup", "clear", "click_handler", "TRACKED_LINK",
           "add_status_format", "StatusFormat"]

TRACKED_LINK = re.compile(r"/t/([A-Za-z0-9_\-.~]{4,128})")
_EVENTS_CAP = 200_000
# The platform's code for a message that could not be delivered, per channel.
_UNDELIVERABLE = {"whatsapp": 131026, "sms": 30003, "telegram": 403, "email": 550}
StatusFormat = Callable[[web.Application, dict[str, Any]], tuple[str, bytes, dict[str, str]] | None]
_FORMATS_KEY: web.AppKey[dict[str, StatusFormat]] = web.AppKey("sandbox_status_formats", dict)
# channel -> (p_delivered, p_open, p_click_given_open, p_convert_given_click)
_FUNNEL = {
    "whatsapp": (0.97, 0.85, 0.30, 0.15),
    "telegram": (0.99, 0.70, 0.20, 0.10),
    "sms": (0.95, 0.90, 0.12, 0.08),
    "email": (0.96, 0.35, 0.15, 0.08),
}


class _Tracker:
    """A heap of due events and the task that delivers them."""

    def __init__(self, app: web.Application) -> None:
        self.app = app
        # (due, seq, (shared message fields, event type, extra fields)); the event dict is
        # built when it falls due, keeping the sending path cheap.
        self.heap: list[tuple[float, int, tuple[dict[str, Any], str, dict[str, Any]]]] = []
        self.seq = itertools.count()
        self.wake = asyncio.Event()
        self.session: aiohttp.ClientSession | None = None
        self.sending = asyncio.Semaphore(64)
        self.tasks: set[asyncio.Task[None]] = set()

    def push(self, due: float, base: dict[str, Any], kind: str, extra: dict[str, Any]) -> None:
        item = (base, kind, extra)
        heapq.heappush(self.heap, (due, next(self.seq), item))
        if self.heap[0][2] is item:
            self.wake.set()

    async def run(self) -> None:
        while True:
            now = time.monotonic()
            while self.heap and self.heap[0][0] <= now:
                _, _, (base, kind, extra) = heapq.heappop(self.heap)
                key = f"{base['message_id']}:{base['recipient']}:{kind}"
                eid = hashlib.sha1(key.encode()).hexdigest()[:20]
                self.emit({**base, "id": f"evt_{eid}", "type": kind, **extra})
            timeout = self.heap[0][0] - now if self.heap else None
            self.wake.clear()
            try:
                await asyncio.wait_for(self.wake.wait(), timeout)
            except TimeoutError:
                pass

    def emit(self, event: dict[str, Any]) -> None:
        state = self.app[STATE_KEY]
        event["occurred_at"] = datetime.fromtimestamp(state.now(), UTC).isoformat()
        state.counters.tracking[event["type"]] += 1
        if len(state.tracking_events) < _EVENTS_CAP:
            state.tracking_events.append(event)
        if state.webhook_url:
            body = orjson.dumps(event)
            secret = state.webhook_secret or tracking_webhook_secret()
            sig = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
            headers = {
                "Content-Type": "application/json",
                "X-Sandbox-Signature": sig,
                "X-Sandbox-Event": event["type"],
            }
            self.spawn(state.webhook_url, body, headers)
        fmt = self.app.get(_FORMATS_KEY, {}).get(str(event.get("channel")))
        platform_shaped = fmt(self.app, event) if fmt is not None else None
        if platform_shaped is not None:
            self.spawn(*platform_shaped)

    def spawn(self, url: str, body: bytes, headers: dict[str, str]) -> None:
        task = asyncio.ensure_future(self.post(url, body, headers))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def post(self, url: str, body: bytes, headers: dict[str, str]) -> None:
        counters = self.app[STATE_KEY].counters
        assert self.session is not None
        async with self.sending:
            for delay in (0.2, 0.5, 1.0, None):
                try:
                    async with self.session.post(url, data=body, headers=headers) as resp:
                        if resp.status < 300:
                            counters.webhooks["delivered"] += 1
                            return
                except (aiohttp.ClientError, TimeoutError):
                    pass
                if delay is None:
                    break
                await asyncio.sleep(delay)
        counters.webhooks["failed"] += 1


_TRACKER_KEY: web.AppKey[_Tracker] = web.AppKey("sandbox_tracker", _Tracker)


def _draws(key: str) -> list[float]:
    """Nine deterministic uniforms in [0, 1) from one hash (cheaper than a seeded Random)."""
    digest = hashlib.blake2b(key.encode(), digest_size=64).digest()
    return [int.from_bytes(digest[i : i + 7], "big") / 2**56 for i in range(0, 63, 7)]


def schedule(
    app: web.Application, *, channel: str, recipient: str, message_id: str, text: str
) -> None:
    """Plan the funnel of one message (delivered once the server runs)."""
    tracker = app[_TRACKER_KEY]
    state = app[STATE_KEY]
    tokens = TRACKED_LINK.findall(text)
    p_del, p_open, p_click, p_conv = _FUNNEL.get(channel, (0.95, 0.5, 0.1, 0.05))
    draw = _draws(f"{state.seed}:{channel}:{recipient}:{','.join(tokens)}")
    speed = max(state.tracking_speed, 1e-6)
    now = time.monotonic()
    base = {
        "channel": channel,
        "message_id": message_id,
        "recipient": recipient,
        "link_token": tokens[0] if tokens else None,
        "revenue": None,
        "currency": "IDR",
        "simulated": True,
    }

    def plan(kind: str, at: float, **extra: Any) -> None:
        tracker.push(now + at / speed, base, kind, extra)

    t = 0.5 + 4.5 * draw[0]
    if draw[1] >= p_del:
        plan("failed", t, reason="undeliverable", error_code=_UNDELIVERABLE.get(channel))
        return
    plan("delivered", t)
    if draw[2] >= p_open:
        return
    t += 20 + 1780 * draw[3]
    plan("opened", t)
    if not tokens or draw[4] >= p_click:
        return
    t += 3 + 597 * draw[5]
    plan("clicked", t)
    if draw[6] >= p_conv:
        return
    t += 60 + 3540 * draw[7]
    # log-normal basket (median ~330k IDR) from one uniform draw via the inverse normal CDF
    z = statistics.NormalDist().inv_cdf(min(max(draw[8], 1e-9), 1 - 1e-9))
    revenue = round(min(5_000_000, math.exp(12.7 + 0.6 * z)) / 1000) * 1000
    plan("converted", t, revenue=float(revenue))


def schedule_failure(
    app: web.Application, *, channel: str, recipient: str, message_id: str, error_code: int
) -> None:
    """A message the platform accepted and then reported failed (WhatsApp's 131047): one
    ``failed`` event, no funnel after it."""
    tracker = app[_TRACKER_KEY]
    speed = max(app[STATE_KEY].tracking_speed, 1e-6)
    base = {"channel": channel, "message_id": message_id, "recipient": recipient,
            "link_token": None, "revenue": None, "currency": "IDR", "simulated": True}  # fmt: skip
    due = time.monotonic() + 0.5 / speed
    tracker.push(due, base, "failed", {"reason": "platform", "error_code": error_code})


def add_status_format(app: web.Application, channel: str, fmt: StatusFormat) -> None:
    """Report ``channel``'s events in its platform's own shape too (see the module doc)."""
    if _FORMATS_KEY not in app:
        app[_FORMATS_KEY] = {}
    app[_FORMATS_KEY][channel] = fmt


async def click_handler(request: web.Request) -> web.StreamResponse:
    """``GET /t/{token}``: a real click; redirects to ``?u=`` or the shop page."""
    tracker = request.app[_TRACKER_KEY]
    token = request.match_info["token"]
    tracker.emit(
        {
            "id": f"evt_click_{token}_{next(tracker.seq)}",
            "type": "clicked",
            "channel": request.query.get("c"),
            "message_id": None,
            "recipient": None,
            "link_token": token,
            "revenue": None,
            "currency": "IDR",
            "simulated": False,
        }
    )
    target = request.query.get("u") or f"/website/shop?ref={token}"
    if not target.startswith(("/", "http://", "https://")):
        target = "/"
    raise web.HTTPFound(target)


def setup(app: web.Application) -> None:
    """Start the tracker with the app and stop it (and its HTTP session) on cleanup."""

    tracker = _Tracker(app)
    app[_TRACKER_KEY] = tracker

    async def ctx(app: web.Application) -> Any:
        tracker.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        runner = asyncio.ensure_future(tracker.run())
        yield
        for task in [runner, *tracker.tasks]:
            task.cancel()
        await asyncio.gather(runner, *tracker.tasks, return_exceptions=True)
        await tracker.session.close()

    app.cleanup_ctx.append(ctx)
    app.router.add_get("/t/{token}", click_handler)


def clear(app: web.Application) -> None:
    """Forget planned events (admin reset)."""
    app[_TRACKER_KEY].heap.clear()
