"""The crisis dashboard's data (in the database): each job's tick series (volume,
negative share, mean sentiment, status, topics), its top negative posts, current status
and auto-response counts, and its open incident.

The crisis workflow records a tick once per run (a resumed commit step records the
same tick, which changes nothing); the API reads :func:`dashboard`. Synchronous (API
threads); the workflow calls it through ``asyncio.to_thread``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from backend.core.db import get_engine, write_transaction
from backend.models import CrisisDashboard, CrisisTick
from backend.models.types import utcnow
from backend.services.crisis_incidents import list_incidents

__all__ = ["record_tick", "count_response", "dashboard"]

_TICKS = CrisisTick.__table__  # type: ignore[attr-defined]
_DASHBOARDS = CrisisDashboard.__table__  # type: ignore[attr-defined]
SERIES_KEEP = 2880  # a day of 30-second ticks
TOP_KEEP = 20


def _insert(conn: Connection) -> Any:
    return postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert


def _board(conn: Connection, job_id: str) -> Any:
    """The job's dashboard row, locked for this transaction (None before its first tick)."""
    return conn.execute(select(_DASHBOARDS).where(_DASHBOARDS.c.job_id == job_id)
                        .with_for_update()).first()  # fmt: skip


def _save_board(conn: Connection, job_id: str, **values: Any) -> None:
    stmt = _insert(conn)(_DASHBOARDS).values(job_id=job_id, updated_at=utcnow(),
                                             **{"status": "green", "top": [], "responses": {},
                                                **values})  # fmt: skip
    conn.execute(stmt.on_conflict_do_update(index_elements=["job_id"],
                                            set_={"updated_at": utcnow(), **values}))


def record_tick(*, job_id: str, at: float, tick: dict[str, Any], top: list[dict[str, Any]]
                ) -> None:  # fmt: skip
    """Add a tick to the series (the newest ``SERIES_KEEP`` are kept) and merge its
    negative posts into the top list."""
    with write_transaction(get_engine()) as conn:
        conn.execute(_insert(conn)(_TICKS).values(job_id=job_id, at=at, tick=tick)
                     .on_conflict_do_nothing())
        cut = conn.execute(select(_TICKS.c.at).where(_TICKS.c.job_id == job_id)
                           .order_by(_TICKS.c.at.desc()).offset(SERIES_KEEP).limit(1)
                           ).scalar_one_or_none()  # fmt: skip
        if cut is not None:
            conn.execute(delete(_TICKS).where(_TICKS.c.job_id == job_id, _TICKS.c.at <= cut))
        board = _board(conn, job_id)
        merged = list(board.top if board is not None else []) + top
        merged = sorted({p["id"]: p for p in merged}.values(), key=lambda p: p["rank"],
                        reverse=True)  # fmt: skip
        _save_board(conn, job_id, status=str(tick["status"])[:10], top=merged[:TOP_KEEP])


def count_response(job_id: str, kind: str, n: int = 1) -> None:
    """``n`` more auto-responses of ``kind`` sent for the job."""
    with write_transaction(get_engine()) as conn:
        board = _board(conn, job_id)
        responses = dict(board.responses if board is not None else {})
        responses[kind] = int(responses.get(kind, 0)) + n
        _save_board(conn, job_id, responses=responses)


def dashboard(job_id: str) -> dict[str, Any]:
    """Everything the crisis page shows for one job."""
    with get_engine().connect() as conn:
        series = [{"at": at, **tick} for at, tick in conn.execute(
            select(_TICKS.c.at, _TICKS.c.tick).where(_TICKS.c.job_id == job_id)
            .order_by(_TICKS.c.at))]  # fmt: skip
        board = conn.execute(select(_DASHBOARDS).where(_DASHBOARDS.c.job_id == job_id)).first()
    open_now = list_incidents(job_id=job_id, status="open")
    return {
        "job_id": job_id,
        "status": board.status if board is not None else "green",
        "series": series,
        "top_negative": list(board.top) if board is not None else [],
        "responses": {k: int(v) for k, v in (board.responses if board is not None else {}).items()},
        "open_incident": open_now[0] if open_now else None,
    }
