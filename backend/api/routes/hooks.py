"""POST /hooks/{job_id}: a signed webhook starts a run of its job (backend.jobs.hooks
says how to sign). No API token: the job's own secret is the credential.

202 with the event and the runs it queued; 200 with ``duplicate: true`` for an event id
already received; 401 for a bad signature, secret or timestamp; 404 for a job that takes
no webhooks; 422 for a body that is not a JSON object."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse

from backend.jobs import hooks
from backend.jobs.events import Intake

router = APIRouter(tags=["webhooks"])

_JOB_ID = Path(..., pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


def _answer(intake: Intake) -> dict[str, Any]:
    return {"ok": True, "event": intake.event, "duplicate": intake.duplicate,
            "runs": intake.runs}


@router.post("/hooks/{job_id}", status_code=202)
async def deliver(request: Request, job_id: str = _JOB_ID) -> JSONResponse:
    body = await request.body()
    intake = await asyncio.to_thread(hooks.receive, job_id=job_id, headers=request.headers,
                                     body=body)
    return JSONResponse(_answer(intake), status_code=200 if intake.duplicate else 202)
