"""tracked_links, revenue_touches, revenue_orders, crisis_ticks, crisis_dashboards:
campaign revenue and the crisis dashboard move from Redis

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07

What Redis still holds is copied: tracked links (``{REDIS_PREFIX}:rev:link:<token>``),
customers' last touches (``rev:touch:<customer>``), attributed orders
(``rev:order:<order id>``; an order's channel is its campaign's when the campaign's
totals name one channel, else "unknown"), and per crisis monitor job its tick series,
top negative posts, status and auto-response counts (``crisis:<job>:series|top|status|
responses``). Campaign and job totals are sums over the orders now. When Redis does not
answer, nothing is copied and the upgrade goes on.
"""
import json
import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
import sqlmodel
from alembic import op

import backend.models.types

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")
_S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table('tracked_links',
    sa.Column('token', _S(length=32), nullable=False),
    sa.Column('campaign_id', _S(length=300), nullable=False),
    sa.Column('job_id', _S(length=128), nullable=False),
    sa.Column('customer_id', _S(length=320), nullable=False),
    sa.Column('channel', _S(length=20), nullable=False),
    sa.Column('created_at', backend.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('token')
    )
    op.create_table('revenue_touches',
    sa.Column('customer_id', _S(length=320), nullable=False),
    sa.Column('campaign_id', _S(length=300), nullable=False),
    sa.Column('job_id', _S(length=128), nullable=False),
    sa.Column('channel', _S(length=20), nullable=False),
    sa.Column('at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('customer_id')
    )
    op.create_table('revenue_orders',
    sa.Column('order_id', _S(length=200), nullable=False),
    sa.Column('campaign_id', _S(length=300), nullable=False),
    sa.Column('job_id', _S(length=128), nullable=False),
    sa.Column('channel', _S(length=20), nullable=False),
    sa.Column('amount', sa.Float(), nullable=False),
    sa.Column('at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('order_id')
    )
    op.create_index(op.f('ix_revenue_orders_campaign_id'), 'revenue_orders', ['campaign_id'],
                    unique=False)
    op.create_index(op.f('ix_revenue_orders_job_id'), 'revenue_orders', ['job_id'], unique=False)
    op.create_table('crisis_ticks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job_id', _S(length=128), nullable=False),
    sa.Column('at', sa.Float(), nullable=False),
    sa.Column('tick', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_crisis_ticks_job_at', 'crisis_ticks', ['job_id', 'at'], unique=True)
    op.create_table('crisis_dashboards',
    sa.Column('job_id', _S(length=128), nullable=False),
    sa.Column('status', _S(length=10), nullable=False),
    sa.Column('top', sa.JSON(), nullable=False),
    sa.Column('responses', sa.JSON(), nullable=False),
    sa.Column('updated_at', backend.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('job_id')
    )
    _copy(_read_redis())


def _read_redis() -> dict[str, list[dict[str, Any]]]:
    import redis

    from backend.core.config import get_settings

    settings = get_settings()
    client = redis.Redis.from_url(settings.redis_url, socket_connect_timeout=1, socket_timeout=5,
                                  decode_responses=True)
    try:
        return {**_read_revenue(client, f"{settings.redis_prefix}:rev:"),
                **_read_crisis(client, f"{settings.redis_prefix}:crisis:")}
    except redis.RedisError as exc:
        log.warning("revenue and crisis dashboards not copied from Redis (%s): %s",
                    settings.redis_url, exc)
        return {}
    finally:
        client.close()


def _read_revenue(client: Any, base: str) -> dict[str, list[dict[str, Any]]]:
    links, touches, orders = [], [], []
    now = datetime.now(UTC)
    for name in client.scan_iter(f"{base}link:*", count=1000):
        info = json.loads(client.get(name) or "null")
        if info:
            links.append({"token": name[len(base) + 5:][:32], "created_at": now,
                          **{k: str(info.get(k, ""))[:n] for k, n in (
                              ("campaign_id", 300), ("job_id", 128), ("customer_id", 320),
                              ("channel", 20))}})
    for name in client.scan_iter(f"{base}touch:*", count=1000):
        touch = json.loads(client.get(name) or "null")
        if touch:
            touches.append({"customer_id": name[len(base) + 6:][:320],
                            "campaign_id": str(touch["campaign_id"])[:300],
                            "job_id": str(touch["job_id"])[:128],
                            "channel": str(touch.get("channel", "unknown"))[:20],
                            "at": float(touch["at"])})
    one_channel: dict[str, str] = {}
    for name in client.scan_iter(f"{base}order:*", count=1000):
        order = json.loads(client.get(name) or "null")
        if not order:
            continue
        cid = str(order["campaign_id"])
        if cid not in one_channel:
            channels = [f[8:] for f in client.hkeys(f"{base}campaign:{cid}")
                        if f.startswith("revenue:")]
            one_channel[cid] = channels[0] if len(channels) == 1 else "unknown"
        orders.append({"order_id": name[len(base) + 6:][:200], "campaign_id": cid[:300],
                       "job_id": str(order.get("job_id") or "unknown")[:128],
                       "channel": str(order.get("channel") or one_channel[cid])[:20],
                       "amount": float(order["amount"]), "at": float(order.get("at") or 0)})
    return {"tracked_links": links, "revenue_touches": touches, "revenue_orders": orders}


def _read_crisis(client: Any, base: str) -> dict[str, list[dict[str, Any]]]:
    ticks, boards = [], []
    jobs = {name[len(base):].rsplit(":", 1)[0] for pattern in ("series", "top", "status",
                                                                  "responses")
            for name in client.scan_iter(f"{base}*:{pattern}", count=1000)}
    for job_id in sorted(jobs):
        seen = set()
        for member in client.zrange(f"{base}{job_id}:series", 0, -1):
            tick = json.loads(member)
            at = float(tick.pop("at"))
            if at not in seen:
                seen.add(at)
                ticks.append({"job_id": job_id[:128], "at": at, "tick": tick})
        boards.append({"job_id": job_id[:128],
                       "status": (client.get(f"{base}{job_id}:status") or "green")[:10],
                       "top": json.loads(client.get(f"{base}{job_id}:top") or "[]"),
                       "responses": {k: int(v) for k, v in
                                     client.hgetall(f"{base}{job_id}:responses").items()},
                       "updated_at": datetime.now(UTC)})
    return {"crisis_ticks": ticks, "crisis_dashboards": boards}


_COLUMNS = {
    "tracked_links": ("token", "campaign_id", "job_id", "customer_id", "channel", "created_at"),
    "revenue_touches": ("customer_id", "campaign_id", "job_id", "channel", "at"),
    "revenue_orders": ("order_id", "campaign_id", "job_id", "channel", "amount", "at"),
    "crisis_ticks": ("job_id", "at", "tick"),
    "crisis_dashboards": ("job_id", "status", "top", "responses", "updated_at"),
}
_TYPES = {"created_at": backend.models.types.UTCDateTime(), "updated_at":
          backend.models.types.UTCDateTime(), "tick": sa.JSON(), "top": sa.JSON(),
          "responses": sa.JSON()}


def _copy(found: dict[str, list[dict[str, Any]]]) -> None:
    for table, rows in found.items():
        if not rows:
            continue
        target = sa.table(table, *(sa.column(c, _TYPES.get(c)) for c in _COLUMNS[table]))
        for start in range(0, len(rows), 500):
            op.bulk_insert(target, rows[start:start + 500])
        log.info("copied %s rows of %s from Redis", len(rows), table)


def downgrade() -> None:
    op.drop_table('crisis_dashboards')
    op.drop_index('ix_crisis_ticks_job_at', table_name='crisis_ticks')
    op.drop_table('crisis_ticks')
    op.drop_index(op.f('ix_revenue_orders_job_id'), table_name='revenue_orders')
    op.drop_index(op.f('ix_revenue_orders_campaign_id'), table_name='revenue_orders')
    op.drop_table('revenue_orders')
    op.drop_table('revenue_touches')
    op.drop_table('tracked_links')
