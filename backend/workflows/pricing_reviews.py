"""The review queue of repricing: prices the rules would not let a run change alone.

A run flags a product on a marketplace when the strategy's target breaks a rule (under
the margin/discount floor, cost unknown). A person approves (the next run applies the
reviewed price, once) or rejects it (the same proposal is not raised again; a new target
opens a new review). Kept in Redis (one hash per install), read by the API and the UI.

Synchronous on purpose: the API calls it from request threads; workflows wrap it in
``asyncio.to_thread``.
"""

from __future__ import annotations

import json
import time
from typing import Any, Literal

from backend.core.errors import Conflict, NotFound
from backend.core.redis import get_redis, key

__all__ = ["flag", "list_reviews", "decide_review", "approved_for", "mark_applied", "review_id"]

Status = Literal["pending", "approved", "rejected", "applied"]


def _hash() -> str:
    return key("pricing", "reviews")


def review_id(job_id: str, sku: str, platform: str) -> str:
    return f"{job_id}:{sku}:{platform}"


def _load(raw: str | None) -> dict[str, Any] | None:
    return json.loads(raw) if raw else None


def flag(*, job_id: str, run_id: int, decision: dict[str, Any]) -> bool:
    """Open (or refresh) the review of a flagged decision; False when this very proposal
    was already decided (rejected, or approved and waiting)."""
    rid = review_id(job_id, decision["sku"], decision["platform"])
    client = get_redis()
    current = _load(client.hget(_hash(), rid))
    same = current is not None and current["target_price"] == decision["target_price"]
    if same and current["status"] in ("rejected", "approved"):
        return False
    now = time.time()
    row = {
        "id": rid, "job_id": job_id, "run_id": run_id, "status": "pending",
        "sku": decision["sku"], "platform": decision["platform"],
        "current_price": decision["current_price"], "target_price": decision["target_price"],
        "floor_price": decision["floor_price"], "lowest_competitor": decision["lowest_competitor"],
        "reasons": decision["reasons"], "advice": decision.get("advice"),
        "created_at": current["created_at"] if same and current else now, "updated_at": now,
    }  # fmt: skip
    client.hset(_hash(), rid, json.dumps(row))
    return True


def list_reviews(*, job_id: str | None = None, status: str | None = None) -> list[dict[str, Any]]:
    """Reviews, newest first, optionally of one job and/or one status."""
    rows = [json.loads(v) for v in get_redis().hvals(_hash())]
    rows = [r for r in rows if (job_id is None or r["job_id"] == job_id)
            and (status is None or r["status"] == status)]  # fmt: skip
    return sorted(rows, key=lambda r: r["updated_at"], reverse=True)


def decide_review(
    rid: str, *, approve: bool, actor: str, price: int | None = None
) -> dict[str, Any]:
    """Approve (optionally at another ``price``) or reject a pending review."""
    client = get_redis()
    row = _load(client.hget(_hash(), rid))
    if row is None:
        raise NotFound(f"no price review {rid!r}")
    if row["status"] != "pending":
        raise Conflict(f"review {rid!r} is already {row['status']}")
    row["status"] = "approved" if approve else "rejected"
    if approve and price is not None:
        row["target_price"] = int(price)
    row.update(decided_by=actor, decided_at=time.time(), updated_at=time.time())
    client.hset(_hash(), rid, json.dumps(row))
    return row


def approved_for(job_id: str) -> list[dict[str, Any]]:
    """Approved reviews of a job that a run has not applied yet."""
    return list_reviews(job_id=job_id, status="approved")


def mark_applied(rid: str, *, run_id: int) -> None:
    client = get_redis()
    row = _load(client.hget(_hash(), rid))
    if row is not None:
        row.update(status="applied", applied_by_run=run_id, updated_at=time.time())
        client.hset(_hash(), rid, json.dumps(row))
