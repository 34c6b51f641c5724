"""A worker process's start and stop: nothing it started may keep it alive.

Dramatiq stops a worker process on SIGTERM (its group parent sends one to the others
when one of them dies), waits for its threads to finish their messages, and returns
from the process's function; multiprocessing then joins the process's children and
threads. Whatever this project started in the process must end by then, or the process
hangs for good (an image process pool left running made ``_exit_function`` wait on its
idle processes forever, and the whole group with it). So, in Dramatiq's hooks:

- boot: start the heartbeat thread; watch the group parent, and stop if it dies (a
  SIGKILLed parent would leave this process consuming beside its replacement);
- before shutdown: arm a deadline, then hand the runs this process holds back (each
  stops at its next await and is queued again for another worker to resume);
- after shutdown: stop the image pool, the heartbeat and the event publisher, each
  within its timeout, then arm a deadline that ends the process if something still
  holds it.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from dramatiq.middleware import Middleware

from backend.core.orphan import GROUP_PARENT_ENV, exit_after, terminate_self, watch_parent

__all__ = ["WorkerLifecycle", "EXIT_DEADLINE_SEC"]

log = logging.getLogger("spio.worker")

# From the end of Dramatiq's shutdown to a forced exit.
EXIT_DEADLINE_SEC = 15.0


def _group_parent() -> int | None:
    value = os.environ.get(GROUP_PARENT_ENV, "")
    return int(value) if value.isdigit() else None


def _stop_when_orphaned() -> None:
    from backend.core.config import get_settings

    terminate_self()  # Dramatiq's handler stops the worker gracefully
    exit_after(get_settings().worker_shutdown_timeout_sec + EXIT_DEADLINE_SEC + 10.0,
               reason="the group parent died")


class WorkerLifecycle(Middleware):
    """Start and stop this project's threads and pools with the worker process."""

    def after_worker_boot(self, broker: Any, worker: Any) -> None:
        from backend.worker.heartbeat import get_monitor

        # The dashboard sees an idle worker's memory too, not only a busy one's.
        get_monitor().start()
        watch_parent(on_orphaned=_stop_when_orphaned, parent=_group_parent())

    def before_worker_shutdown(self, broker: Any, worker: Any) -> None:
        from backend.core.config import get_settings
        from backend.worker.heartbeat import get_monitor

        # Armed first: a second SIGTERM makes Dramatiq leave through SystemExit, past
        # after_worker_shutdown, and the process must end all the same.
        exit_after(get_settings().worker_shutdown_timeout_sec + 2 * EXIT_DEADLINE_SEC,
                   reason="the start of the shutdown")
        held = get_monitor().hand_back_all()
        if held:
            log.info("shutting down: handing back %s runs", held)

    def after_worker_shutdown(self, broker: Any, worker: Any) -> None:
        from backend.core.redis import get_redis, stop_publisher
        from backend.services.worker_memory import forget_memory
        from backend.tools.multimedia import shutdown_pool
        from backend.worker.heartbeat import get_monitor

        for name, stop in (("image pool", shutdown_pool), ("heartbeat", get_monitor().stop),
                           ("event publisher", stop_publisher)):
            try:
                stop(timeout_sec=5.0)
            except Exception:  # one part failing to stop must not keep the others running
                log.warning("could not stop the %s", name, exc_info=True)
        try:
            forget_memory(client=get_redis())
        except Exception:  # Redis away: the report goes stale by itself
            log.debug("could not drop this worker's report", exc_info=True)
        exit_after(EXIT_DEADLINE_SEC, reason="worker shutdown")
