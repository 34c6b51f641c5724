"""A worker killed at any moment never leaves a process hanging (issue 19, point 1).

A real Dramatiq worker group (two worker processes, as ``scripts/up`` starts it), each
process busy with a run that keeps the image process pool working. Then one of: SIGKILL
of a worker process (its parent stops the other, which must exit despite its image
pool), SIGKILL of the group's parent (its orphaned worker processes must stop, not go on
consuming beside a replacement), SIGKILL of the whole group. Every process of the group
(image processes included) must be gone within seconds, the runs a stopping process held
must be handed back at once, and a new group must finish every run with each side
effect delivered once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from sqlmodel import select

from backend.core.db import session_scope
from backend.jobs import service
from backend.models import RunAttempt
from backend.models.types import utcnow
from tests.reliability.invariants import check_runs
from tests.reliability.support import (
    create,
    effects_report,
    sleep_job,
    status_counts,
    wait_drained,
    wait_for,
)
from tests.system.cluster import FAST_TAKEOVER, Cluster

pytestmark = [pytest.mark.e2e]

STEPS = 25


def _group(pgid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-g", str(pgid)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _busy_with_images(cluster: Cluster, parent: int) -> list[int] | None:
    """The group's two worker processes, once each runs an image pool."""
    workers = cluster.children(parent)
    if len(workers) != 2:
        return None
    pools = [[c for c in cluster.children(w) if "spawn_main" in _cmdline(c)] for w in workers]
    return workers if all(pools) else None


@pytest.mark.parametrize("victim", ["worker-process", "group-parent", "whole-group"])
def test_a_killed_worker_never_wedges_and_loses_nothing(env, tmp_path: Path, victim: str):
    from backend.core.db import dispose_engines

    cluster = Cluster.from_environment(log_dir=tmp_path / "logs", **FAST_TAKEOVER,
                                       MULTIMEDIA_WORKERS="1")
    try:
        cluster.start_scheduler()
        group = cluster.start_worker("group", threads=1, processes=2)
        cluster.wait_ready(workers=2)
        for i in range(2):
            create(sleep_job(f"images-{i}", interval=None, steps=STEPS, sleep_sec=0.1,
                             images=2, effects=1))
            with session_scope() as session:
                service.run_now(session=session, job_id=f"images-{i}")
        workers = wait_for(lambda: _busy_with_images(cluster, group.pid), timeout=60)
        before = _group(group.pid)
        assert len(before) >= 6, before  # parent, 2 workers, their image processes

        killed_at = time.monotonic()
        if victim == "worker-process":
            os.kill(workers[0], signal.SIGKILL)
        elif victim == "group-parent":
            os.kill(group.pid, signal.SIGKILL)
        else:
            os.killpg(group.pid, signal.SIGKILL)

        def gone() -> bool:
            group.poll()  # reap the parent: a zombie still counts in pgrep
            return not _group(group.pid)

        # Within the worker's own bound: shutdown timeout (20 s) plus the exit deadlines
        # (2 x 15 s); it takes 2-5 s on a quiet machine.
        try:
            wait_for(gone, timeout=60, interval=0.1)
        except AssertionError:
            raise AssertionError(f"group still alive: {_group(group.pid)}\n"
                                 f"{cluster.logs()}") from None
        exited_in = time.monotonic() - killed_at
        cluster.procs.pop("group")
        print(f"{victim}: all {len(before)} processes of the group gone in {exited_in:.1f} s")

        # A replacement group (what the supervisor starts) finishes every run.
        cluster.start_worker("replacement", threads=2, processes=2)
        counts = wait_drained(timeout=120)
        dispose_engines()
        with session_scope() as session:
            handed_back = session.exec(select(RunAttempt).where(
                RunAttempt.error == "worker shut down")).all()
        effects = effects_report(steps=STEPS, effects=1)
        violations = check_runs(now=utcnow())
        print(f"{victim}: runs {counts}, handed back {len(handed_back)}, effects {effects}")
        assert counts == {"succeeded": 2}, (status_counts(), cluster.logs())
        assert effects["missing"] == 0 and effects["duplicated"] == 0, effects
        assert effects["expected"] == 2 * STEPS
        # A worker that was told to stop handed its run back instead of vanishing.
        assert len(handed_back) == {"worker-process": 1, "group-parent": 2,
                                    "whole-group": 0}[victim], cluster.logs()
        assert violations.clean, violations.summary()
    finally:
        cluster.stop()
