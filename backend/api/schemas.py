"""Response shapes of the REST API (what clients may rely on)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, TypeVar

from fastapi import Response
from pydantic import BaseModel, TypeAdapter

from backend.core.messages import render_message
from backend.jobs.runs import RunDetail
from backend.models import Artifact, Job, Run, RunAttempt, RunLog, RunStep

__all__ = [
    "Page",
    "JobPublic",
    "RunPublic",
    "RunDetailPublic",
    "job_public",
    "run_public",
    "run_detail_public",
    "RUN_PUBLIC_FIELDS",
    "run_page_response",
]

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    offset: int
    limit: int


class JobPublic(BaseModel):
    job_id: str
    type: str
    workflow: str
    workflow_inferred: bool
    spec: dict[str, Any]
    version: int
    enabled: bool
    paused: bool
    priority: str
    flow_group: str | None
    next_run_at: datetime | None
    last_run_at: datetime | None
    consecutive_failures: int
    created_at: datetime
    updated_at: datetime
    # Only in the answer that gave a webhook-triggered job its secret: the one time the
    # secret is shown ({"url", "secret", "secret_mode"}).
    webhook: dict[str, str] | None = None


class RunPublic(BaseModel):
    id: int
    job_id: str
    workflow: str
    status: str
    trigger: str
    event_id: int | None = None  # the event (trigger "event") that started it
    scheduled_for: datetime
    priority: str
    flow_group: str | None
    attempt: int
    max_attempts: int
    progress: float
    progress_message: str | None
    not_before: datetime | None
    dispatched_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    error: str | None
    skip_reason: str | None
    # "nothing_done": succeeded without doing any of its work (reason: key, params,
    # expected, text); null: it did its work, or it did not succeed.
    outcome: str | None = None
    outcome_reason: dict[str, Any] | None = None
    result: dict[str, Any] | None
    created_at: datetime


class RunDetailPublic(BaseModel):
    run: RunPublic
    attempts: list[dict[str, Any]]
    steps: list[dict[str, Any]]
    logs: list[dict[str, Any]]
    artifacts: list[dict[str, Any]]
    # the event that started the run, as its workflow read it (inputs.event)
    event: dict[str, Any] | None = None


def job_public(job: Job) -> JobPublic:
    return JobPublic.model_validate(job, from_attributes=True)


def run_public(run: Run) -> RunPublic:
    out = RunPublic.model_validate(run, from_attributes=True)
    # Runs keep their texts as message keys (the UI renders them per reader); the API
    # answers in English.
    out.progress_message = render_message(run.progress_message, "en") or None
    return out


def _row(obj: RunAttempt | RunStep | RunLog | Artifact, *, drop: tuple[str, ...] = ()) -> dict:
    return {k: v for k, v in obj.model_dump(mode="json").items() if k not in drop}


def run_detail_public(detail: RunDetail) -> RunDetailPublic:
    return RunDetailPublic(
        run=run_public(detail.run),
        attempts=[_row(a) for a in detail.attempts],
        steps=[_row(s) for s in detail.steps],
        logs=[{**_row(entry, drop=("run_id",)), "message": render_message(entry.message, "en")}
              for entry in detail.logs],
        artifacts=[
            {**_row(a, drop=("path",)), "download_url": f"/artifacts/{a.id}"}
            for a in detail.artifacts
        ],
        event=detail.event,
    )


RUN_PUBLIC_FIELDS: tuple[str, ...] = tuple(RunPublic.model_fields)
_RUN_PAGE = TypeAdapter(Page[RunPublic])


def run_page_response(*, rows: list[dict[str, Any]], total: int, offset: int,
                      limit: int) -> Response:
    """A page of runs as JSON, checked and written by pydantic in one pass (in the
    endpoint's thread: FastAPI would otherwise validate the page again on a thread of
    its own, then serialise it)."""
    page = _RUN_PAGE.validate_python({"items": rows, "total": total, "offset": offset,
                                      "limit": limit})
    return Response(_RUN_PAGE.dump_json(page), media_type="application/json")
