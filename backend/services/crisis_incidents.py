"""Crisis incidents, in the database (the dashboard's series: ``crisis_dashboard``).

An incident opens when a tick meets the crisis rule (at most one open per job: the
table's unique ``open_job`` column), collects the ticks that follow, and closes by itself
after ``calm_ticks_to_close`` calm ticks in a row, or by hand (``POST
/monitor-incidents/{id}/close``). Incidents are records people act on, so they live in
the database (Redis here keeps nothing on disk).

Synchronous (API threads); the workflow calls it through ``asyncio.to_thread``.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from backend.core.db import session_scope
from backend.core.errors import Conflict, NotFound
from backend.models import CrisisIncident
from backend.models.workflow_records import records_query

__all__ = ["open_or_update", "close_incident", "list_incidents"]


def _row(incident: CrisisIncident) -> dict[str, Any]:
    return {**incident.detail, "id": incident.id, "job_id": incident.job_id,
            "status": incident.status, "opened_at": incident.opened_at}  # fmt: skip


def _open_of(session: Any, job_id: str) -> CrisisIncident | None:
    query = select(CrisisIncident).where(CrisisIncident.open_job == job_id)
    return session.exec(query.with_for_update()).first()


def _open(job_id: str, run_id: int, figures: dict[str, Any]) -> dict[str, Any] | None:
    """Insert the job's open incident; None when another tick opened one first."""
    now = time.time()
    detail = {"opened_by_run": run_id, "peak": figures, "ticks": 1, "calm_ticks": 0,
              "closed_at": None}  # fmt: skip
    incident = CrisisIncident(id=f"{job_id}:{int(now * 1000)}", job_id=job_id, status="open",
                              open_job=job_id, opened_at=now, detail=detail)  # fmt: skip
    try:
        with session_scope() as session:
            session.add(incident)
    except IntegrityError:
        return None
    return _row(incident)


def open_or_update(
    *, job_id: str, run_id: int, figures: dict[str, Any], crisis: bool, calm_to_close: int
) -> tuple[dict[str, Any] | None, str]:
    """Apply one tick: returns (the job's incident or None, what happened: "opened",
    "ongoing", "calm", "closed" or "none")."""
    with session_scope() as session:
        current = _open_of(session, job_id)
        if current is None and not crisis:
            return None, "none"
    if current is None:
        opened = _open(job_id, run_id, figures)
        if opened is not None:
            return opened, "opened"
    with session_scope() as session:  # ours, or the one another tick opened a moment ago
        incident = _open_of(session, job_id)
        if incident is None:  # closed by hand in between: this tick changes nothing
            return None, "none"
        row = dict(incident.detail)
        row["ticks"] += 1
        if crisis:
            row["calm_ticks"] = 0
            if figures.get("mentions", 0) > row["peak"].get("mentions", 0):
                row["peak"] = figures
        else:
            row["calm_ticks"] += 1
        happened = "ongoing" if crisis else "calm"
        if row["calm_ticks"] >= calm_to_close:
            row.update(closed_at=time.time(), closed_by="monitor")
            incident.status, incident.open_job = "closed", None
            happened = "closed"
        incident.detail = row
        return _row(incident), happened


def close_incident(incident_id: str, *, actor: str) -> dict[str, Any]:
    with session_scope() as session:
        incident = session.get(CrisisIncident, incident_id, with_for_update=True)
        if incident is None:
            raise NotFound(f"no incident {incident_id!r}")
        if incident.status == "closed":
            raise Conflict(f"incident {incident_id!r} is already closed",
                           key="error.incident_closed")
        incident.status, incident.open_job = "closed", None
        incident.detail = {**incident.detail, "closed_at": time.time(), "closed_by": actor}
        return _row(incident)


def list_incidents(*, job_id: str | None = None, status: str | None = None) -> list[dict[str, Any]]:
    query = records_query(CrisisIncident, job_id=job_id, status=status,
                          newest=CrisisIncident.opened_at)  # fmt: skip
    with session_scope() as session:
        return [_row(i) for i in session.exec(query)]
