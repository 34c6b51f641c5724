"""Price reviews and crisis incidents are database records: they survive Redis losing
everything (it keeps nothing on disk here), and the rules they carry hold on SQLite and
PostgreSQL alike."""

from __future__ import annotations

import pytest
import redis

from backend.core.errors import Conflict
from backend.services import crisis_dashboard, crisis_incidents, price_reviews

BOTH = pytest.mark.parametrize("backend_kind", ["sqlite", "postgres"], indirect=True)


def lose_redis(settings) -> None:
    """What a Redis restart without persistence does to this install."""
    client = redis.Redis.from_url(settings.redis_url)
    keys = list(client.scan_iter(f"{settings.redis_prefix}*", count=1000))
    if keys:
        client.delete(*keys)


def decision(sku: str, target: int) -> dict:
    return {"sku": sku, "platform": "shopee", "current_price": 100_000, "target_price": target,
            "floor_price": 95_000, "lowest_competitor": 90_000, "reasons": ["under the floor"],
            "advice": None}  # fmt: skip


@BOTH
def test_review_queue_survives_redis_and_keeps_its_rules(env) -> None:
    assert price_reviews.flag(job_id="pi", run_id=1, decision=decision("A", 90_000))
    assert price_reviews.flag(job_id="pi", run_id=1, decision=decision("B", 91_000))
    lose_redis(env)
    rid = price_reviews.review_id("pi", "A", "shopee")
    approved = price_reviews.decide_review(rid, approve=True, actor="sari", price=95_000)
    assert approved["status"] == "approved" and approved["target_price"] == 95_000
    with pytest.raises(Conflict):
        price_reviews.decide_review(rid, approve=False, actor="sari")
    # The decided proposal is not raised again; a new target reopens the review.
    assert not price_reviews.flag(job_id="pi", run_id=2, decision=decision("A", 95_000))
    assert [r["sku"] for r in price_reviews.approved_for("pi")] == ["A"]
    price_reviews.mark_applied(rid, run_id=3)
    lose_redis(env)
    rows = {r["sku"]: r for r in price_reviews.list_reviews(job_id="pi")}
    assert rows["A"]["status"] == "applied" and rows["A"]["applied_by_run"] == 3
    assert rows["A"]["decided_by"] == "sari" and rows["B"]["status"] == "pending"
    assert price_reviews.approved_for("pi") == []


@BOTH
def test_incident_survives_redis_and_one_is_open_per_job(env) -> None:
    hot = {"mentions": 500, "negative_share": 0.9}
    opened, happened = crisis_incidents.open_or_update(
        job_id="cm", run_id=1, figures=hot, crisis=True, calm_to_close=2
    )
    assert happened == "opened" and opened is not None
    # A racing tick cannot open a second one: the unique open_job column refuses it.
    assert crisis_incidents._open("cm", 2, hot) is None  # noqa: SLF001
    lose_redis(env)
    row, happened = crisis_incidents.open_or_update(
        job_id="cm", run_id=3, figures={"mentions": 900}, crisis=True, calm_to_close=2
    )
    assert happened == "ongoing" and row["id"] == opened["id"] and row["peak"]["mentions"] == 900
    assert crisis_dashboard.dashboard("cm")["open_incident"]["id"] == opened["id"]
    for expected in ("calm", "closed"):
        _, happened = crisis_incidents.open_or_update(
            job_id="cm", run_id=4, figures={"mentions": 3}, crisis=False, calm_to_close=2
        )
        assert happened == expected
    assert crisis_incidents.open_or_update(
        job_id="cm", run_id=5, figures={}, crisis=False, calm_to_close=2
    ) == (None, "none")
    # A new crisis opens a new incident; closing it by hand frees the job for the next.
    second, happened = crisis_incidents.open_or_update(
        job_id="cm", run_id=6, figures=hot, crisis=True, calm_to_close=2
    )
    assert happened == "opened" and second["id"] != opened["id"]
    closed = crisis_incidents.close_incident(second["id"], actor="budi")
    assert closed["status"] == "closed" and closed["closed_by"] == "budi"
    with pytest.raises(Conflict):
        crisis_incidents.close_incident(second["id"], actor="budi")
    lose_redis(env)
    listed = crisis_incidents.list_incidents(job_id="cm")
    assert [i["status"] for i in listed] == ["closed", "closed"]
    assert crisis_dashboard.dashboard("cm")["open_incident"] is None
