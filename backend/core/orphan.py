"""Processes that must not outlive the process that started them.

A Dramatiq worker process whose group parent was SIGKILLed (OOM killer, ``kill -9``)
keeps consuming messages beside the group a supervisor starts in its place, and an
image process whose worker died waits on its task queue forever (every pool process
holds the queue's write end too, so it never reads end-of-file). Each such process
calls :func:`watch_parent` at start: a daemon thread notices the parent's death (the
process is re-parented, so ``getppid()`` changes) and acts.

Standard library only: the image processes import it right after they are spawned.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable

__all__ = ["GROUP_PARENT_ENV", "watch_parent", "terminate_self", "exit_now", "exit_after",
           "exit_with_parent", "stop_with_parent"]

log = logging.getLogger("spio.process")

# Set by ``python -m backend.worker`` to the group parent's pid, for its worker processes.
GROUP_PARENT_ENV = "SPIO_WORKER_GROUP_PID"


def exit_now() -> None:
    """Leave at once: no atexit handlers, no joins of threads or child processes."""
    os._exit(1)


def terminate_self() -> None:
    """Ask this process to stop as its supervisor would (SIGTERM: a graceful stop)."""
    os.kill(os.getpid(), signal.SIGTERM)


def exit_after(seconds: float, *, reason: str) -> threading.Timer:
    """Exit hard unless the process has ended by then (the last guard against a wedge:
    a thread stuck in a C call, a non-daemon child that never returns)."""

    def _expire() -> None:
        log.error("still alive %.0f s after %s; exiting now", seconds, reason)
        exit_now()

    timer = threading.Timer(seconds, _expire)
    timer.daemon = True
    timer.name = "exit-deadline"
    timer.start()
    return timer


def watch_parent(*, on_orphaned: Callable[[], None], parent: int | None = None,
                 interval_sec: float = 0.5) -> threading.Thread:
    """Call ``on_orphaned`` once, from a daemon thread, when this process's parent dies.

    ``parent`` is the pid the process was started by, when the caller knows it: a
    process that starts slowly (imports under load) may be orphaned before it gets here,
    and ``getppid()`` then already names the reaper, which would be watched forever.
    """
    if parent is None:
        parent = os.getppid()

    def _watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval_sec)
        log.warning("parent process %s is gone; stopping", parent)
        on_orphaned()

    thread = threading.Thread(target=_watch, daemon=True, name="parent-watch")
    thread.start()
    return thread


def exit_with_parent(*, parent: int | None = None) -> None:
    """Process-pool initializer: leave at once when the process that owns the pool
    (``parent``) dies, even before this process got here (the pool's work is lost with
    it anyway; its run resumes elsewhere)."""
    watch_parent(on_orphaned=exit_now, parent=parent)


def stop_with_parent(*, grace_sec: float = 5.0) -> None:
    """For a server's worker process (the web process's granian workers): when the main
    process that listens beside it dies, stop too, instead of answering requests from
    an old build next to the replacement a supervisor starts."""

    def _orphaned() -> None:
        terminate_self()
        exit_after(grace_sec, reason="the server's main process died")

    watch_parent(on_orphaned=_orphaned)
