"""campaigns, campaign_counters, campaign_events: a campaign's state moves from Redis

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

Campaigns Redis still holds (``{REDIS_PREFIX}:campaign:<id>:meta|control|stats|ev:<kind>``)
are copied: control, counters and counted tracking events. The sent counters are not:
they are read from the sent-message ledger now (copied by 0005). When Redis does not
answer, nothing is copied and the upgrade goes on.
"""
import logging
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

import backend.models.types

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")


def upgrade() -> None:
    op.create_table('campaigns',
    sa.Column('campaign_id', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('job_id', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('control', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('started_at', backend.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', backend.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('campaign_id')
    )
    op.create_index(op.f('ix_campaigns_run_id'), 'campaigns', ['run_id'], unique=False)
    op.create_table('campaign_counters',
    sa.Column('campaign_id', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('campaign_id', 'name')
    )
    op.create_table('campaign_events',
    sa.Column('campaign_id', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('message', sqlmodel.sql.sqltypes.AutoString(length=250), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.PrimaryKeyConstraint('campaign_id', 'message', 'kind')
    )
    _copy_redis_campaigns()


def _read_redis() -> tuple[list[dict], list[dict], list[dict]]:
    import redis

    from backend.core.config import get_settings

    settings = get_settings()
    client = redis.Redis.from_url(settings.redis_url, socket_connect_timeout=1, socket_timeout=5,
                                  decode_responses=True)
    base = f"{settings.redis_prefix}:campaign:"
    campaigns, counters, events = [], [], []
    try:
        for name in client.scan_iter(f"{base}*:meta", count=1000):
            cid = name[len(base):-len(":meta")]
            meta = client.hgetall(name)
            started = datetime.fromtimestamp(float(meta.get("started_at") or 0), UTC)
            finished = meta.get("finished_at")
            campaigns.append({
                "campaign_id": cid[:300], "run_id": int(meta["run_id"]) if meta.get("run_id")
                else None, "job_id": meta.get("job_id", "")[:128],
                "name": meta.get("name", "")[:200],
                "control": client.get(f"{base}{cid}:control") or "running",
                "status": meta.get("status"), "started_at": started,
                "finished_at": datetime.fromtimestamp(float(finished), UTC) if finished else None})
            for field, value in client.hgetall(f"{base}{cid}:stats").items():
                if field != "sent" and not field.startswith("sent:"):
                    counters.append({"campaign_id": cid[:300], "name": field[:100],
                                     "value": float(value)})
            for ev_key in client.scan_iter(f"{base}{cid}:ev:*", count=1000):
                kind = ev_key.rsplit(":ev:", 1)[1]
                events += [{"campaign_id": cid[:300], "message": m[:250], "kind": kind[:20]}
                           for m in client.smembers(ev_key)]
    except redis.RedisError as exc:
        log.warning("campaign state not copied from Redis (%s): %s", settings.redis_url, exc)
        return [], [], []
    finally:
        client.close()
    return campaigns, counters, events


def _copy_redis_campaigns() -> None:
    campaigns, counters, events = _read_redis()
    if not campaigns:
        return
    op.bulk_insert(sa.table('campaigns', *(sa.column(c) for c in (
        'campaign_id', 'run_id', 'job_id', 'name', 'control', 'status')),
        sa.column('started_at', backend.models.types.UTCDateTime()),
        sa.column('finished_at', backend.models.types.UTCDateTime())), campaigns)
    if counters:
        op.bulk_insert(sa.table('campaign_counters', sa.column('campaign_id'), sa.column('name'),
                                sa.column('value')), counters)
    for start in range(0, len(events), 500):
        op.bulk_insert(sa.table('campaign_events', sa.column('campaign_id'),
                                sa.column('message'), sa.column('kind')), events[start:start + 500])
    log.info("copied %s campaigns (%s counters, %s events) from Redis", len(campaigns),
             len(counters), len(events))


def downgrade() -> None:
    op.drop_table('campaign_events')
    op.drop_table('campaign_counters')
    op.drop_index(op.f('ix_campaigns_run_id'), table_name='campaigns')
    op.drop_table('campaigns')
