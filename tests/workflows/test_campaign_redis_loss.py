"""A Redis that lost everything in the middle of a campaign (issue 19, point 3): the
campaign stays paused, its counters and what it sent are intact, and once resumed it
reaches every planned customer exactly once. Its state is in the database now; Redis
holds only what may be lost."""

from __future__ import annotations

import time

import pytest

from tests.conftest import flush_redis_prefix
from tests.workflows.campaign_support import campaign_spec, received, run_until_sent
from tests.workflows.conftest import start_job


def test_a_flushed_redis_loses_no_campaign_state_and_repeats_no_message(wf_env, admin, api):
    audience = 300
    run_id = start_job(campaign_spec(limit=audience, rate=20, job_id="bf-flushed"))
    worker, outcome = run_until_sent(api, run_id, at_least=20)
    assert api.post(f"/campaign-runs/{run_id}/pause").json()["control"] == "paused"
    time.sleep(1.5)  # senders holding a booked slot finish that message
    before = api.get(f"/campaign-runs/{run_id}/stats").json()

    assert flush_redis_prefix(wf_env.redis_prefix) > 0  # FLUSHALL, for this install

    after = api.get(f"/campaign-runs/{run_id}/stats").json()
    assert after["control"] == "paused"
    assert after["counters"] == before["counters"]
    time.sleep(1.0)
    assert api.get(f"/campaign-runs/{run_id}/stats").json()["counters"]["sent"] == \
        before["counters"]["sent"]  # still paused: nothing went out
    assert api.post(f"/campaign-runs/{run_id}/resume").json()["control"] == "running"
    worker.join(120)
    assert outcome["status"] == "succeeded"
    per_channel, _ = received(admin)
    per_recipient = [n for counts in per_channel.values() for n in counts.values()]
    counters = api.get(f"/campaign-runs/{run_id}/stats").json()["counters"]
    print(f"sent before the flush {before['counters']['sent']}, in all {counters['sent']}, "
          f"recipients {len(per_recipient)}")
    assert len(per_recipient) == counters["planned"] == counters["sent"] == audience
    assert max(per_recipient) == 1  # nobody got the message twice
    assert admin.get("/_admin/counters").json()["duplicates"] == {}


def test_the_upgrade_copies_campaign_state_from_redis(tmp_path, monkeypatch):
    import sqlite3

    import redis as syncredis

    from tests.conftest import TEST_REDIS_URL, migrate_reading_redis

    prefix = f"migc{int(time.time() * 1000) % 10**8}"
    base = f"{prefix}:campaign:bf-job:black-friday-2026"
    client = syncredis.Redis.from_url(TEST_REDIS_URL)
    client.hset(f"{base}:meta", mapping={"run_id": 41, "job_id": "bf-job",
                                          "name": "Black Friday 2026", "started_at": 1.79e9})
    client.set(f"{base}:control", "paused")
    client.hset(f"{base}:stats", mapping={"planned": 300, "sent": 120, "sent:email": 120,
                                           "delivered": 7})
    client.sadd(f"{base}:ev:delivered", "email:m1", "email:m2")
    client.close()
    migrate_reading_redis(f"sqlite:///{tmp_path / 'spio.db'}", prefix=prefix,
                          monkeypatch=monkeypatch)
    with sqlite3.connect(tmp_path / "spio.db") as conn:
        assert conn.execute("SELECT campaign_id, run_id, control FROM campaigns").fetchall() == [
            ("bf-job:black-friday-2026", 41, "paused")]
        assert dict(conn.execute("SELECT name, value FROM campaign_counters").fetchall()) == {
            "planned": 300.0, "delivered": 7.0}  # sent comes from the sent ledger now
        assert sorted(conn.execute("SELECT message, kind FROM campaign_events").fetchall()) == [
            ("email:m1", "delivered"), ("email:m2", "delivered")]


@pytest.mark.parametrize("backend_kind", ["sqlite", "postgres"], indirect=True)
def test_campaign_state_counts_each_event_once_on_both_databases(env):
    import asyncio

    from backend.models.types import utcnow
    from backend.services import campaign_state
    from backend.tools.sent_ledger import Recorded, SentLedger

    async def send() -> None:
        state = campaign_state.CampaignState(campaign_id="job:bf")
        await state.start(run_id=5, job_id="job", name="BF", planned={"email": 2}, skipped={})
        ledger = SentLedger(run_id=5)
        for i in range(2):
            key = f"campaign:job:bf:c{i}:email"
            claim = await ledger.claim(key, channel="email", to="a@b")
            await ledger.record(Recorded(key=key, token=claim.token, provider_id=f"m{i}",
                                         status="sent", attempts=1, sent_at=utcnow()))

    asyncio.run(send())
    event = {"channel": "email", "message_id": "m1", "kind": "delivered", "revenue": None}
    assert campaign_state.record_event(**event) is True
    assert campaign_state.record_event(**event) is False  # a repeated webhook
    assert campaign_state.control(5, "cancel")["control"] == "cancelled"
    with pytest.raises(Exception, match="cancelled"):
        campaign_state.control(5, "resume")
    counters = campaign_state.stats(5)["counters"]
    assert counters["sent"] == 2 and counters["delivered"] == 1 and counters["planned"] == 2
