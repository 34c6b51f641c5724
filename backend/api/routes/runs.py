"""/runs and /artifacts: history, detail, cancel, retry, downloads."""

from __future__ import annotations

from fastapi import APIRouter, Query, Response
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from backend.api.deps import DbId, OperatorDep, SessionDep, ViewerDep
from backend.api.schemas import (
    RUN_PUBLIC_FIELDS,
    Page,
    RunDetailPublic,
    RunPublic,
    run_detail_public,
    run_page_response,
    run_public,
)
from backend.core.db import session_scope
from backend.core.errors import NotFound
from backend.core.redis import wake_scheduler
from backend.jobs import artifacts as artifact_service
from backend.jobs import runs as run_service

router = APIRouter(tags=["runs"])

RunId = DbId
ArtifactId = DbId


@router.get("/runs", response_model=Page[RunPublic])
async def list_runs(
    who: ViewerDep,
    job_id: str | None = Query(None, max_length=128),
    status: str | None = Query(None, pattern=r"^[a-z_]+(,[a-z_]+)*$", max_length=200),
    workflow: str | None = Query(None, max_length=40),
    offset: int = Query(0, ge=0, le=10**9),
    limit: int = Query(50, ge=1, le=500),
) -> Response:
    # The busiest read: one worker thread opens, reads, ends its session and writes the
    # page (a SessionDep costs a second thread hop to end the session).
    return await run_in_threadpool(_runs_page, job_id=job_id, status=status,
                                   workflow=workflow, offset=offset, limit=limit)


def _runs_page(*, job_id: str | None, status: str | None, workflow: str | None, offset: int,
               limit: int) -> Response:
    with session_scope() as session:
        rows, total = run_service.list_run_rows(session=session, columns=RUN_PUBLIC_FIELDS,
                                                job_id=job_id, status=status,
                                                workflow=workflow, offset=offset, limit=limit)
    return run_page_response(rows=rows, total=total, offset=offset, limit=limit)


@router.get("/runs/{run_id}", response_model=RunDetailPublic)
def get_run(run_id: RunId, session: SessionDep, who: ViewerDep) -> RunDetailPublic:
    return run_detail_public(run_service.get_run_detail(session=session, run_id=run_id))


@router.post("/runs/{run_id}/cancel", response_model=RunPublic)
def cancel_run(run_id: RunId, session: SessionDep, who: OperatorDep) -> RunPublic:
    return run_public(run_service.cancel_run(session=session, run_id=run_id))


@router.post("/runs/{run_id}/retry", response_model=RunPublic)
def retry_run(run_id: RunId, session: SessionDep, who: OperatorDep) -> RunPublic:
    run = run_service.retry_run(session=session, run_id=run_id)
    session.commit()
    wake_scheduler("retry")
    return run_public(run)


@router.get("/artifacts/{artifact_id}")
def download_artifact(artifact_id: ArtifactId, session: SessionDep, who: ViewerDep) -> FileResponse:
    artifact = artifact_service.get_artifact(session=session, artifact_id=artifact_id)
    return FileResponse(artifact_service.artifact_path(artifact), media_type=artifact.content_type,
                        filename=artifact.name)  # fmt: skip


@router.get("/artifacts/{artifact_id}/inline")
def show_artifact(
    artifact_id: ArtifactId,
    session: SessionDep,
    exp: int = Query(..., ge=0, le=2**62),
    sig: str = Query(..., min_length=64, max_length=64),
) -> FileResponse:
    """The file shown in the browser (a report preview), by a link the UI signed."""
    if not artifact_service.check_preview(artifact_id=artifact_id, exp=exp, sig=sig):
        raise NotFound(f"no artifact {artifact_id}")  # expired or forged: say nothing more
    artifact = artifact_service.get_artifact(session=session, artifact_id=artifact_id)
    return FileResponse(artifact_service.artifact_path(artifact), media_type=artifact.content_type,
                        filename=artifact.name, content_disposition_type="inline")  # fmt: skip
