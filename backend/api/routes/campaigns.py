"""Operator controls of running workflows: campaigns (pause, resume, cancel, live
stats), the repricing review queue (approve, reject) and crisis incidents.

    POST /campaign-runs/{run_id}/pause | resume | cancel      (operator)
    GET  /campaign-runs/{run_id}/stats                          (viewer)
    GET  /price-reviews?job_id=&status=&platform=&sku=&direction=&offset=&limit=  (viewer)
    POST /price-reviews/{review_id}/approve {"price"?} | reject (operator)
    POST /price-reviews/approve-all {"job_id"?}                 (operator)
    POST /price-reviews/bulk {"ids": [...], "decision"}         (operator)
    GET  /price-owners?job_id=&status=                          (viewer)
    GET  /monitor-incidents?job_id=&status=                     (viewer)
    POST /monitor-incidents/{incident_id}/close                 (operator)
    GET  /monitor-dashboard/{job_id}                            (viewer)

(``/campaigns`` and ``/crisis`` are UI pages, hence these names.)
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Path, Query
from pydantic import Field

from backend.api.deps import DbId, OperatorDep, ViewerDep
from backend.services import (
    campaign_state,
    crisis_dashboard,
    crisis_incidents,
    price_owners,
    price_reviews,
)

router = APIRouter(tags=["workflows"])

RunId = DbId


@router.post("/campaign-runs/{run_id}/{action}")
async def control_campaign(
    run_id: RunId, action: Literal["pause", "resume", "cancel"], who: OperatorDep
) -> dict[str, Any]:
    """Pause (senders stop taking messages), resume, or cancel (the run ends cancelled)."""
    return await asyncio.to_thread(campaign_state.control, run_id, action)


@router.get("/campaign-runs/{run_id}/stats")
async def campaign_stats(run_id: RunId, who: ViewerDep) -> dict[str, Any]:
    """Live counters of the campaign the run sends."""
    return await asyncio.to_thread(campaign_state.stats, run_id)


@router.get("/price-reviews")
async def list_price_reviews(
    who: ViewerDep,
    job_id: str | None = Query(None, max_length=128),
    status: Literal["pending", "approved", "rejected", "applied"] | None = None,
    platform: str | None = Query(None, max_length=40),
    account: str | None = Query(None, max_length=100),
    sku: str | None = Query(None, max_length=200),
    direction: Literal["lower", "raise"] | None = None,
    offset: int = Query(0, ge=0),
    limit: int | None = Query(None, ge=1, le=500),
) -> dict[str, Any]:
    """Reviews, newest first; ``total`` counts all that match the filters (``account``:
    one shop, e.g. toko-b), ``items`` is the page (every match when ``limit`` is absent)."""
    page = await asyncio.to_thread(
        price_reviews.page_reviews, job_id=job_id, status=status, platform=platform, sku=sku,
        direction=direction, offset=offset, limit=limit or 1_000_000,
        account=account)  # fmt: skip
    return {"items": page.items, "total": page.total, "platforms": page.platforms}


@router.post("/price-reviews/bulk")
async def decide_price_reviews(
    who: OperatorDep,
    ids: Annotated[list[Annotated[str, Field(max_length=300)]],
                   Body(min_length=1, max_length=1000)],
    decision: Annotated[Literal["approve", "reject"], Body()],
) -> dict[str, Any]:
    """Approve or reject the pending reviews among ``ids`` at their proposed prices; those
    decided meanwhile are listed under ``skipped``."""
    return await asyncio.to_thread(price_reviews.decide_many, ids,
                                   approve=decision == "approve", actor=who.name)  # fmt: skip


@router.post("/price-reviews/{review_id}/{decision}")
async def decide_price_review(
    review_id: Annotated[str, Path(max_length=300)],
    decision: Literal["approve", "reject"],
    who: OperatorDep,
    price: Annotated[int | None, Body(embed=True, ge=1)] = None,
) -> dict[str, Any]:
    """Approve (the job's next run applies the price once) or reject a flagged price."""
    return await asyncio.to_thread(price_reviews.decide_review, review_id,
                                   approve=decision == "approve", actor=who.name, price=price)


@router.post("/price-reviews/approve-all")
async def approve_all_price_reviews(
    who: OperatorDep,
    job_id: Annotated[str | None, Body(embed=True, max_length=128)] = None,
) -> dict[str, Any]:
    """Approve every pending review (of one job, or all): a repricing rule's preview in
    one action. Each job's next run applies them, once."""
    items = await asyncio.to_thread(price_reviews.approve_all, job_id=job_id, actor=who.name)
    return {"approved": len(items), "items": items}


@router.get("/price-owners")
async def list_price_owners(
    who: ViewerDep,
    job_id: str | None = Query(None, max_length=128),
    status: Literal["active", "released"] | None = None,
) -> dict[str, Any]:
    """Which repricing decision each listing's price stands on (and those that ended)."""
    items = await asyncio.to_thread(price_owners.list_owners, job_id=job_id, status=status)
    return {"items": items, "total": len(items)}


@router.get("/monitor-incidents")
async def incidents(
    who: ViewerDep,
    job_id: str | None = Query(None, max_length=128),
    status: Literal["open", "closed"] | None = None,
) -> dict[str, Any]:
    items = await asyncio.to_thread(crisis_incidents.list_incidents, job_id=job_id, status=status)
    return {"items": items, "total": len(items)}


@router.post("/monitor-incidents/{incident_id}/close")
async def close_incident(
    incident_id: Annotated[str, Path(max_length=300)], who: OperatorDep
) -> dict[str, Any]:
    return await asyncio.to_thread(crisis_incidents.close_incident, incident_id, actor=who.name)


@router.get("/monitor-dashboard/{job_id}")
async def monitor_dashboard(
    job_id: Annotated[str, Path(max_length=128)], who: ViewerDep
) -> dict[str, Any]:
    """Sentiment over time, mention volume, status, top negative posts, responses."""
    return await asyncio.to_thread(crisis_dashboard.dashboard, job_id)
