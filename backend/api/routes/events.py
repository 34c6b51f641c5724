"""GET /events: what arrived (newest first; ``kind``, ``job_id``), each with how many
runs it started.

POST /events: an event from any system that holds an operator token (a stock system
saying a SKU runs low, a competitor-price feed, a social listening tool). It starts the
jobs whose trigger it matches, exactly as a marketplace push would; the same source and
id again starts nothing (200, ``duplicate: true``)."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from backend.api.deps import OperatorDep, SessionDep, ViewerDep
from backend.core.errors import ErrorItem, InvalidInput
from backend.domain.triggers import EventKind
from backend.jobs.events import ingest_event, list_events

router = APIRouter(tags=["events"])


class EventIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: EventKind = Field(..., description="order.paid, stock.low, ...")
    id: str = Field(..., min_length=1, max_length=200, pattern=r"^[\x21-\x7e]+$",
                    description="The sender's id of the event: once per source.")
    source: str = Field("api", min_length=1, max_length=100, pattern=r"^[\x21-\x7e]+$",
                        description="Who sends it (e.g. 'gudang', 'shopee:toko-a').")
    occurred_at: datetime | None = None
    data: dict[str, Any] = Field(default_factory=dict)


@router.post("/events", status_code=202)
async def post_event(event: EventIn, who: OperatorDep) -> JSONResponse:
    if event.kind == "webhook":  # a webhook event belongs to one job: POST /hooks/{job_id}
        raise InvalidInput([ErrorItem("kind", "webhook events go to POST /hooks/{job_id}")])
    intake = await asyncio.to_thread(
        ingest_event, source=f"api:{event.source}", event_id=event.id, kind=event.kind,
        data=event.data, occurred_at=event.occurred_at)  # fmt: skip
    body = {"ok": True, "event": intake.event, "duplicate": intake.duplicate,
            "runs": intake.runs, "jobs": intake.jobs}
    return JSONResponse(body, status_code=200 if intake.duplicate else 202)


@router.get("/events")
def get_events(
    session: SessionDep,
    who: ViewerDep,
    kind: EventKind | None = None,
    job_id: str | None = Query(None, max_length=128),
    offset: int = Query(0, ge=0, le=10**9),
    limit: int = Query(50, ge=1, le=500),
) -> dict[str, Any]:
    rows, total = list_events(session=session, kind=kind, job_id=job_id, offset=offset,
                              limit=limit)
    items = [{"id": e.id, "source": e.source, "event_id": e.event_id, "kind": e.kind,
              "job_id": e.job_id, "data": e.data, "runs_started": e.runs_started,
              "occurred_at": e.occurred_at.isoformat() if e.occurred_at else None,
              "received_at": e.received_at.isoformat()} for e in rows]
    return {"items": items, "total": total, "offset": offset, "limit": limit}
