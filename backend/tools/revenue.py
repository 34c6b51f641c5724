"""The revenue tool: which campaign (and job) earned which order.

Tracking webhooks report touches (a message delivered, a link clicked) and orders. An
order counts for the campaign named in its tracked link when it has one, otherwise for
the customer's last touch within ``settings.revenue_attribution_days`` (last-touch
attribution). Each order counts once, however often the webhook repeats it: its id is
the key of its row. Links, touches and orders are database rows
(``backend/models/revenue.py``), so a Redis that lost everything forgets no link, order
or total; totals per campaign and per job (revenue, orders, by channel) are sums over
the orders.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from backend.core.db import UNCACHED, get_engine, write_transaction
from backend.models import RevenueOrder, RevenueTouch, TrackedLink
from backend.models.types import utcnow

__all__ = ["RevenueTool", "Attribution", "CampaignTotals", "LinkInfo", "tracked_url"]

_LINKS = TrackedLink.__table__  # type: ignore[attr-defined]
_TOUCHES = RevenueTouch.__table__  # type: ignore[attr-defined]
_ORDERS = RevenueOrder.__table__  # type: ignore[attr-defined]
_BATCH = 500
T = TypeVar("T")


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


def link_token_of(*, campaign_id: str, job_id: str, customer_id: str, channel: str) -> str:
    """A short token for a tracked link to this customer (the same on every retry)."""
    identity = "\x1f".join((campaign_id, job_id, customer_id, channel)).encode()
    return base64.urlsafe_b64encode(hashlib.sha256(identity).digest()[:12]).decode()


@dataclass(frozen=True, slots=True)
class CampaignTotals:
    revenue: float
    orders: int
    revenue_by_channel: dict[str, float]
    orders_by_channel: dict[str, int]


def _insert(conn: Connection) -> Any:
    return postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert


class RevenueTool:
    """Attributes orders to campaigns and jobs (rows in the database; blocking work runs
    in a thread)."""

    def __init__(self, *, window_days: int = 7, engine: Engine | None = None) -> None:
        self._engine = engine
        self._window_sec = window_days * 86400

    def _db(self) -> Engine:
        return self._engine or get_engine()

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.to_thread(fn, *args)

    # --- links -------------------------------------------------------------------------
    async def link_token(
        self, *, campaign_id: str, job_id: str, customer_id: str, channel: str
    ) -> str:
        """A short token for a tracked link to this customer (the same on every retry)."""
        return (await self.link_tokens(campaign_id=campaign_id, job_id=job_id,
                                       recipients=[(customer_id, channel)]))[0]  # fmt: skip

    async def link_tokens(
        self, *, campaign_id: str, job_id: str, recipients: list[tuple[str, str]]
    ) -> list[str]:
        """:meth:`link_token` for many ``(customer_id, channel)`` at once (a campaign
        registers its links before sending): one statement per 500 links."""
        rows = [{"token": link_token_of(campaign_id=campaign_id, job_id=job_id,
                                        customer_id=customer, channel=channel),
                 "campaign_id": campaign_id[:300], "job_id": job_id[:128],
                 "customer_id": customer[:320], "channel": channel[:20]}
                for customer, channel in recipients]  # fmt: skip
        if rows:
            await self._run(self._save_links, rows)
        return [r["token"] for r in rows]

    def _save_links(self, rows: list[dict[str, Any]]) -> None:
        unique = list({r["token"]: {**r, "created_at": utcnow()} for r in rows}.values())
        with write_transaction(self._db()) as conn:
            for start in range(0, len(unique), _BATCH):
                stmt = _insert(conn)(_LINKS).values(unique[start:start + _BATCH])
                conn.execute(stmt.on_conflict_do_nothing(index_elements=["token"]),
                             execution_options=UNCACHED)

    async def resolve_link(self, token: str | None) -> LinkInfo | None:
        """The campaign, job and customer behind a link token (None if unknown)."""
        if not token or len(token) > 32:
            return None
        return await self._run(self._resolve, token)

    def _resolve(self, token: str) -> LinkInfo | None:
        with self._db().connect() as conn:
            row = conn.execute(select(_LINKS.c.campaign_id, _LINKS.c.job_id,
                                      _LINKS.c.customer_id, _LINKS.c.channel)
                               .where(_LINKS.c.token == token)).first()  # fmt: skip
        return LinkInfo(*row) if row is not None else None

    # --- touches and orders ------------------------------------------------------------
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
        touch = {"customer_id": customer_id[:320], "campaign_id": campaign_id[:300],
                 "job_id": job_id[:128], "channel": channel[:20],
                 "at": time.time() if at is None else at}  # fmt: skip
        await self._run(self._touch, touch)

    def _touch(self, touch: dict[str, Any]) -> None:
        with write_transaction(self._db()) as conn:
            stmt = _insert(conn)(_TOUCHES).values(touch)
            # Webhooks arrive out of order; an older touch must not replace a newer one.
            conn.execute(stmt.on_conflict_do_update(
                index_elements=["customer_id"],
                set_={k: stmt.excluded[k] for k in ("campaign_id", "job_id", "channel", "at")},
                where=_TOUCHES.c.at <= stmt.excluded.at))

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
        order = {"order_id": order_id[:200], "amount": float(amount),
                 "at": time.time() if at is None else at, "customer_id": customer_id,
                 "campaign_id": campaign_id, "job_id": job_id, "channel": channel}  # fmt: skip
        return await self._run(self._order, order)

    def _order(self, order: dict[str, Any]) -> Attribution | None:
        with write_transaction(self._db()) as conn:
            campaign_id, job_id, channel = order["campaign_id"], order["job_id"], order["channel"]
            if campaign_id is None and order["customer_id"] is not None:
                touch = conn.execute(select(_TOUCHES).where(
                    _TOUCHES.c.customer_id == str(order["customer_id"])[:320])).first()
                if touch is not None and 0 <= order["at"] - touch.at <= self._window_sec:
                    campaign_id, job_id = touch.campaign_id, touch.job_id
                    channel = channel or touch.channel
            if campaign_id is None:
                return None
            job_id, channel = job_id or "unknown", channel or "unknown"
            # RETURNING, not rowcount: PostgreSQL's driver does not count ON CONFLICT's no-ops.
            counted = conn.execute(_insert(conn)(_ORDERS).values(
                order_id=order["order_id"], campaign_id=campaign_id[:300], job_id=job_id[:128],
                channel=channel[:20], amount=order["amount"], at=order["at"],
            ).on_conflict_do_nothing().returning(_ORDERS.c.order_id)).first()
        return Attribution(order["order_id"], campaign_id, job_id, channel, order["amount"],
                           counted is not None)  # fmt: skip

    # --- totals ------------------------------------------------------------------------
    async def campaign_totals(self, campaign_id: str) -> CampaignTotals:
        """Revenue and orders of a campaign, overall and per channel."""
        return await self._run(self._totals, _ORDERS.c.campaign_id == campaign_id)

    async def job_totals(self, job_id: str) -> CampaignTotals:
        """Revenue and orders attributed to a job's campaigns."""
        return await self._run(self._totals, _ORDERS.c.job_id == job_id)

    def _totals(self, where: Any) -> CampaignTotals:
        with self._db().connect() as conn:
            rows = conn.execute(select(_ORDERS.c.channel, func.sum(_ORDERS.c.amount),
                                       func.count()).where(where)
                                .group_by(_ORDERS.c.channel)).all()  # fmt: skip
        by_rev = {channel: float(total) for channel, total, _ in rows}
        by_orders = {channel: int(n) for channel, _, n in rows}
        return CampaignTotals(revenue=sum(by_rev.values()), orders=sum(by_orders.values()),
                              revenue_by_channel=by_rev, orders_by_channel=by_orders)

