"""``python -m backend.worker``: the Dramatiq CLI with this project's defaults.

Dramatiq reads its consumer poll ceiling from ``dramatiq_worker_timeout`` at import; an
idle worker otherwise sleeps up to a second between polls, which would make every
scheduled run up to a second late.
"""

from __future__ import annotations

import os
import sys

from backend.core.orphan import GROUP_PARENT_ENV


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("dramatiq_worker_timeout", "100")
    # The group's worker processes watch this pid, not whatever getppid() says once they
    # have booted: one that boots slowly may find the group parent already dead.
    os.environ[GROUP_PARENT_ENV] = str(os.getpid())
    from backend.core.config import get_settings
    from backend.core.malloc import limit_malloc_arenas

    limit_malloc_arenas()  # before the worker processes start: they inherit it
    from backend.services.queues import QUEUE_NAMES

    settings = get_settings()
    args = list(argv if argv is not None else sys.argv[1:])
    if "--processes" not in args and "-p" not in args:
        args += ["--processes", str(settings.worker_processes)]
    if "--threads" not in args and "-t" not in args:
        args += ["--threads", str(settings.worker_concurrency)]
    if "--worker-shutdown-timeout" not in args:
        # Dramatiq's default is 10 minutes; our runs are handed back at shutdown and
        # resume elsewhere, so a stop (or the restart after a crash) is quick.
        args += ["--worker-shutdown-timeout",
                 str(int(settings.worker_shutdown_timeout_sec * 1000))]
    # A worker holds at most one message per thread and queue, so a busy worker does not
    # sit on runs an idle one could start.
    threads = args[args.index("--threads") + 1] if "--threads" in args else args[
        args.index("-t") + 1]
    os.environ.setdefault("dramatiq_queue_prefetch", threads)
    from dramatiq.cli import main as dramatiq_main

    sys.argv = ["dramatiq", "backend.worker.actors", *args, "--queues", *QUEUE_NAMES.values()]
    return int(dramatiq_main() or 0)


if __name__ == "__main__":
    raise SystemExit(main())
