"""The crisis dashboard is database data: its tick series, top negative posts, status
and auto-response counts survive Redis losing everything, on SQLite and PostgreSQL; a
tick recorded twice (a resumed commit step) counts once; an upgrade copies what Redis
held before."""

from __future__ import annotations

import json
import sqlite3
import time

import pytest

from backend.services import crisis_dashboard
from tests.workflows.test_workflow_records import lose_redis

BOTH = pytest.mark.parametrize("backend_kind", ["sqlite", "postgres"], indirect=True)


def _post(pid: str, rank: float) -> dict:
    return {"id": pid, "text": f"kecewa {pid}", "rank": rank, "score": 0.1,
            "topic": "pengiriman"}  # fmt: skip


def _tick(status: str, mentions: int) -> dict:
    return {"mentions": mentions, "negative": mentions // 2, "negative_share": 0.5,
            "mean_score": 0.4, "status": status, "alerts": 0, "topics": []}  # fmt: skip


@BOTH
def test_dashboard_survives_redis_and_a_repeated_tick_counts_once(env) -> None:
    crisis_dashboard.record_tick(job_id="cm", at=100.0, tick=_tick("yellow", 10),
                                 top=[_post("a", 1.0), _post("b", 3.0)])  # fmt: skip
    crisis_dashboard.record_tick(job_id="cm", at=130.0, tick=_tick("red", 40),
                                 top=[_post("c", 2.0), _post("a", 1.0)])  # fmt: skip
    crisis_dashboard.record_tick(job_id="cm", at=130.0, tick=_tick("red", 40), top=[])  # again
    crisis_dashboard.count_response("cm", "auto_reply", 2)
    crisis_dashboard.count_response("cm", "auto_reply")
    crisis_dashboard.record_tick(job_id="other", at=100.0, tick=_tick("green", 1), top=[])
    before = crisis_dashboard.dashboard("cm")
    lose_redis(env)
    after = crisis_dashboard.dashboard("cm")
    assert after == before
    assert [(t["at"], t["mentions"]) for t in after["series"]] == [(100.0, 10), (130.0, 40)]
    assert [p["id"] for p in after["top_negative"]] == ["b", "c", "a"]
    assert after["status"] == "red" and after["responses"] == {"auto_reply": 3}
    assert crisis_dashboard.dashboard("nobody") == {
        "job_id": "nobody", "status": "green", "series": [], "top_negative": [],
        "responses": {}, "open_incident": None}


def test_the_series_keeps_the_newest_ticks(env, monkeypatch) -> None:
    monkeypatch.setattr(crisis_dashboard, "SERIES_KEEP", 5)
    for i in range(8):
        crisis_dashboard.record_tick(job_id="cm", at=float(i), tick=_tick("green", i), top=[])
    assert [t["at"] for t in crisis_dashboard.dashboard("cm")["series"]] == [3.0, 4.0, 5.0,
                                                                             6.0, 7.0]


def test_the_upgrade_copies_the_dashboards_from_redis(tmp_path, monkeypatch) -> None:
    import redis as syncredis

    from tests.conftest import TEST_REDIS_URL, migrate_reading_redis

    prefix = f"migx{int(time.time() * 1000) % 10**8}"
    base = f"{prefix}:crisis:cm"
    client = syncredis.Redis.from_url(TEST_REDIS_URL)
    client.zadd(f"{base}:series", {json.dumps({"at": 100.0, **_tick("yellow", 10)}): 100.0,
                                   json.dumps({"at": 130.0, **_tick("red", 40)}): 130.0})
    client.set(f"{base}:top", json.dumps([_post("b", 3.0)]))
    client.set(f"{base}:status", "red")
    client.hset(f"{base}:responses", mapping={"auto_reply": 4})
    client.close()
    migrate_reading_redis(f"sqlite:///{tmp_path / 'spio.db'}", prefix=prefix,
                          monkeypatch=monkeypatch)
    with sqlite3.connect(tmp_path / "spio.db") as conn:
        ticks = conn.execute("SELECT job_id, at, tick FROM crisis_ticks ORDER BY at").fetchall()
        board = conn.execute("SELECT job_id, status, top, responses FROM crisis_dashboards"
                             ).fetchall()  # fmt: skip
    assert [(j, at, json.loads(t)["mentions"]) for j, at, t in ticks] == [
        ("cm", 100.0, 10), ("cm", 130.0, 40)]
    assert [(j, s, json.loads(t)[0]["id"], json.loads(r)) for j, s, t, r in board] == [
        ("cm", "red", "b", {"auto_reply": 4})]
