"""Order events from marketplaces that do not push: a poller with a cursor.

Shopee and TikTok Shop push order changes to the app's webhooks; Lazada is read by
polling its GetOrders API for orders updated since the cursor (the newest change seen,
kept in the database per platform and account). Each order becomes the events its
status stands for (``order.created``, ``order.paid``, ``order.cancelled``), recorded by
the same intake as a push: once per order and event, so re-reading the cursor's own
second (the cursor is inclusive: two changes in one second are both seen) starts
nothing twice. The scheduler's leader polls every ``ORDER_POLL_SEC`` while some job has
an order trigger.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlmodel import Session, col, select

from backend.connectors import order_push
from backend.connectors.runtime import catalog_connector
from backend.connectors.shops import resolve_accounts
from backend.core.db import get_engine, write_transaction
from backend.jobs.events import ingest_event
from backend.models import Job, JobState
from backend.models.types import utcnow

__all__ = ["POLLED", "Polled", "poll_platform", "poll_all", "order_jobs_exist"]

POLLED = ("lazada",)  # marketplaces without a push API for orders
_STATE_JOB = "system:order-poll"  # job_state rows of the poller, one per platform account
_FIRST_LOOK = timedelta(hours=1)  # a new cursor starts this far back
_PAGE = 100


@dataclass(frozen=True, slots=True)
class Polled:
    """What one poll of one shop found."""

    platform: str
    account: str
    orders: int
    events: int
    new_events: int
    cursor: str


def order_jobs_exist() -> bool:
    """Is there an enabled job waiting for order events (else nothing to poll for)?"""
    with Session(get_engine()) as session:
        return session.exec(select(Job.job_id).where(
            col(Job.enabled).is_(True), col(Job.trigger_event).startswith("order."))
        ).first() is not None  # fmt: skip


def _cursor(name: str) -> datetime | None:
    with Session(get_engine()) as session:
        row = session.get(JobState, (_STATE_JOB, name))
        return datetime.fromisoformat(row.value) if row is not None and row.value else None


def _save_cursor(name: str, at: datetime) -> None:
    from sqlalchemy.dialects import postgresql, sqlite

    with write_transaction() as conn:
        insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
        stmt = insert(JobState.__table__).values(  # type: ignore[attr-defined]
            job_id=_STATE_JOB, name=name, value=at.isoformat(), updated_at=utcnow())
        conn.execute(stmt.on_conflict_do_update(index_elements=["job_id", "name"],
                                                set_={"value": stmt.excluded.value,
                                                      "updated_at": stmt.excluded.updated_at}))


async def _read(platform: str, account: str, since: datetime) -> list[dict[str, Any]]:
    """Every order changed since ``since``, page by page."""
    async with httpx.AsyncClient(timeout=30) as client:
        connector: Any = catalog_connector(platform, client=client, account=account)
        orders: list[dict[str, Any]] = []
        while True:
            page, total = await connector.order_changes(updated_after=since,
                                                        offset=len(orders), limit=_PAGE)
            orders += page
            if not page or len(orders) >= total:
                return orders


def poll_platform(platform: str, *, account: str, now: datetime | None = None) -> Polled:
    """Read one shop's changed orders and record their events; move its cursor on."""
    name = f"{platform}:{account}"
    since = _cursor(name) or (now or utcnow()) - _FIRST_LOOK
    orders = asyncio.run(_read(platform, account, since))
    events = new = 0
    newest = since
    for raw in orders:
        for push in order_push.parse_lazada_order(raw, shop_id=account):
            events += 1
            at = (datetime.fromtimestamp(push.update_time, UTC)
                  if push.update_time else None)  # fmt: skip
            intake = ingest_event(source=push.source, event_id=push.event_id, kind=push.kind,
                                  data=push.data(), occurred_at=at)  # fmt: skip
            new += not intake.duplicate
            if at is not None and at > newest:
                newest = at
    _save_cursor(name, newest)
    return Polled(platform, account, len(orders), events, new, newest.isoformat())


def poll_all() -> list[Polled]:
    """Poll every shop of every marketplace without push (a failing shop does not stop
    the others; it is polled again next round from the same cursor)."""
    import logging

    out = []
    for platform in POLLED:
        for account in resolve_accounts(platform, None):
            try:
                out.append(poll_platform(platform, account=account))
            except Exception:
                logging.getLogger("spio.scheduler").exception("polling %s:%s failed",
                                                              platform, account)
    return out
