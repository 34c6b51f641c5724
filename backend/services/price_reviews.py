"""The review queue of repricing: prices the rules would not let a run change alone.

A run flags a product on a marketplace when the strategy's target breaks a rule (under
the margin/discount floor, cost unknown). A person approves (the next run applies the
reviewed price, once) or rejects it (the same proposal is not raised again; a new target
opens a new review). Kept in the database (``price_reviews``): an undecided review must
survive a restart, which Redis here does not promise. Read by the API and the UI.

Synchronous on purpose: the API calls it from request threads; workflows wrap it in
``asyncio.to_thread``.
"""

from __future__ import annotations

import time
from typing import Any, Literal

from backend.core.db import session_scope
from backend.core.errors import Conflict, NotFound
from backend.models import PriceReview
from backend.models.workflow_records import records_query

__all__ = ["flag", "flag_many", "list_reviews", "decide_review", "approved_for", "mark_applied",
           "review_id", "record_run", "approve_all"]  # fmt: skip

Status = Literal["pending", "approved", "rejected", "applied"]


def review_id(job_id: str, sku: str, platform: str) -> str:
    return f"{job_id}:{sku}:{platform}"


def _row(review: PriceReview) -> dict[str, Any]:
    return {**review.detail, "id": review.id, "job_id": review.job_id, "status": review.status,
            "created_at": review.created_at, "updated_at": review.updated_at}  # fmt: skip


def _update(review: PriceReview, **changes: Any) -> None:
    """Set ``status`` on its column and the rest in ``detail`` (a new dict: SQLAlchemy
    notices a replaced JSON value, not one changed in place)."""
    review.status = changes.pop("status", review.status)
    review.updated_at = time.time()
    review.detail = {**review.detail, **changes}


def flag(*, job_id: str, run_id: int, decision: dict[str, Any]) -> bool:
    """Open (or refresh) the review of a flagged decision; False when this very proposal
    was already decided (rejected, or approved and waiting)."""
    return flag_many(job_id=job_id, run_id=run_id, decisions=[decision]) == 1


def flag_many(*, job_id: str, run_id: int, decisions: list[dict[str, Any]]) -> int:
    """:func:`flag` for a run's flagged decisions in one transaction (one write per run,
    not one per product: a database commit costs far more than a Redis write did)."""
    opened = 0
    with session_scope() as session:
        for decision in decisions:
            opened += _flag_in(session, job_id=job_id, run_id=run_id, decision=decision)
    return opened


def record_run(*, job_id: str, run_id: int, flagged: list[dict[str, Any]],
               applied: dict[tuple[str, str], int]) -> int:
    """A run's part of the queue in one transaction: its flagged decisions opened (or
    refreshed), and every open review of a listing whose price it set settled as
    ``applied`` at that price (an approved review, or a proposal overtaken by a later
    run's own change). Returns how many reviews were opened."""
    opened = 0
    with session_scope() as session:
        for decision in flagged:
            opened += _flag_in(session, job_id=job_id, run_id=run_id, decision=decision)
        for (sku, platform), price in applied.items():
            review = session.get(PriceReview, review_id(job_id, sku, platform))
            if review is not None and review.status in ("pending", "approved"):
                _update(review, status="applied", applied_by_run=run_id, applied_price=price)
    return opened


def approve_all(*, job_id: str | None, actor: str) -> list[dict[str, Any]]:
    """Approve every pending review (of one job, or of all): the next run of each job
    applies them, once. Returns the reviews approved."""
    query = records_query(PriceReview, job_id=job_id, status="pending",
                          newest=PriceReview.updated_at)  # fmt: skip
    now = time.time()
    with session_scope() as session:
        rows = list(session.exec(query.with_for_update()))
        for review in rows:
            _update(review, status="approved", decided_by=actor, decided_at=now)
        return [_row(r) for r in rows]


def _flag_in(session: Any, *, job_id: str, run_id: int, decision: dict[str, Any]) -> bool:
    rid = review_id(job_id, decision["sku"], decision["platform"])
    current = session.get(PriceReview, rid)
    same = current is not None and current.detail["target_price"] == decision["target_price"]
    if same and current is not None and current.status in ("rejected", "approved"):
        return False
    now = time.time()
    detail = {
        "run_id": run_id, "sku": decision["sku"], "platform": decision["platform"],
        "current_price": decision["current_price"], "target_price": decision["target_price"],
        "floor_price": decision["floor_price"], "lowest_competitor": decision["lowest_competitor"],
        "reasons": decision["reasons"], "advice": decision.get("advice"),
        # Why it waits: the rule's floor/cost ("rule"), the rule's first run ("preview"),
        # or this run's limit of changes ("guard").
        "held": decision.get("held") or "rule",
    }  # fmt: skip
    created = current.created_at if same and current is not None else now
    if current is None:
        session.add(PriceReview(id=rid, job_id=job_id, status="pending", created_at=created,
                                updated_at=now, detail=detail))  # fmt: skip
    else:
        current.status, current.created_at = "pending", created
        current.updated_at, current.detail = now, detail
    return True


def list_reviews(*, job_id: str | None = None, status: str | None = None) -> list[dict[str, Any]]:
    """Reviews, newest first, optionally of one job and/or one status."""
    query = records_query(PriceReview, job_id=job_id, status=status,
                          newest=PriceReview.updated_at)  # fmt: skip
    with session_scope() as session:
        return [_row(r) for r in session.exec(query)]


def decide_review(
    rid: str, *, approve: bool, actor: str, price: int | None = None
) -> dict[str, Any]:
    """Approve (optionally at another ``price``) or reject a pending review."""
    with session_scope() as session:
        review = session.get(PriceReview, rid, with_for_update=True)
        if review is None:
            raise NotFound(f"no price review {rid!r}")
        if review.status != "pending":
            raise Conflict(f"review {rid!r} is already {review.status}")
        changes: dict[str, Any] = {"status": "approved" if approve else "rejected",
                                   "decided_by": actor, "decided_at": time.time()}  # fmt: skip
        if approve and price is not None:
            changes["target_price"] = int(price)
        _update(review, **changes)
        return _row(review)


def approved_for(job_id: str) -> list[dict[str, Any]]:
    """Approved reviews of a job that a run has not applied yet."""
    return list_reviews(job_id=job_id, status="approved")


def mark_applied(rid: str, *, run_id: int) -> None:
    with session_scope() as session:
        review = session.get(PriceReview, rid)
        if review is not None:
            _update(review, status="applied", applied_by_run=run_id)
