"""/planner: prompt -> proposed job (preview), and create / run it (execute)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from backend.ai.planner import Plan, plan_parsed
from backend.api.deps import OperatorDep, SessionDep, ViewerDep
from backend.api.schemas import JobPublic, RunPublic, job_public, run_public
from backend.core.errors import ErrorItem, InvalidInput
from backend.core.redis import wake_scheduler
from backend.jobs import service
from backend.jobs.dry_run import start_dry_run
from backend.jobs.validation import ParsedSpec, parse_spec

__all__ = ["router", "PlannerRequest", "PlannerResult"]

router = APIRouter(prefix="/planner", tags=["planner"])


class PlannerRequest(BaseModel):
    """What the automation page (or curl, as in the seed) sends."""

    prompt: str = Field(min_length=1, max_length=4000, description="Indonesian or English.")
    use_ai: bool = Field(False, description="Plan with the configured LLM (offline fallback).")
    run_immediately: bool = Field(False, description="Create the job and queue a first run.")
    create: bool = Field(False, description="Create the job without running it now.")
    dry_run: bool = Field(
        False,
        description="Run the proposal once on the sandbox without saving the job (the run "
        "is returned; follow it at /runs/{id}). Not combined with create / run_immediately.",
    )
    overrides: dict[str, Any] | None = Field(
        None, description="Merged into the proposed spec (a given `schedule` replaces it)."
    )


class PlannerResult(Plan):
    """The plan, plus the job and run when it was created / run."""

    job: JobPublic | None = None
    run: RunPublic | None = None


def _without_immediate_once(parsed: ParsedSpec, now: datetime) -> ParsedSpec:
    # "sekarang" plans a one-shot at now; with run_immediately the first run *is* that
    # shot, so the job becomes on-demand instead of firing a second time.
    schedule = parsed.spec.schedule
    if schedule is None or schedule.at is None:
        return parsed
    at = schedule.at if schedule.at.tzinfo else schedule.at.replace(tzinfo=UTC)
    if at > now + timedelta(seconds=60):
        return parsed
    data = parsed.spec.public_dict()
    data.pop("schedule")
    return parse_spec(data)



@router.post("/preview", response_model=Plan)
def preview(body: PlannerRequest, who: ViewerDep) -> Plan:
    """The proposed job, its explanation, assumptions and estimate. Nothing is stored."""
    plan, _ = plan_parsed(body.prompt, use_ai=body.use_ai, overrides=body.overrides)
    return plan


@router.post("/execute", response_model=PlannerResult)
def execute(body: PlannerRequest, session: SessionDep, who: OperatorDep) -> PlannerResult:
    """Plan; with ``create`` store the job, with ``run_immediately`` also queue a run,
    with ``dry_run`` queue one throwaway run on the sandbox and store no job."""
    now = datetime.now(UTC)
    plan, parsed = plan_parsed(body.prompt, use_ai=body.use_ai, overrides=body.overrides,
                               now=now)  # fmt: skip
    result = PlannerResult(**plan.model_dump())
    if body.dry_run:
        if body.create or body.run_immediately:
            raise InvalidInput([ErrorItem("dry_run", "a dry run stores no job: leave create "
                                          "and run_immediately false")])  # fmt: skip
        dry = start_dry_run(session=session, parsed=parsed, actor=who.name)
        session.commit()
        wake_scheduler("job")
        result.run = run_public(dry)
        return result
    if not (body.create or body.run_immediately):
        return result
    if body.run_immediately:
        once = _without_immediate_once(parsed, now)
        if once is not parsed:
            parsed = once
            result.spec = parsed.spec.public_dict()
            result.estimate.next_fires = []
            result.next_fires_text = []
    job = service.create_job(session=session, parsed=parsed, actor=who.name)
    run = service.run_now(session=session, job_id=job.job_id) if body.run_immediately else None
    session.commit()
    wake_scheduler("job")
    result.job = job_public(job)
    result.run = run_public(run) if run is not None else None
    return result
