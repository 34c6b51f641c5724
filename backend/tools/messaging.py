"""The messaging tool: one ``send`` over WhatsApp, Telegram, email and SMS.

``await messaging.send("whatsapp", "+62811...", Template("promo", {...}),
idempotency_key="bf2026:cust-17:whatsapp")``

* **Exactly once.** The key is claimed in a Redis ledger before sending and replaced by
  the delivery after; a second send with the key returns the first delivery
  (``duplicate=True``) without contacting the platform. A worker that dies between
  claim and record leaves a lease that expires; the next attempt sends again with the
  same ``Idempotency-Key`` header, which the platform (and the sandbox) deduplicate.
* **Limits.** Each channel and sending account has a cluster-wide limit
  (``settings.messaging_rate_limits``); callers wait for a slot. Slots are paced evenly
  (``RateLimit.paced``): the platforms state throughput (WhatsApp 80 msg/s, Telegram
  ~30/s) and take steady traffic best; a window's whole count sent at once left a
  token bucket no slack for a send the loaded machine made late. A 429 anyway waits
  what the platform asked; 5xx/timeouts retry with backoff; wrong credentials and
  refused content raise at once (``AuthFailed`` / ``Rejected``) and free the key. A
  changed message (a template instead of a refused text) needs a new key all the same:
  platforms replay their first answer to a key.
* **Status.** Tracking webhooks call :meth:`MessagingTool.record_status` with the
  platform's message id; :meth:`MessagingTool.delivery` shows the latest state.
"""

from __future__ import annotations

import asyncio
import dataclasses
import random
import secrets
import time
from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from backend.connectors.base import RateLimited, TransientError
from backend.connectors.messages import (
    Attachment,
    ChannelConnector,
    OutboundMessage,
    TemplateRef,
)
from backend.core.config import Settings
from backend.tools.ratelimit import RateLimit, RateLimiter, parse_limits
from backend.tools.redisutil import as_text
from backend.tools.templates import Template, render

__all__ = ["MessagingTool", "Delivery", "CHANNELS"]

CHANNELS = ("whatsapp", "telegram", "email", "sms")
_LEASE_MS = 120_000
_LEDGER_TTL_SEC = 90 * 86400
_MAX_RATE_WAITS = 8
# Webhooks arrive out of order; a status never moves back (read does not become delivered).
_STATUS_RANK = {
    "accepted": 0,
    "queued": 0,
    "sent": 1,
    "delivered": 2,
    "opened": 3,
    "read": 3,
    "clicked": 4,
    "converted": 5,
    "failed": 6,
}


@dataclasses.dataclass(frozen=True, slots=True)
class Delivery:
    """The outcome of one send as the ledger keeps it."""

    channel: str
    to: str
    idempotency_key: str
    provider_id: str
    status: str  # accepted/sent/queued, later delivered/read/clicked/failed
    sent_at: float
    attempts: int
    duplicate: bool = False  # True when an earlier send with this key is returned

    def to_json(self) -> bytes:
        return orjson.dumps(dataclasses.asdict(self) | {"duplicate": False})


class MessagingTool:
    """Sends messages exactly once per idempotency key, within per-channel limits."""

    def __init__(
        self,
        *,
        settings: Settings,
        redis: Any,
        connectors: Mapping[str, ChannelConnector],
        limits: Mapping[str, RateLimit] | None = None,
        backoff_base_sec: float = 0.5,
    ) -> None:
        self._settings = settings
        self._redis = redis
        self._connectors = dict(connectors)
        self._limits = (
            dict(limits) if limits is not None else parse_limits(settings.messaging_rate_limits)
        )
        self._limiter = RateLimiter(redis=redis, prefix=settings.redis_prefix)
        self._base = f"{settings.redis_prefix}:msg"
        self._retries = settings.http_retries
        self._backoff_base = backoff_base_sec

    def connector(self, channel: str) -> ChannelConnector:
        try:
            return self._connectors[channel]
        except KeyError:
            raise ValueError(
                f"unknown channel {channel!r}; configured: {', '.join(self._connectors)}"
            ) from None

    def limit_for(self, channel: str) -> RateLimit | None:
        """The limit of ``channel`` for its sending account (None = unlimited)."""
        limit = self._limits.get(channel)
        if limit is None:
            return None
        account = self.connector(channel).account
        return dataclasses.replace(limit, key=f"msg:{channel}:{account}", paced=True)

    def set_limit(self, channel: str, *, count: int, per: float) -> None:
        """Change a channel's limit (e.g. a campaign's ``rate_limit_per_minute``)."""
        self._limits[channel] = RateLimit(key=f"msg:{channel}", count=count, per=per)

    # --- sending ---------------------------------------------------------------
    def _outbound(
        self,
        to: str,
        message: str | Template,
        subject: str | None,
        html: str | None,
        attachments: Sequence[Attachment] | None,
    ) -> OutboundMessage:
        template_ref = None
        if isinstance(message, Template):
            subject_text, text, params = render(message)
            subject = subject or subject_text
            template_ref = TemplateRef(message.name, message.lang, params)
        else:
            text = message
        return OutboundMessage(
            to=to,
            text=text,
            subject=subject,
            html=html,
            template=template_ref,
            attachments=tuple(attachments or ()),
        )

    async def send(
        self,
        channel: str,
        to: str,
        message: str | Template,
        *,
        idempotency_key: str,
        attachments: Sequence[Attachment] | None = None,
        subject: str | None = None,
        html: str | None = None,
    ) -> Delivery:
        """Send ``message`` (text, or a :class:`Template`) to ``to`` once per key."""
        if not idempotency_key:
            raise ValueError("send needs an idempotency_key")
        connector = self.connector(channel)
        outbound = self._outbound(to, message, subject, html, attachments)
        ledger = f"{self._base}:ledger:{idempotency_key}"
        limit = self.limit_for(channel)
        earlier, first_wait = await self._claim(ledger, limit)
        if earlier is not None:
            return earlier
        try:
            sent, attempts = await self._send_with_retries(
                channel, connector, outbound, idempotency_key, limit, first_wait
            )
        except BaseException:
            await self._redis.delete(ledger)  # free the key: a later attempt may send
            raise
        delivery = Delivery(
            channel=channel,
            to=to,
            idempotency_key=idempotency_key,
            provider_id=sent.provider_id,
            status=sent.status,
            sent_at=time.time(),
            attempts=attempts,
        )
        # One round trip; no MULTI needed: each write is idempotent on its own.
        pipe = self._redis.pipeline(transaction=False)
        pipe.set(ledger, delivery.to_json(), ex=_LEDGER_TTL_SEC)
        pipe.set(
            f"{self._base}:pid:{channel}:{sent.provider_id}", idempotency_key, ex=_LEDGER_TTL_SEC
        )
        pipe.hincrby(f"{self._base}:sent", channel, 1)
        await pipe.execute()
        return delivery

    async def _claim(
        self, ledger: str, limit: RateLimit | None
    ) -> tuple[Delivery | None, float | None]:
        """Take the key (and book the first send slot in the same round trip), or return
        the delivery already recorded for it. A slot booked by a loser of the claim stays
        unused: rare, and on the safe side of the limit."""
        claim = orjson.dumps({"pending": secrets.token_hex(8)})
        deadline = time.monotonic() + _LEASE_MS / 1000 + 5
        while True:
            pipe = self._redis.pipeline(transaction=False)
            pipe.set(ledger, claim, nx=True, px=_LEASE_MS)
            if limit is not None:
                await self._limiter.reserve_in(pipe, limit)
            replies = await pipe.execute()
            if replies[0]:
                return None, (RateLimiter.seconds(replies[1]) if limit is not None else None)
            raw = await self._redis.get(ledger)
            if raw is not None:
                data = orjson.loads(raw)
                if "pending" not in data:
                    return Delivery(**(data | {"duplicate": True})), None
            if time.monotonic() > deadline:
                raise TransientError("another worker holds this message", platform="messaging")
            # Another worker is sending this very message right now: wait for its result.
            await asyncio.sleep(0.1)
            limit = None  # one wasted slot is enough

    async def _send_with_retries(
        self,
        channel: str,
        connector: ChannelConnector,
        outbound: OutboundMessage,
        idempotency_key: str,
        limit: RateLimit | None,
        first_wait: float | None,
    ) -> tuple[Any, int]:
        attempt, rate_waits = 0, 0
        while True:
            if first_wait is not None:  # the slot booked with the claim
                if first_wait > 0:
                    await asyncio.sleep(first_wait)
                first_wait = None
            elif limit is not None:
                await self._limiter.acquire(limit)
            try:
                return await connector.send(outbound, idempotency_key=idempotency_key), (
                    attempt + rate_waits + 1
                )
            except RateLimited as exc:
                rate_waits += 1
                if rate_waits > _MAX_RATE_WAITS:
                    raise
                await self._redis.hincrby(f"{self._base}:rate_limited", channel, 1)
                await asyncio.sleep(exc.retry_after)
            except TransientError:
                if attempt >= self._retries:
                    raise
                delay = self._backoff_base * 2**attempt
                await asyncio.sleep(random.uniform(delay / 2, delay))
                attempt += 1

    # --- status ------------------------------------------------------------------
    async def delivery(self, idempotency_key: str) -> Delivery | None:
        """The recorded delivery of a key (None if never sent or still in flight)."""
        raw = await self._redis.get(f"{self._base}:ledger:{idempotency_key}")
        data = orjson.loads(raw) if raw else None
        if not data or "pending" in data:
            return None
        return Delivery(**data)

    async def record_status(self, channel: str, provider_id: str, status: str) -> bool:
        """Apply a delivery status from a webhook; False if the message is unknown."""
        key = await self._redis.get(f"{self._base}:pid:{channel}:{provider_id}")
        if key is None:
            return False
        key = as_text(key)
        current = await self.delivery(key)
        if current is None:
            return False
        if _STATUS_RANK.get(status, 1) <= _STATUS_RANK.get(current.status, 0):
            return True
        updated = dataclasses.replace(current, status=status)
        await self._redis.set(f"{self._base}:ledger:{key}", updated.to_json(), ex=_LEDGER_TTL_SEC)
        await self._redis.hincrby(f"{self._base}:status:{channel}", status, 1)
        return True

    async def counts(self) -> dict[str, dict[str, int]]:
        """Messages sent and 429s met, per channel, since the install started."""
        out: dict[str, dict[str, int]] = {}
        for name in ("sent", "rate_limited"):
            raw = await self._redis.hgetall(f"{self._base}:{name}")
            out[name] = {as_text(k): int(v) for k, v in raw.items()}
        return out

    async def aclose(self) -> None:
        """Close connectors holding connections (SMTP)."""
        for connector in self._connectors.values():
            close = getattr(connector, "aclose", None)
            if close is not None:
                await close()
