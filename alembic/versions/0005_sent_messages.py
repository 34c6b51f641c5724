"""sent_messages: the messaging tool's sent-message ledger moves from Redis to the database

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07

The deliveries recorded in Redis (``{REDIS_PREFIX}:msg:ledger:<key>``, with their
``msg:pid:<channel>:<provider id>`` map) are copied into the table, so a campaign that
was under way keeps its exactly-once record across the upgrade. Claims in flight
(``pending``) are not copied: their sender re-claims the key. When Redis does not answer,
nothing is copied and the upgrade goes on (the platforms' own idempotency keys cover
the rest).
"""
import json
import logging
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

import backend.models.types

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")


def upgrade() -> None:
    op.create_table('sent_messages',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('recipient', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('claim', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('holder', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('lease_until', backend.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('provider_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('sent_at', backend.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', backend.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_index('ix_sent_messages_provider', 'sent_messages', ['channel', 'provider_id'],
                    unique=False)
    _copy_redis_ledger()


def _redis_deliveries() -> list[dict]:
    import redis

    from backend.core.config import get_settings

    settings = get_settings()
    client = redis.Redis.from_url(settings.redis_url, socket_connect_timeout=1, socket_timeout=5)
    prefix = f"{settings.redis_prefix}:msg:ledger:"
    try:
        found = []
        for name in client.scan_iter(f"{prefix}*", count=1000):
            raw = client.get(name)
            data = json.loads(raw) if raw else {}
            if "pending" not in data and data.get("idempotency_key"):
                found.append(data)
        return found
    except redis.RedisError as exc:
        log.warning("sent-message ledger not copied from Redis (%s): %s", settings.redis_url, exc)
        return []
    finally:
        client.close()


def _copy_redis_ledger() -> None:
    deliveries = _redis_deliveries()
    if not deliveries:
        return
    table = sa.table('sent_messages', *(sa.column(c) for c in (
        'key', 'channel', 'recipient', 'state', 'provider_id', 'status', 'attempts')),
        sa.column('sent_at', backend.models.types.UTCDateTime()),
        sa.column('updated_at', backend.models.types.UTCDateTime()))
    rows = []
    for d in deliveries:
        sent_at = datetime.fromtimestamp(float(d.get("sent_at") or 0), UTC)
        rows.append({'key': d['idempotency_key'][:300], 'channel': d.get('channel', ''),
                     'recipient': str(d.get('to', ''))[:320], 'state': 'sent',
                     'provider_id': d.get('provider_id'), 'status': d.get('status'),
                     'attempts': int(d.get('attempts') or 1), 'sent_at': sent_at,
                     'updated_at': sent_at})
    for start in range(0, len(rows), 500):
        op.bulk_insert(table, rows[start:start + 500])
    log.info("copied %s sent messages from Redis", len(rows))


def downgrade() -> None:
    op.drop_index('ix_sent_messages_provider', table_name='sent_messages')
    op.drop_table('sent_messages')
