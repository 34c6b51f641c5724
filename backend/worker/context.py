"""RunContext: what a workflow gets. Steps with checkpoints, progress, logs, artifacts,
cancellation and ``once`` for side effects that must happen exactly once.

Workflows are async; every database write here runs in a thread so the event loop that
drives hundreds of HTTP calls never blocks on SQLite.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sqlmodel import select

from backend.core.config import Settings
from backend.core.db import session_scope
from backend.core.errors import RunCancelled
from backend.core.messages import render_message
from backend.core.redis import publish_event
from backend.domain.spec import JobSpec
from backend.models import Artifact, Run, RunLog, RunStep
from backend.models.types import utcnow
from backend.worker.ledger import RunLedger

if TYPE_CHECKING:
    from backend.connectors.runtime import Platforms
    from backend.tools import Tools

__all__ = ["RunContext"]

T = TypeVar("T")
log = logging.getLogger("spio.run")


class RunContext:
    """Handed to ``workflow.run(ctx)``. One per attempt; satisfies
    :class:`backend.workflows.context.WorkflowContext`."""

    def __init__(
        self,
        *,
        run_id: int,
        job_id: str,
        attempt: int,
        spec: JobSpec,
        settings: Settings,
        scheduled_for: datetime | None,
    ) -> None:
        self.run_id = run_id
        self.job_id = job_id
        self.attempt = attempt
        self.spec = spec
        self.inputs: dict[str, Any] = spec.inputs.model_dump()
        self.settings = settings
        self.scheduled_for = scheduled_for
        self.cancelled = threading.Event()
        self._logs: list[RunLog] = []
        self._logs_lock = threading.Lock()
        self._last_progress = 0.0
        self._positions = 0
        self._tools: Tools | None = None
        self._ledger = RunLedger(job_id=job_id, run_id=run_id)
        self.current_step: str | None = None
        self.failed_step: str | None = None  # where the attempt stopped, for its error

    # --- tools ------------------------------------------------------------------
    @property
    def tools(self) -> Tools:
        """The job tools (http, kv, messaging, metrics, files, multimedia, command, revenue)."""
        if self._tools is None:
            from backend.core.redis import get_redis
            from backend.tools import build_tools  # heavy; only workflows that use tools pay

            rates = self.inputs.get("rate_limits")
            self._tools = build_tools(
                settings=self.settings, redis=get_redis(), run_id=self.run_id, job_id=self.job_id,
                rates=rates if isinstance(rates, dict) else None,
            )
        return self._tools

    @property
    def platforms(self) -> Platforms:
        """The platforms' connectors, configured and behind the call policy."""
        return self.tools.platforms

    async def aclose(self) -> None:
        if self._tools is not None:
            await self._tools.aclose()

    # --- logs and progress ---------------------------------------------------------
    def log(self, message: str, *, level: str = "info") -> None:
        """Keep a line in the run's log (flushed with the heartbeat and at step ends)."""
        with self._logs_lock:
            self._logs.append(
                RunLog(run_id=self.run_id, level=level, step=self.current_step, message=message)
            )
        # The server's own log reads English; the run's log keeps the key for the UI.
        getattr(log, level if level in ("debug", "warning", "error") else "info")(
            "run %s: %s", self.run_id, render_message(message, "en")
        )

    def flush_logs(self) -> None:
        with self._logs_lock:
            pending, self._logs = self._logs, []
        if not pending:
            return
        with session_scope() as session:
            session.add_all(pending)
        for row in pending[-5:]:
            publish_event("log", run_id=self.run_id, job_id=self.job_id, message=row.message,
                          level=row.level, step=row.step)

    async def progress(self, done: float, total: float | None = None, message: str = "") -> None:
        """Report progress (0..1, or done/total). Throttled to a few writes per second."""
        fraction = done / total if total else done
        fraction = max(0.0, min(1.0, float(fraction)))
        now = time.monotonic()
        if now - self._last_progress < 0.25 and fraction < 1.0:
            return
        self._last_progress = now
        await asyncio.to_thread(self._write_progress, fraction, message)

    def _write_progress(self, fraction: float, message: str) -> None:
        with session_scope() as session:
            run = session.get(Run, self.run_id)
            if run is not None:
                run.progress = fraction
                run.progress_message = message[:500] or run.progress_message
                session.add(run)
        publish_event("run.progress", run_id=self.run_id, job_id=self.job_id,
                      progress=fraction, message=message)

    # --- cancellation ------------------------------------------------------------------
    def check_cancelled(self) -> None:
        if self.cancelled.is_set():
            raise RunCancelled("cancelled by user")

    # --- steps -----------------------------------------------------------------------
    async def step(self, name: str, fn: Callable[[], Awaitable[T]]) -> T:
        """Run ``fn`` as the step ``name`` unless an earlier attempt finished it, in which
        case its checkpoint (the value it returned, JSON) is returned instead."""
        self.check_cancelled()
        done, value = await asyncio.to_thread(self._begin_step, name)
        if done:
            return value  # type: ignore[no-any-return]
        self.current_step = name
        publish_event("step.updated", run_id=self.run_id, job_id=self.job_id, step=name,
                      status="running")
        try:
            result = await fn()
        except BaseException as exc:
            self.failed_step = name
            error = "timed out or cancelled" if isinstance(exc, asyncio.CancelledError) else (
                f"{type(exc).__name__}: {exc}")
            await asyncio.shield(
                asyncio.to_thread(self._end_step, name, "failed", None, error[:2000]))
            raise
        finally:
            self.current_step = None
        await asyncio.to_thread(self._end_step, name, "succeeded", result, None)
        return result

    def _begin_step(self, name: str) -> tuple[bool, Any]:
        with session_scope() as session:
            row = session.exec(
                select(RunStep).where(RunStep.run_id == self.run_id, RunStep.name == name)
            ).first()
            if row is not None and row.status == "succeeded":
                self._positions = max(self._positions, row.position + 1)
                return True, row.checkpoint
            if row is None:
                row = RunStep(run_id=self.run_id, name=name, position=self._positions,
                              attempt=self.attempt, attempts=1)
            else:
                row.attempts += 1
                row.attempt = self.attempt
                row.started_at = utcnow()
                row.finished_at = None
                row.error = None
            row.status = "running"
            self._positions = row.position + 1
            session.add(row)
        return False, None

    def _end_step(self, name: str, status: str, checkpoint: Any, error: str | None) -> None:
        with session_scope() as session:
            row = session.exec(
                select(RunStep).where(RunStep.run_id == self.run_id, RunStep.name == name)
            ).first()
            if row is not None:
                row.status = status
                row.finished_at = utcnow()
                row.checkpoint = checkpoint
                row.error = error
                session.add(row)
        self.flush_logs()
        publish_event("step.updated", run_id=self.run_id, job_id=self.job_id, step=name,
                      status=status)

    # --- exactly once ------------------------------------------------------------------
    async def once(self, key: str, fn: Callable[[str], Awaitable[T]], *,
                   known_new: bool = False) -> T:
        """Perform a side effect at most once per ``key`` across retries, re-runs and
        worker deaths; returns the first result on every later call.

        ``fn`` receives the key and must pass it on as the platform's idempotency key
        (``Idempotency-Key`` header, Message-ID ...): a worker killed after the platform
        acted but before the ledger write then retries into the platform's own dedup.
        ``known_new=True`` skips the lookup, for a bulk step that read the step's keys
        with :meth:`done_keys` and only calls for keys that were not among them.
        """
        if not known_new:
            found, value = await self._ledger.get(key)
            if found:
                return value  # type: ignore[no-any-return]
        result = await fn(key)
        await self._ledger.put(key, result)
        return result

    async def done_keys(self, prefix: str) -> set[str]:
        """Keys with ``prefix`` already in the ledger: lets a resumed bulk step skip work
        in one query instead of one per item."""
        return await self._ledger.done_keys(prefix)

    # --- artifacts ----------------------------------------------------------------------
    async def add_artifact(
        self, *, name: str, path: str, content_type: str, size: int
    ) -> Artifact:
        """Record a file the run produced (the files tool stores it)."""

        def write() -> Artifact:
            with session_scope() as session:
                row = Artifact(run_id=self.run_id, job_id=self.job_id, name=name, path=path,
                               content_type=content_type, size=size)
                session.add(row)
                session.flush()
                session.refresh(row)
                return row

        artifact = await asyncio.to_thread(write)
        publish_event("artifact.added", run_id=self.run_id, job_id=self.job_id, name=name)
        return artifact


if TYPE_CHECKING:
    from backend.workflows.context import WorkflowContext

    def _satisfies_the_protocol(ctx: RunContext) -> WorkflowContext:
        """mypy holds RunContext to the protocol every workflow step is typed with."""
        return ctx
