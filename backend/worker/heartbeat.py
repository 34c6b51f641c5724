"""One heartbeat thread per worker process for all the runs it holds.

Every ``worker_heartbeat_sec`` it says, in one UPDATE, that those runs are alive; it
notices cancellation requests and runs taken over by another worker, and flushes the
runs' buffered log lines; and it reports the process's memory for the dashboard. A
thread per run would cost a thread start per run and one UPDATE per run per beat.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import col

from backend.core.config import get_settings
from backend.core.db import write_transaction
from backend.core.redis import get_redis
from backend.models import Run
from backend.models.types import utcnow
from backend.services.worker_memory import report_memory

__all__ = ["HeartbeatMonitor", "get_monitor"]

log = logging.getLogger("spio.worker")


@dataclass
class _Held:
    worker_id: str
    on_cancel: Callable[[], None]
    flush_logs: Callable[[], None]
    lost: bool = False
    cancelled: bool = False
    handed_back: bool = False  # stopped because this worker shuts down


class HeartbeatMonitor:
    def __init__(self) -> None:
        self._held: dict[int, _Held] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    def hold(self, run_id: int, *, worker_id: str, on_cancel: Callable[[], None],
             flush_logs: Callable[[], None]) -> _Held:
        entry = _Held(worker_id=worker_id, on_cancel=on_cancel, flush_logs=flush_logs)
        with self._lock:
            self._held[run_id] = entry
        self.start()
        return entry

    def start(self) -> None:
        """Start the beating thread unless it runs (at worker boot, so the process's
        memory is reported before its first run; again if it ever died)."""
        with self._lock:
            if self._stop.is_set():
                return
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, daemon=True,
                                                name="run-heartbeat")
                self._thread.start()

    def release(self, run_id: int) -> None:
        with self._lock:
            self._held.pop(run_id, None)

    def hand_back_all(self) -> int:
        """The worker shuts down: stop every run held, each at its next await, to be
        handed back for another worker to resume. Heartbeats go on until :meth:`stop`,
        so no run looks abandoned while it winds down. Returns how many were held."""
        with self._lock:
            held = list(self._held.values())
        for entry in held:
            entry.handed_back = True
            entry.on_cancel()
        return len(held)

    def stop(self, *, timeout_sec: float = 5.0) -> None:
        """End the beating thread (worker shutdown), waiting at most ``timeout_sec``."""
        with self._lock:
            self._stop.set()
            thread = self._thread
        if thread is not None:
            thread.join(timeout_sec)

    def _loop(self) -> None:
        # Read each time: tests (and operators) change it without restarting the process.
        while not self._stop.wait(get_settings().worker_heartbeat_sec):
            try:
                self.beat()
            except Exception:  # a database hiccup must not end the heartbeats
                log.warning("heartbeat failed; retrying next beat", exc_info=True)
            try:
                report_memory(client=get_redis())
            except Exception:  # the dashboard's memory figure is not worth a crash
                log.debug("could not report worker memory", exc_info=True)

    def beat(self) -> None:
        with self._lock:
            held = dict(self._held)
        if not held:
            return
        with write_transaction() as conn:
            alive = conn.execute(
                update(Run)
                .where(col(Run.id).in_(list(held)), col(Run.status) == "running",
                       col(Run.worker_id).in_({h.worker_id for h in held.values()}))
                .values(heartbeat_at=utcnow())
                .returning(col(Run.id), col(Run.cancel_requested))
            ).all()
        alive_ids = {row.id: row.cancel_requested for row in alive}
        for run_id, entry in held.items():
            if run_id not in alive_ids:
                entry.lost = True  # another worker took the run over: stop quietly
                entry.on_cancel()
            elif alive_ids[run_id] and not entry.cancelled:
                entry.cancelled = True
                entry.on_cancel()
            try:
                entry.flush_logs()
            except Exception:
                log.warning("could not flush logs of run %s", run_id, exc_info=True)


_MONITOR: HeartbeatMonitor | None = None
_MONITOR_LOCK = threading.Lock()


def get_monitor() -> HeartbeatMonitor:
    global _MONITOR
    with _MONITOR_LOCK:
        if _MONITOR is None:
            _MONITOR = HeartbeatMonitor()
        return _MONITOR
