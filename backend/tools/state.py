"""The state tool: what a job remembers between runs, kept in the database.

``kv`` is Redis: fast, shared, and on these installs gone after a restart (no RDB, no
AOF). Use it for caches and figures that rebuild themselves. Use ``state`` for what
changes the next run when lost: a sync's watermark, a report's day-by-day history, a
feed's cursors; and for what one step of a run hands the next (``run:<run id>:...``,
dropped by a later run with :meth:`StateTool.drop_older`): a Redis flushed between
two steps would make the second act on nothing. Values are JSON; each ``set`` is one
upsert of one row (``job_state``: job id + name), so a run's few state writes cost a few
milliseconds.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select

from backend.core.db import get_engine, session_scope, write_transaction
from backend.models.job_state import JobState
from backend.models.types import utcnow

__all__ = ["StateTool"]


class StateTool:
    """Durable, JSON-valued state of one job (the database, not Redis)."""

    def __init__(self, *, job_id: str) -> None:
        if not job_id:
            raise ValueError("state needs a job_id to own its rows")
        self.job_id = job_id

    async def get(self, name: str, default: Any = None) -> Any:
        return await asyncio.to_thread(self._get, name, default)

    async def set(self, name: str, value: Any) -> None:
        """Store ``value`` under ``name`` (replacing what was there)."""
        await asyncio.to_thread(self._set, name, value)

    async def delete(self, name: str) -> bool:
        return await asyncio.to_thread(self._delete, name)

    async def items(self, prefix: str = "") -> dict[str, Any]:
        """Every ``name: value`` whose name starts with ``prefix``, in name order."""
        return await asyncio.to_thread(self._items, prefix)

    async def drop_older(self, prefix: str, *, than_sec: float) -> int:
        """Delete the names starting with ``prefix`` last written more than ``than_sec``
        ago (a run's working data, once no attempt of that run can still read it)."""
        return await asyncio.to_thread(self._drop_older, prefix, than_sec)

    # --- the blocking halves (run in a thread) ---------------------------------------
    def _get(self, name: str, default: Any) -> Any:
        with session_scope() as session:
            row = session.get(JobState, (self.job_id, name))
            return default if row is None else row.value

    def _set(self, name: str, value: Any) -> None:
        engine = get_engine()
        table = JobState.__table__  # type: ignore[attr-defined]
        dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
        row = {"job_id": self.job_id, "name": name, "value": value, "updated_at": utcnow()}
        # One statement, so two runs writing the same name never trip over each other.
        stmt = dialect.insert(table).values(**row)
        stmt = stmt.on_conflict_do_update(
            index_elements=["job_id", "name"],
            set_={"value": stmt.excluded.value, "updated_at": stmt.excluded.updated_at},
        )
        with write_transaction(engine) as conn:
            conn.execute(stmt)

    def _delete(self, name: str) -> bool:
        with session_scope() as session:
            row = session.get(JobState, (self.job_id, name))
            if row is None:
                return False
            session.delete(row)
            return True

    def _drop_older(self, prefix: str, than_sec: float) -> int:
        table = JobState.__table__  # type: ignore[attr-defined]
        with write_transaction(get_engine()) as conn:
            return int(conn.execute(delete(table).where(
                table.c.job_id == self.job_id,
                table.c.name.startswith(prefix, autoescape=True),
                table.c.updated_at < utcnow() - timedelta(seconds=than_sec))).rowcount)

    def _items(self, prefix: str) -> dict[str, Any]:
        with session_scope() as session:
            rows = session.exec(
                select(JobState)
                .where(JobState.job_id == self.job_id,
                       col(JobState.name).startswith(prefix, autoescape=True))
                .order_by(col(JobState.name))
            ).all()
            return {row.name: row.value for row in rows}
