"""The revenue tool: which campaign (and job) earned which order.

Tracking webhooks report touches (a message delivered, a link clicked) and orders. An
order counts for the campaign named in its tracked link when it has one, otherwise for
the customer's last touch within ``settings.revenue_attribution_days`` (last-touch
attribution). Each order counts once, however often the webhook repeats it. Totals per
campaign and per job (revenue, orders, by channel) are Redis hashes the campaign
report and the dashboard read.
"""

from __future__ import annotations

import base64
import hashlib
import time
from dataclasses import dataclass
from typing import Any

import orjson

from backend.tools.redisutil import as_text

__all__ = ["RevenueTool", "Attribution", "CampaignTotals", "LinkInfo", "tracked_url"]

_LINK_TTL_SEC = 120 * 86400

# KEYS: order-ledger, campaign-hash, job-hash. ARGV: order json, amount, channel, ttl_sec.
# Returns 1 when counted, 0 when this order was already counted.
_RECORD_ORDER = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', tonumber(ARGV[4])) == false then
  return 0
end
for i = 2, 3 do
  redis.call('HINCRBYFLOAT', KEYS[i], 'revenue', ARGV[2])
  redis.call('HINCRBY', KEYS[i], 'orders', 1)
  redis.call('HINCRBYFLOAT', KEYS[i], 'revenue:' .. ARGV[3], ARGV[2])
  redis.call('HINCRBY', KEYS[i], 'orders:' .. ARGV[3], 1)
end
return 1
"""


@dataclass(frozen=True, slots=True)
class Attribution:
    """Where an order's revenue went."""

    order_id: str
    campaign_id: str
    job_id: str
    channel: str
    amount: float
    counted: bool  # False when the order had been counted before


@dataclass(frozen=True, slots=True)
class LinkInfo:
    """Who a tracked link was sent to, for which campaign, job and channel."""

    campaign_id: str
    job_id: str
    customer_id: str
    channel: str


def tracked_url(base_url: str, token: str) -> str:
    """The link a message carries: ``{base_url}/t/{token}`` (the click redirects)."""
    return f"{base_url.rstrip('/')}/t/{token}"


@dataclass(frozen=True, slots=True)
class CampaignTotals:
    revenue: float
    orders: int
    revenue_by_channel: dict[str, float]
    orders_by_channel: dict[str, int]


class RevenueTool:
    """Attributes orders to campaigns and jobs (``redis.asyncio`` client)."""

    def __init__(self, *, redis: Any, prefix: str, window_days: int = 7) -> None:
        self._redis = redis
        self._base = f"{prefix}:rev"
        self._window_sec = window_days * 86400
        self._script: Any = None

    async def link_token(
        self, *, campaign_id: str, job_id: str, customer_id: str, channel: str
    ) -> str:
        """A short token for a tracked link to this customer (the same on every retry)."""
        identity = "\x1f".join((campaign_id, job_id, customer_id, channel)).encode()
        token = base64.urlsafe_b64encode(hashlib.sha256(identity).digest()[:12]).decode()
        info = {
            "campaign_id": campaign_id,
            "job_id": job_id,
            "customer_id": customer_id,
            "channel": channel,
        }
        await self._redis.set(f"{self._base}:link:{token}", orjson.dumps(info), ex=_LINK_TTL_SEC)
        return token

    async def link_tokens(
        self, *, campaign_id: str, job_id: str, recipients: list[tuple[str, str]]
    ) -> list[str]:
        """:meth:`link_token` for many ``(customer_id, channel)`` at once: one round trip
        per 1,000 links (a campaign registers its links before sending)."""
        tokens: list[str] = []
        for start in range(0, len(recipients), 1000):
            pipe = self._redis.pipeline(transaction=False)
            for customer_id, channel in recipients[start : start + 1000]:
                identity = "\x1f".join((campaign_id, job_id, customer_id, channel)).encode()
                token = base64.urlsafe_b64encode(hashlib.sha256(identity).digest()[:12]).decode()
                info = {"campaign_id": campaign_id, "job_id": job_id,
                        "customer_id": customer_id, "channel": channel}  # fmt: skip
                pipe.set(f"{self._base}:link:{token}", orjson.dumps(info), ex=_LINK_TTL_SEC)
                tokens.append(token)
            await pipe.execute()
        return tokens

    async def resolve_link(self, token: str | None) -> LinkInfo | None:
        """The campaign, job and customer behind a link token (None if unknown)."""
        if not token:
            return None
        raw = await self._redis.get(f"{self._base}:link:{token}")
        return LinkInfo(**orjson.loads(raw)) if raw else None

    async def record_touch(
        self,
        *,
        customer_id: str,
        campaign_id: str,
        job_id: str,
        channel: str,
        at: float | None = None,
    ) -> None:
        """Remember that a campaign reached (or was clicked by) this customer."""
        touch = {"campaign_id": campaign_id, "job_id": job_id, "channel": channel}
        touch["at"] = time.time() if at is None else at  # type: ignore[assignment]
        key = f"{self._base}:touch:{customer_id}"
        current = await self._redis.get(key)
        # Webhooks arrive out of order; an older touch must not replace a newer one.
        if current is not None and orjson.loads(current)["at"] > touch["at"]:
            return
        await self._redis.set(key, orjson.dumps(touch), ex=self._window_sec)

    async def record_order(
        self,
        *,
        order_id: str,
        amount: float,
        customer_id: str | None = None,
        campaign_id: str | None = None,
        job_id: str | None = None,
        channel: str | None = None,
        at: float | None = None,
    ) -> Attribution | None:
        """Count an order for its campaign; None when no campaign can claim it."""
        at = time.time() if at is None else at
        if campaign_id is None and customer_id is not None:
            raw = await self._redis.get(f"{self._base}:touch:{customer_id}")
            touch = orjson.loads(raw) if raw else None
            if touch and 0 <= at - touch["at"] <= self._window_sec:
                campaign_id, job_id = touch["campaign_id"], touch["job_id"]
                channel = channel or touch["channel"]
        if campaign_id is None:
            return None
        job_id, channel = job_id or "unknown", channel or "unknown"
        if self._script is None:
            self._script = self._redis.register_script(_RECORD_ORDER)
        record = {"campaign_id": campaign_id, "job_id": job_id, "amount": amount, "at": at}
        counted = await self._script(
            keys=[
                f"{self._base}:order:{order_id}",
                f"{self._base}:campaign:{campaign_id}",
                f"{self._base}:job:{job_id}",
            ],
            args=[orjson.dumps(record), repr(float(amount)), channel, 400 * 86400],
        )
        return Attribution(order_id, campaign_id, job_id, channel, float(amount), bool(counted))

    async def campaign_totals(self, campaign_id: str) -> CampaignTotals:
        """Revenue and orders of a campaign, overall and per channel."""
        return self._totals(await self._redis.hgetall(f"{self._base}:campaign:{campaign_id}"))

    async def job_totals(self, job_id: str) -> CampaignTotals:
        """Revenue and orders attributed to a job's campaigns."""
        return self._totals(await self._redis.hgetall(f"{self._base}:job:{job_id}"))

    @staticmethod
    def _totals(raw: dict[Any, Any]) -> CampaignTotals:
        data = {as_text(k): as_text(v) for k, v in raw.items()}
        by_rev = {k[8:]: float(v) for k, v in data.items() if k.startswith("revenue:")}
        by_orders = {k[7:]: int(v) for k, v in data.items() if k.startswith("orders:")}
        return CampaignTotals(
            revenue=float(data.get("revenue", 0)),
            orders=int(data.get("orders", 0)),
            revenue_by_channel=by_rev,
            orders_by_channel=by_orders,
        )
