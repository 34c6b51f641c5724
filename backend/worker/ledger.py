"""The run's side-effect ledger: which effects already happened, keyed by idempotency key.

``RunContext.once`` reads a key here before acting and records it after. Recording is a
group commit: every ``put`` waiting while a write is under way joins the next one, so a
step doing thousands of effects (a catalog sync's listings, a campaign's messages) pays
one transaction per batch, not one per effect, and each ``put`` still returns only once
its row is committed. Rows are inserted with ON CONFLICT DO NOTHING: when two attempts
record the same effect, the first result stays.
"""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select

from backend.core.db import UNCACHED, get_engine, session_scope, write_transaction
from backend.models import IdempotencyRecord
from backend.models.types import utcnow

__all__ = ["RunLedger"]

_BATCH = 500  # rows per INSERT (5 bound values each; far under SQLite's variable cap)


class RunLedger:
    """The ledger as one run sees it."""

    def __init__(self, *, job_id: str, run_id: int) -> None:
        self.job_id, self.run_id = job_id, run_id
        self._waiting: list[tuple[str, Any, asyncio.Future[None]]] = []
        self._flushing = False

    async def get(self, key: str) -> tuple[bool, Any]:
        """``(True, result)`` when ``key`` was recorded, else ``(False, None)``."""
        return await asyncio.to_thread(self._get, key)

    async def put(self, key: str, result: Any) -> None:
        """Record ``key``; returns once the row is committed (with others, in one write)."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((key, result, future))
        if not self._flushing:
            self._flushing = True
            asyncio.ensure_future(self._flush())
        # Shielded: a caller cancelled while waiting must not cancel the batch's write.
        await asyncio.shield(future)

    async def done_keys(self, prefix: str) -> set[str]:
        """Every recorded key starting with ``prefix`` (one query for a bulk step)."""
        return await asyncio.to_thread(self._done_keys, prefix)

    async def _flush(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, []
                try:
                    await asyncio.to_thread(self._insert, [(k, r) for k, r, _ in batch])
                except BaseException as exc:  # noqa: BLE001 - handed to every waiter
                    for *_, future in batch:
                        if not future.done():
                            future.set_exception(exc)
                    if not isinstance(exc, Exception):
                        raise
                    continue
                for *_, future in batch:
                    if not future.done():
                        future.set_result(None)
        finally:
            self._flushing = False

    # --- the blocking halves (run in a thread) ---------------------------------------
    def _get(self, key: str) -> tuple[bool, Any]:
        with session_scope() as session:
            row = session.get(IdempotencyRecord, key)
            return (True, row.result) if row is not None else (False, None)

    def _insert(self, rows: list[tuple[str, Any]]) -> None:
        engine = get_engine()
        table = IdempotencyRecord.__table__  # type: ignore[attr-defined]
        dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
        now = utcnow()
        unique: dict[str, Any] = {}
        for key, result in rows:  # one statement may not repeat a key; the first one stays
            unique.setdefault(key, result)
        values = [{"key": k, "job_id": self.job_id, "run_id": self.run_id, "result": r,
                   "created_at": now} for k, r in unique.items()]  # fmt: skip
        with write_transaction(engine) as conn:
            for start in range(0, len(values), _BATCH):
                stmt = dialect.insert(table).values(values[start : start + _BATCH])
                conn.execute(stmt.on_conflict_do_nothing(index_elements=["key"]),
                             execution_options=UNCACHED)

    def _done_keys(self, prefix: str) -> set[str]:
        with session_scope() as session:
            rows = session.exec(
                select(IdempotencyRecord.key).where(
                    col(IdempotencyRecord.key).startswith(prefix, autoescape=True))
            ).all()
        return set(rows)
