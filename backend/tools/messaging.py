"""The messaging tool: one ``send`` over WhatsApp, Telegram, email and SMS.

``await messaging.send("whatsapp", "+62811...", Template("promo", {...}),
idempotency_key="bf2026:cust-17:whatsapp")``

* **Exactly once.** The key is claimed in the database's sent-message ledger before
  sending and the claim becomes the delivery after (``backend/tools/sent_ledger.py``);
  a second send with the key returns the first delivery (``duplicate=True``) without
  contacting the platform, even after Redis lost everything. A worker that dies between
  claim and record leaves a lease that expires; the next attempt sends again with the
  same ``Idempotency-Key`` header, which the platform (and the sandbox) deduplicate.
* **Limits.** Each channel and sending account has a cluster-wide limit
  (``settings.messaging_rate_limits``); callers wait for a slot. Slots are paced evenly
  (``RateLimit.paced``): the platforms state throughput (WhatsApp 80 msg/s, Telegram
  ~30/s) and take steady traffic best; a window's whole count sent at once left a
  token bucket no slack for a send the loaded machine made late. A 429 anyway waits
  what the platform asked; 5xx/timeouts retry with backoff (the one call policy of
  ``backend.connectors.policy``); wrong credentials and refused content raise at once
  (``AuthFailed`` / ``Rejected``) and free the key. A
  changed message (a template instead of a refused text) needs a new key all the same:
  platforms replay their first answer to a key.
* **Status.** Tracking webhooks call :meth:`MessagingTool.record_status` with the
  platform's message id; :meth:`MessagingTool.delivery` shows the latest state.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
import time
from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from redis.exceptions import RedisError

from backend.connectors.base import RateLimited, TransientError
from backend.connectors.messages import (
    Attachment,
    ChannelConnector,
    OutboundMessage,
    TemplateRef,
)
from backend.connectors.policy import RetryBudget, call_with_policy
from backend.core.config import Settings
from backend.core.db import get_engine
from backend.core.ratelimit import RateLimit, RateLimiter, parse_limits
from backend.models.types import utcnow
from backend.tools.redisutil import as_text
from backend.tools.sent_ledger import Recorded, SentLedger
from backend.tools.templates import Template, render

__all__ = ["MessagingTool", "Delivery", "CHANNELS"]

CHANNELS = ("whatsapp", "telegram", "email", "sms")
_LEASE_SEC = 120.0
# How long a stopping sender lets a request already made finish (a worker's shutdown
# waits worker_shutdown_timeout_sec, 20 s by default, for its runs).
_IN_FLIGHT_GRACE_SEC = 10.0
log = logging.getLogger("spio.messaging")
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

    @classmethod
    def from_row(cls, row: Mapping[str, Any], *, duplicate: bool = False) -> Delivery:
        sent_at = row["sent_at"]
        return cls(channel=row["channel"], to=row["recipient"], idempotency_key=row["key"],
                   provider_id=row["provider_id"] or "", status=row["status"] or "sent",
                   sent_at=sent_at.timestamp() if sent_at else 0.0,
                   attempts=int(row["attempts"] or 0), duplicate=duplicate)


class _SentWhileStopping(asyncio.CancelledError):
    """The sender was stopped, but the platform had taken the message by then."""

    def __init__(self, sent: Any, tries: int) -> None:
        super().__init__()
        self.sent, self.tries = sent, tries


async def _settle(call: asyncio.Future[Any]) -> Any:
    """What a send already under way returns, given ``_IN_FLIGHT_GRACE_SEC`` to end;
    None when it failed or did not end in time (it is abandoned)."""
    try:
        done, _ = await asyncio.wait({call}, timeout=_IN_FLIGHT_GRACE_SEC)
    except asyncio.CancelledError:  # stopped once more: give up on it
        done = set()
    if not done or call.cancelled() or call.exception() is not None:
        call.cancel()
        return None
    return call.result()


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
        run_id: int | str | None = None,
    ) -> None:
        self._settings = settings
        self._redis = redis
        self._connectors = dict(connectors)
        self._limits = (
            dict(limits) if limits is not None else parse_limits(settings.messaging_rate_limits)
        )
        self._limiter = RateLimiter(redis=redis, prefix=settings.redis_prefix)
        self._ledger = SentLedger(run_id=run_id, lease_sec=_LEASE_SEC,
                                  engine=get_engine(settings.resolved_database_url))
        self._base = f"{settings.redis_prefix}:msg"
        self._budget = RetryBudget(retries=settings.http_retries, rate_waits=_MAX_RATE_WAITS,
                                   backoff_base_sec=backoff_base_sec)

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
        limit = self.limit_for(channel)
        claimed = await self._claim(idempotency_key, channel=channel, to=to)
        if isinstance(claimed, Delivery):
            return claimed
        try:
            sent, attempts = await self._send_with_retries(
                channel, connector, outbound, idempotency_key, limit
            )
        except _SentWhileStopping as stopping:
            # Stopped (a worker handing its runs back) after the platform took the
            # message: record it, so the resumed attempt skips it instead of sending it
            # again, then stop.
            await self._record(Recorded(
                key=idempotency_key, token=claimed, provider_id=stopping.sent.provider_id,
                status=stopping.sent.status, attempts=stopping.tries, sent_at=utcnow()))
            raise asyncio.CancelledError from None
        except BaseException:
            # Free the key: a later attempt may send.
            await asyncio.to_thread(self._ledger.release, idempotency_key, claimed)
            raise
        sent_at = utcnow()
        if not await self._record(Recorded(
                key=idempotency_key, token=claimed, provider_id=sent.provider_id,
                status=sent.status, attempts=attempts, sent_at=sent_at)):
            # Our lease ran out mid-send and another sender took the key: it sends with
            # the same Idempotency-Key, which the platform deduplicates.
            log.warning("claim of %s lost while sending", idempotency_key)
        await self._count("sent", channel)
        return Delivery(channel=channel, to=to, idempotency_key=idempotency_key,
                        provider_id=sent.provider_id, status=sent.status,
                        sent_at=sent_at.timestamp(), attempts=attempts)

    async def _claim(self, key: str, *, channel: str, to: str) -> str | Delivery:
        """Take the key (its claim token), or return the delivery already recorded."""
        deadline = time.monotonic() + _LEASE_SEC + 5
        while True:
            claim = await self._ledger.claim(key, channel=channel, to=to)
            if claim.outcome == "owned":
                return claim.token
            if claim.outcome == "sent" and claim.row is not None:
                return Delivery.from_row(claim.row, duplicate=True)
            if time.monotonic() > deadline:
                raise TransientError("another worker holds this message", platform="messaging")
            # Another worker is sending this very message right now: wait for its result.
            await asyncio.sleep(0.1)

    async def release_pending(self, keys: list[str]) -> int:
        """Free the claims of ``keys`` that a dead attempt left (never a delivery): the
        resumed attempt sends them again with the same key, which the platform dedups."""
        return await asyncio.to_thread(self._ledger.release_pending, keys)

    async def release_pending_prefix(self, prefix: str) -> int:
        """:meth:`release_pending` for every key starting with ``prefix`` (a campaign's)."""
        return await asyncio.to_thread(self._ledger.release_pending_prefix, prefix)

    async def _send_with_retries(
        self,
        channel: str,
        connector: ChannelConnector,
        outbound: OutboundMessage,
        idempotency_key: str,
        limit: RateLimit | None,
    ) -> tuple[Any, int]:
        """Send under the call policy; returns what the platform said and the tries."""
        tries = 0

        async def slot() -> None:
            if limit is not None:
                await self._limiter.acquire(limit)

        async def attempt() -> Any:
            nonlocal tries
            tries += 1
            call = asyncio.ensure_future(connector.send(outbound, idempotency_key=idempotency_key))
            try:
                return await asyncio.shield(call)
            except RateLimited:
                await self._count("rate_limited", channel)
                raise
            except asyncio.CancelledError:
                # The request may be on the wire: let it end rather than send it again
                # from the resumed attempt (a platform without idempotency keys would
                # deliver it twice).
                sent = await _settle(call)
                if sent is None:
                    raise
                raise _SentWhileStopping(sent, tries) from None

        sent = await call_with_policy(attempt, budget=self._budget, platform=channel, slot=slot)
        return sent, tries

    # --- status ------------------------------------------------------------------
    async def delivery(self, idempotency_key: str) -> Delivery | None:
        """The recorded delivery of a key (None if never sent or still in flight)."""
        row = await asyncio.to_thread(self._ledger.get, idempotency_key)
        if row is None or row["state"] != "sent":
            return None
        return Delivery.from_row(row)

    async def record_status(self, channel: str, provider_id: str, status: str, *,
                            error: str | None = None) -> bool:
        """Apply a delivery status from a webhook (``error``: why it failed); False if
        the message is unknown."""
        row = await asyncio.to_thread(self._ledger.by_provider_id, channel, provider_id)
        if row is None:
            return False
        if _STATUS_RANK.get(status, 1) <= _STATUS_RANK.get(row["status"] or "", 0):
            return True
        await asyncio.to_thread(functools.partial(self._ledger.set_status, row["key"], status,
                                                  error=error))
        await self._count(f"status:{channel}", status)
        return True

    async def _record(self, recorded: Recorded) -> bool:
        """Turn the claim into the delivery, even when the caller is stopped meanwhile:
        a claim left pending would make the resumed attempt send the message again."""
        write = asyncio.ensure_future(self._ledger.record(recorded))
        try:
            return await asyncio.shield(write)
        except asyncio.CancelledError:
            await asyncio.wait({write}, timeout=_IN_FLIGHT_GRACE_SEC)
            raise

    async def _count(self, name: str, field: str) -> None:
        """A metrics counter (``{prefix}:msg:<name>``): Redis may lose it, or be away;
        the ledger is the record, and a send never fails over a counter."""
        try:
            await self._redis.hincrby(f"{self._base}:{name}", field, 1)
        except (RedisError, OSError):
            log.debug("could not count %s:%s", name, field, exc_info=True)

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
