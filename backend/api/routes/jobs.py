"""/jobs: create, read, replace, patch, delete, run now, pause/resume, versions."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from backend.api.deps import AdminDep, OperatorDep, SessionDep, ViewerDep
from backend.api.schemas import JobPublic, Page, RunPublic, job_public, run_public
from backend.core.config import get_settings
from backend.core.db import session_scope
from backend.core.errors import ErrorItem, InvalidInput
from backend.core.redis import wake_scheduler
from backend.domain.schedule import next_fire_times
from backend.domain.spec import JobSpec, Priority
from backend.domain.triggers import EVENT_KINDS
from backend.jobs import hooks, service
from backend.jobs.validation import parse_spec
from backend.models import Job
from backend.models.types import utcnow

router = APIRouter(prefix="/jobs", tags=["jobs"])

TRIGGER_FILTER = "^(" + "|".join(k.replace(".", r"\.")
                                 for k in ("schedule", "event", *EVENT_KINDS)) + ")$"
_SPEC_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/JobSpec"}}},
    }
}


class JobCreated(BaseModel):
    job: JobPublic
    workflow_inferred: bool
    inference_reason: str
    next_fires: list[str]
    # a webhook-triggered job's secret, shown this once ({"url", "secret", "secret_mode"})
    webhook: dict[str, str] | None = None


class Validation(BaseModel):
    valid: bool
    errors: list[dict[str, Any]]
    workflow: str | None = None
    inference_reason: str | None = None
    next_fires: list[str] = []


class Revert(BaseModel):
    version: int = Field(ge=1, le=10**9)


async def _json_body(request: Request) -> Any:
    raw = await request.body()
    if not raw.strip():
        raise InvalidInput([ErrorItem("body", "a JSON body is required")])
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise InvalidInput([ErrorItem("body", f"malformed JSON: {exc}")]) from None


# The body is read on the event loop (after the caller's role is checked: no token is a
# 401 whatever the body); the routes that take it are plain functions, so
# their database work runs in a worker thread instead of stopping every other request
# for its round trips and commit.
JsonBody = Annotated[Any, Depends(_json_body)]


def _fires(spec: JobSpec, count: int = 3) -> list[str]:
    if spec.schedule is None:
        return []
    return [t.isoformat() for t in next_fire_times(spec.schedule, after=utcnow(), count=count)]



def _hook_secret(session: Session, job: Job) -> dict[str, str] | None:
    """Give a job that became webhook-triggered its secret (before the commit); the
    answer is the only place it is ever shown."""
    shown = hooks.issue_secret(job=job)
    if shown is None:
        return None
    session.add(job)
    return _shown(shown)


def _shown(shown: hooks.HookSecret) -> dict[str, str]:
    return {"url": get_settings().public_url.rstrip("/") + shown.url_path,
            "secret": shown.secret, "secret_mode": shown.secret_mode}


def _public(job: Job, webhook: dict[str, str] | None) -> JobPublic:
    public = job_public(job)
    return public.model_copy(update={"webhook": webhook}) if webhook else public


@router.post("", status_code=201, response_model=JobCreated, openapi_extra=_SPEC_BODY)
async def create_job(who: OperatorDep, body: JsonBody) -> Response:
    # One worker thread parses, stores, commits and writes the answer: a SessionDep
    # costs a second thread hop to end the session, and a returned model a third for
    # FastAPI to check it again.
    return await run_in_threadpool(_create_job, body=body, actor=who.name)


def _create_job(*, body: Any, actor: str) -> Response:
    parsed = parse_spec(body)
    with session_scope() as session:
        job = service.create_job(session=session, parsed=parsed, actor=actor)
        webhook = _hook_secret(session, job)
        session.commit()
    wake_scheduler("job")
    created = JobCreated(job=job_public(job), workflow_inferred=parsed.workflow_inferred,
                         inference_reason=parsed.inference_reason,
                         next_fires=_fires(parsed.spec), webhook=webhook)
    return Response(created.model_dump_json(), status_code=201, media_type="application/json")


@router.post("/validate", response_model=Validation, openapi_extra=_SPEC_BODY)
async def validate_job(who: ViewerDep, body: JsonBody) -> Validation:
    """Check a spec without saving it (the job editor calls this as you type)."""
    try:
        parsed = parse_spec(body)
    except InvalidInput as exc:
        return Validation(valid=False, errors=[e.as_dict() for e in exc.errors])
    return Validation(valid=True, errors=[], workflow=parsed.spec.workflow,
                      inference_reason=parsed.inference_reason,
                      next_fires=_fires(parsed.spec, 5))


@router.get("", response_model=Page[JobPublic])
def list_jobs(
    session: SessionDep,
    who: ViewerDep,
    search: str | None = Query(None, max_length=200),
    workflow: str | None = Query(None, max_length=40),
    status: str | None = Query(None, pattern="^(active|paused|disabled)$"),
    flow_group: str | None = Query(None, max_length=100),
    priority: Priority | None = None,
    trigger: str | None = Query(None, pattern=TRIGGER_FILTER, description=(
        "schedule (no event trigger), event (any), or one event: order.paid, stock.low, ...")),
    offset: int = Query(0, ge=0, le=10**9),
    limit: int = Query(50, ge=1, le=500),
) -> Page[JobPublic]:
    rows, total = service.list_jobs(session=session, search=search, workflow=workflow,
                                    status=status, flow_group=flow_group, priority=priority,
                                    trigger=trigger, offset=offset, limit=limit)
    return Page(items=[job_public(j) for j in rows], total=total, offset=offset, limit=limit)


@router.get("/{job_id}", response_model=JobPublic)
def get_job(job_id: str, session: SessionDep, who: ViewerDep) -> JobPublic:
    return job_public(service.get_job(session=session, job_id=job_id))


@router.put("/{job_id}", response_model=JobPublic, openapi_extra=_SPEC_BODY)
def replace_job(job_id: str, who: AdminDep, body: JsonBody, session: SessionDep) -> JobPublic:
    if isinstance(body, dict):
        body.setdefault("job_id", job_id)
    job = service.update_job(session=session, job_id=job_id, parsed=parse_spec(body),
                             actor=who.name)
    webhook = _hook_secret(session, job)
    session.commit()
    wake_scheduler("job")
    return _public(job, webhook)


@router.patch("/{job_id}", response_model=JobPublic)
def patch_job(job_id: str, who: AdminDep, body: JsonBody, session: SessionDep) -> JobPublic:
    if not isinstance(body, dict):
        raise InvalidInput([ErrorItem("body", "a merge patch must be a JSON object")])
    job = service.patch_job(session=session, job_id=job_id, changes=body, actor=who.name)
    webhook = _hook_secret(session, job)
    session.commit()
    wake_scheduler("job")
    return _public(job, webhook)


@router.delete("/{job_id}", status_code=204)
def delete_job(job_id: str, session: SessionDep, who: AdminDep) -> Response:
    service.delete_job(session=session, job_id=job_id)
    return Response(status_code=204)


@router.post("/{job_id}/run", status_code=202, response_model=RunPublic)
def run_job_now(job_id: str, session: SessionDep, who: OperatorDep) -> RunPublic:
    run = service.run_now(session=session, job_id=job_id)
    session.commit()
    wake_scheduler("job")
    return run_public(run)


@router.post("/{job_id}/pause", response_model=JobPublic)
def pause_job(job_id: str, session: SessionDep, who: OperatorDep) -> JobPublic:
    return job_public(service.set_paused(session=session, job_id=job_id, paused=True))


@router.post("/{job_id}/resume", response_model=JobPublic)
def resume_job(job_id: str, session: SessionDep, who: OperatorDep) -> JobPublic:
    job = service.set_paused(session=session, job_id=job_id, paused=False)
    session.commit()
    wake_scheduler("job")
    return job_public(job)


@router.get("/{job_id}/versions")
def job_versions(job_id: str, session: SessionDep, who: ViewerDep) -> list[dict[str, Any]]:
    return [v.model_dump(mode="json") for v in service.job_versions(session=session,
                                                                    job_id=job_id)]


@router.post("/{job_id}/revert", response_model=JobPublic)
def revert_job(job_id: str, body: Revert, session: SessionDep, who: AdminDep) -> JobPublic:
    job = service.revert_job(session=session, job_id=job_id, version=body.version,
                             actor=who.name)
    return _public(job, _hook_secret(session, job))


@router.post("/{job_id}/hook-secret")
def rotate_hook_secret(job_id: str, session: SessionDep, who: AdminDep) -> dict[str, str]:
    """A new secret for a webhook-triggered job, shown this once; the old one stops
    working at once."""
    shown = hooks.rotate_secret(session=session, job_id=job_id)
    session.commit()
    return _shown(shown)


@router.get("/{job_id}/next-fires")
def next_fires(job_id: str, session: SessionDep, who: ViewerDep,
               count: int = Query(5, ge=1, le=50)) -> list[str]:
    job = service.get_job(session=session, job_id=job_id)
    return _fires(service.spec_of(job), count)
