"""Sending a planned campaign: every channel at once, each within its own limit.

One pool of senders per channel pulls from that channel's feed (pages of the plan read
from the database, the next fetched while the senders work through the one at hand);
the messaging tool waits for each message's cluster-wide slot (paced evenly). A pool
has a second's worth of senders (at least 4, at most 64), so each books its next slot
about a second ahead: the limiter grants ``max(now, next paced slot)``, so a slot
booked late (every sender still busy with a slow send) is late for good and pushes all
after it. With a quarter second's worth, sends slowed by a loaded machine did that, and
a campaign drifted 1-2% past its bound. More look-ahead would not help and would delay
a pause: a sender holding a slot sends it. A watcher reads the campaign's control (and
the job's quiet hours) four times a second: paused or quiet, senders stop
taking messages; cancelled, they stop for good.

Exactly once: the idempotency key is ``campaign:{campaign_id}:{customer_id}:{channel}``.
The messaging tool's ledger (in the database) returns an earlier delivery of the key; the platform
deduplicates the key too. A key an earlier attempt began but never recorded (its worker
died) is released before the resumed attempt sends it again, with the same key.
"""

from __future__ import annotations

import asyncio
import math
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from backend.ai.copywriting import discount_code, personalize_message
from backend.connectors.base import AuthFailed, Rejected, TransientError
from backend.core.messages import message
from backend.domain import quiet as quiet_hours
from backend.services.campaign_state import CampaignState
from backend.tools.revenue import tracked_url
from backend.tools.templates import Template
from backend.workflows.common.together import together
from backend.workflows.context import WorkflowContext

__all__ = ["CampaignSender", "in_quiet_hours"]


_PREFETCH_BELOW = 200  # items left in a channel's page when its next page is asked for


def _pool_size(per_second: float) -> int:
    """Senders for a channel: a second's worth of slots booked ahead, plus two."""
    return min(64, max(4, math.ceil(per_second) + 2))

def in_quiet_hours(quiet: dict[str, Any] | None, *, tz: str, now: datetime | None = None) -> bool:
    """True inside ``{"start": "21:00", "end": "08:00"}`` (may span midnight) in ``tz``."""
    return quiet_hours.in_quiet_hours(quiet, tz=tz, at=now or datetime.now(ZoneInfo(tz)))


class CampaignSender:
    """Sends one campaign's plan through ``ctx.tools.messaging``."""

    def __init__(self, ctx: WorkflowContext, *, state: CampaignState, campaign: dict[str, Any],
                 personalization: dict[str, Any], quiet_hours: dict[str, Any] | None) -> None:
        self.ctx = ctx
        self.state = state
        self.campaign = campaign
        self.tone = str(personalization.get("tone") or "friendly_urgent")
        self.use_ai = bool(personalization.get("use_ai")) and ctx.settings.llm_enabled
        self.quiet = quiet_hours
        self.tz = ctx.spec.schedule.timezone if ctx.spec.schedule else "Asia/Jakarta"
        # The language of the messages it writes (inputs.language: id, the default, or en).
        self.lang = "en" if ctx.inputs.get("language") == "en" else "id"
        self.go = asyncio.Event()
        self.stopped = False
        self.control = "running"
        self.sent = 0
        self.transient_failures = 0
        self.per_channel: dict[str, int] = defaultdict(int)

    async def _watch(self) -> None:
        while not self.stopped:
            await self.state.flush()  # live counters at most a quarter second behind
            self.control = await self.state.control()
            quiet = in_quiet_hours(self.quiet, tz=self.tz)
            if self.control == "cancelled":
                self.stopped = True
                self.go.set()  # wake the senders so they see the stop
                return
            if self.control == "running" and not quiet:
                self.go.set()
            else:
                self.go.clear()
            await asyncio.sleep(0.25)

    async def _message(self, item: dict[str, Any]) -> tuple[str | Template, str | None]:
        channel = item["channel"]
        link = tracked_url(self.ctx.settings.public_url, item["token"])
        name = str(self.campaign.get("name") or "Promo")
        if channel == "whatsapp" or item["message"] == "template":
            # WhatsApp reaches customers outside a 24-hour session only with an approved
            # template, so VIPs get the promo template with their own code in it.
            code = discount_code(campaign=name, customer_id=item["customer_id"])
            english = self.lang == "en"
            discount = self.campaign.get("discount_range") or ("special" if english else "spesial")
            return Template("promo", {"name": item["name"].split()[0], "campaign": name,
                                      "discount": f"{discount} ({'code' if english else 'kode'} "
                                                  f"{code})", "link": link},
                            lang=self.lang), None
        customer = {"id": item["customer_id"], "name": item["name"],
                    "segment": item["segment"], "purchases": item["purchases"]}  # fmt: skip

        def write() -> Any:
            return personalize_message(customer=customer, campaign=self.campaign, channel=channel,
                                       tone=self.tone, language=self.lang, link=link,
                                       use_ai=self.use_ai, settings=self.ctx.settings)

        message = await asyncio.to_thread(write) if self.use_ai else write()
        return message.text, message.subject

    async def _send(self, item: dict[str, Any]) -> None:
        channel = item["channel"]
        idem = f"campaign:{self.state.cid}:{item['customer_id']}:{channel}"
        text, subject = await self._message(item)
        try:
            delivery = await self.ctx.tools.messaging.send(channel, str(item["to"]), text,
                                                           subject=subject, idempotency_key=idem)
        except (Rejected, AuthFailed) as exc:
            await self.state.failed(channel=channel, reason=type(exc).__name__)
            return
        except TransientError:
            self.transient_failures += 1
            await self.state.failed(channel=channel, reason="transient")
            return
        await self.state.sent(item=f"{item['customer_id']}:{channel}", channel=channel,
                              provider_id=delivery.provider_id)
        self.sent += 1
        self.per_channel[channel] += 1

    async def _pool(self, feed: _Feed, size: int, total: int) -> None:
        async def sender() -> None:
            while (item := await feed.next()) is not None:
                while not self.go.is_set() and not self.stopped:
                    await self.go.wait()
                if self.stopped:
                    return
                await self._send(item)
                await self.ctx.progress(self.sent, total, message("progress.messages_sent",
                                                                    sent=self.sent, total=total))

        await together(sender() for _ in range(size))

    async def send_all(self, feeds: Mapping[str, AsyncIterator[list[dict[str, Any]]]], *,
                       rates: dict[str, float], total: int) -> dict[str, Any]:  # fmt: skip
        """Send what each channel's feed yields (pages of plan items with their link
        token, none sent yet); ``rates`` in messages per second."""
        watcher = asyncio.create_task(self._watch())
        try:
            await together(self._pool(_Feed(pages), _pool_size(rates.get(channel, 10.0)), total)
                           for channel, pages in feeds.items())  # fmt: skip
        finally:
            self.stopped = True
            watcher.cancel()
            await self.state.flush()
        return {"sent_now": self.sent, "sent_now_by_channel": dict(self.per_channel),
                "transient_failures": self.transient_failures, "control": self.control}  # fmt: skip


class _Feed:
    """One channel's plan items for its senders: the page at hand and the next one,
    fetched while the senders work through this one (bounded: two pages in memory)."""

    def __init__(self, pages: AsyncIterator[list[dict[str, Any]]]) -> None:
        self._pages = pages
        self._buffer: deque[dict[str, Any]] = deque()
        self._next: asyncio.Task[list[dict[str, Any]] | None] | None = None
        self._lock = asyncio.Lock()

    async def _fetch(self) -> list[dict[str, Any]] | None:
        return await anext(self._pages, None)

    async def next(self) -> dict[str, Any] | None:
        """The next item, or None when the feed is drained."""
        async with self._lock:
            while not self._buffer:
                page = await (self._next or asyncio.ensure_future(self._fetch()))
                self._next = None
                if page is None:
                    return None
                self._buffer.extend(page)
            item = self._buffer.popleft()
            if self._next is None and len(self._buffer) < _PREFETCH_BELOW:
                self._next = asyncio.ensure_future(self._fetch())
            return item
