"""The sent-message ledger lives in the database (issue 19, point 3): a Redis that lost
everything sends nothing twice; a resumed attempt takes its dead predecessor's claims
over at once; the upgrade copies the deliveries Redis had recorded."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
import redis as syncredis

from backend.tools import default_connectors
from backend.tools.messaging import MessagingTool
from backend.tools.sent_ledger import SentLedger
from backend.tools.templates import Template
from tests.connectors.messaging_support import admin, sandbox, sandbox_handle

__all__ = ["sandbox", "sandbox_handle"]

PROMO = {"name": "Sari", "campaign": "Black Friday", "discount": "50%", "link": "https://t/x"}


@pytest.fixture
def box_settings(settings, sandbox):
    return settings.model_copy(update={"sandbox_port": urlsplit(sandbox.base_url).port,
                                       "smtp_port": sandbox.smtp_port})


def _flush(settings) -> None:
    client = syncredis.Redis.from_url(settings.redis_url)
    keys = list(client.scan_iter(f"{settings.redis_prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.mark.anyio
async def test_a_redis_that_lost_everything_sends_nothing_twice(box_settings, redis, sandbox):
    async with httpx.AsyncClient(timeout=10) as client:
        def tool(run_id: int) -> MessagingTool:
            return MessagingTool(settings=box_settings, redis=redis, run_id=run_id, limits={},
                                 connectors=default_connectors(settings=box_settings,
                                                               client=client))

        first = [await tool(1).send("whatsapp", f"62811{i:07d}", Template("promo", PROMO),
                                    idempotency_key=f"bf:c{i}:wa") for i in range(5)]
        _flush(box_settings)  # FLUSHALL, as far as this install is concerned
        again = [await tool(2).send("whatsapp", f"62811{i:07d}", Template("promo", PROMO),
                                    idempotency_key=f"bf:c{i}:wa") for i in range(5)]
    assert all(d.duplicate for d in again)
    assert [d.provider_id for d in again] == [d.provider_id for d in first]
    counters = admin(sandbox, "counters")
    assert sum(counters["messages"]["whatsapp"].values()) == 5
    assert counters["duplicates"].get("whatsapp", 0) == 0  # nothing reached it twice


@pytest.mark.anyio
async def test_a_resumed_attempt_takes_over_its_dead_predecessors_claims(settings):
    from backend.core.db import get_engine

    engine = get_engine(settings.resolved_database_url)
    dead = SentLedger(run_id=7, engine=engine)
    assert (await dead.claim("k", channel="sms", to="+62")).outcome == "owned"
    # The same run's next attempt (a new sender) may send it now, not after the lease...
    started = time.monotonic()
    assert (await SentLedger(run_id=7, engine=engine).claim("k", channel="sms", to="+62")
            ).outcome == "owned"
    assert time.monotonic() - started < 1
    # ... while another run's sender waits for the holder (it may be sending right now).
    assert (await SentLedger(run_id=8, engine=engine).claim("k", channel="sms", to="+62")
            ).outcome == "busy"


def test_the_upgrade_copies_the_deliveries_redis_recorded(tmp_path: Path, monkeypatch):
    from tests.conftest import TEST_REDIS_URL, migrate_reading_redis

    prefix = f"mig{int(time.time() * 1000) % 10**8}"
    client = syncredis.Redis.from_url(TEST_REDIS_URL)
    delivered = {"channel": "whatsapp", "to": "6281", "idempotency_key": "campaign:x:c1:wa",
                 "provider_id": "wamid.1", "status": "delivered", "sent_at": 1_790_000_000.5,
                 "attempts": 1, "duplicate": False}
    client.set(f"{prefix}:msg:ledger:campaign:x:c1:wa", json.dumps(delivered))
    client.set(f"{prefix}:msg:ledger:campaign:x:c2:wa", json.dumps({"pending": "ab"}))
    client.close()
    migrate_reading_redis(f"sqlite:///{tmp_path / 'spio.db'}", prefix=prefix,
                          monkeypatch=monkeypatch)
    with sqlite3.connect(tmp_path / "spio.db") as conn:
        rows = conn.execute("SELECT key, channel, recipient, state, provider_id, status "
                            "FROM sent_messages").fetchall()
    assert rows == [("campaign:x:c1:wa", "whatsapp", "6281", "sent", "wamid.1", "delivered")]
