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
from dataclasses import dataclass
from typing import Any, Literal

from backend.core.db import session_scope
from backend.core.errors import Conflict, NotFound
from backend.domain.shops import DEFAULT_ACCOUNT, split_store, store_key
from backend.models import PriceReview
from backend.models.workflow_records import records_query

__all__ = ["flag", "flag_many", "list_reviews", "decide_review", "approved_for", "mark_applied",
           "review_id", "record_run", "approve_all", "page_reviews", "decide_many",
           "ReviewPage", "DIRECTIONS"]  # fmt: skip

DIRECTIONS = ("lower", "raise")

Status = Literal["pending", "approved", "rejected", "applied"]


def review_id(job_id: str, sku: str, platform: str, account: str = DEFAULT_ACCOUNT) -> str:
    """``job:sku:shopee`` (the default shop), ``job:sku:shopee@toko-b`` (another)."""
    return f"{job_id}:{sku}:{store_key(platform, account)}"


def _row(review: PriceReview) -> dict[str, Any]:
    return {**review.detail, "id": review.id, "job_id": review.job_id, "status": review.status,
            "account": review.account, "created_at": review.created_at,
            "updated_at": review.updated_at}  # fmt: skip


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
    run's own change). ``applied`` is by (sku, store key). Returns how many reviews
    were opened."""
    opened = 0
    with session_scope() as session:
        for decision in flagged:
            opened += _flag_in(session, job_id=job_id, run_id=run_id, decision=decision)
        for (sku, store), price in applied.items():
            review = session.get(PriceReview, review_id(job_id, sku, *split_store(store)))
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
    account = str(decision.get("account") or DEFAULT_ACCOUNT)
    rid = review_id(job_id, decision["sku"], decision["platform"], account)
    current = session.get(PriceReview, rid)
    same = current is not None and current.detail["target_price"] == decision["target_price"]
    if same and current is not None and current.status in ("rejected", "approved"):
        return False
    now = time.time()
    detail = {
        "run_id": run_id, "sku": decision["sku"], "platform": decision["platform"],
        "account": account,
        "current_price": decision["current_price"], "target_price": decision["target_price"],
        "floor_price": decision["floor_price"], "lowest_competitor": decision["lowest_competitor"],
        "reasons": decision["reasons"], "advice": decision.get("advice"),
        # The rules' own figures, so the review reads as one consistent sentence.
        **{k: decision.get(k) for k in ("base_price", "strategy_price", "floor_rule",
                                        "floor_percent")},
        # Why it waits: the rule's floor/cost ("rule"), the rule's first run ("preview"),
        # or this run's limit of changes ("guard").
        "held": decision.get("held") or "rule",
    }  # fmt: skip
    created = current.created_at if same and current is not None else now
    if current is None:
        session.add(PriceReview(id=rid, job_id=job_id, account=account, status="pending",
                                created_at=created, updated_at=now, detail=detail))  # fmt: skip
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


@dataclass(frozen=True, slots=True)
class ReviewPage:
    """One page of reviews, the count of all that match, and the marketplaces present."""

    items: list[dict[str, Any]]
    total: int
    platforms: list[str]


def _matches(row: dict[str, Any], *, platform: str | None, sku: str | None,
             direction: str | None, account: str | None = None) -> bool:  # fmt: skip
    if platform and row.get("platform") != platform:
        return False
    if account and row.get("account") != account:
        return False
    if sku and sku.strip().lower() not in str(row.get("sku", "")).lower():
        return False
    if direction in DIRECTIONS:
        current, target = row.get("current_price") or 0, row.get("target_price") or 0
        return target < current if direction == "lower" else target > current
    return True


def page_reviews(*, status: str | None = None, job_id: str | None = None,
                 platform: str | None = None, sku: str | None = None,
                 direction: str | None = None, offset: int = 0, limit: int = 25,
                 account: str | None = None) -> ReviewPage:
    """Reviews of a status, filtered by marketplace, shop (``account``), product (part of
    the SKU) and direction (``lower``/``raise``), newest first, ``limit`` from ``offset``.

    Filtered here rather than in SQL: the figures live in the JSON ``detail``, and the
    queue is bounded (one row per job, product and marketplace)."""
    rows = list_reviews(job_id=job_id, status=status)
    platforms = sorted({str(r.get("platform", "")) for r in rows})
    found = [r for r in rows if _matches(r, platform=platform, sku=sku, direction=direction,
                                         account=account)]
    limit = max(1, limit)
    last_page = (len(found) - 1) // limit * limit if found else 0  # past the end: the last page
    start = max(0, min(offset, last_page))
    return ReviewPage(items=found[start:start + limit], total=len(found),
                      platforms=platforms)  # fmt: skip


def decide_many(ids: list[str], *, approve: bool, actor: str) -> dict[str, Any]:
    """Approve or reject the pending reviews among ``ids`` in one transaction; those
    decided meanwhile (or gone) are skipped and named."""
    now = time.time()
    decided: list[str] = []
    skipped: list[str] = []
    with session_scope() as session:
        for rid in dict.fromkeys(ids):
            review = session.get(PriceReview, rid, with_for_update=True)
            if review is None or review.status != "pending":
                skipped.append(rid)
                continue
            _update(review, status="approved" if approve else "rejected", decided_by=actor,
                    decided_at=now)  # fmt: skip
            decided.append(rid)
    return {"decided": decided, "skipped": skipped}


def decide_review(
    rid: str, *, approve: bool, actor: str, price: int | None = None
) -> dict[str, Any]:
    """Approve (optionally at another ``price``) or reject a pending review."""
    with session_scope() as session:
        review = session.get(PriceReview, rid, with_for_update=True)
        if review is None:
            raise NotFound(f"no price review {rid!r}")
        if review.status != "pending":
            raise Conflict(f"review {rid!r} is already {review.status}",
                           key="error.review_decided", params={"status": review.status})
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
