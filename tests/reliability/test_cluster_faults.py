"""Real processes under attack: two schedulers and three Dramatiq workers running 1-second
jobs, workers SIGKILLed at random, the leading scheduler killed. Judged from the runs
table (tests/reliability/invariants.py) and the side-effect receiver.

The long version of the same load is ``bench/soak.py``; these stay under a minute each.
"""

from __future__ import annotations

import random
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from backend.models.types import utcnow
from tests.reliability.invariants import check_runs
from tests.reliability.support import (
    create,
    effects_report,
    pause_all,
    sleep_job,
    status_counts,
    wait_drained,
)
from tests.system.cluster import Cluster

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

FAST = {"WORKER_HEARTBEAT_SEC": "0.3", "WORKER_STALE_AFTER_SEC": "2.0",
        "SCHEDULER_TICK_MAX_SEC": "0.5", "SCHEDULER_LEADER_TTL_MS": "2000"}


@pytest.fixture
def cluster(env, tmp_path: Path) -> Iterator[Cluster]:
    c = Cluster.from_environment(log_dir=tmp_path / "logs", **FAST)
    try:
        yield c
    finally:
        c.stop()


def _mixed_load() -> None:
    """1-second jobs of every shape the scheduler treats differently."""
    for i in range(4):
        create(sleep_job(f"tick-{i}", interval=1, effects=1))
    for i in range(2):  # longer than their interval: the next occurrences must be skipped
        create(sleep_job(f"solo-{i}", interval=1, overlap=False, sleep_sec=1.3, effects=1))
    for i in range(3):  # three 1-second jobs sharing two slots
        create(sleep_job(f"grp-{i}", interval=1, sleep_sec=0.3, effects=1,
                         flow_group="team", flow_max_active_runs=2))
    create(sleep_job("flaky", interval=2, fail_attempts=1, effects=1,
                     retry_policy={"max_retry": 2, "backoff_sec": [0.5]}))


def _finish(cluster: Cluster, *, effects_steps: int = 2) -> tuple[dict, dict]:
    pause_all()
    counts = wait_drained(timeout=45)
    violations = check_runs(now=utcnow())
    effects = effects_report(steps=effects_steps, effects=1)
    print("runs:", counts, "invariants:", violations.summary(), "effects:", effects)
    assert violations.clean, (violations.summary(), cluster.logs())
    assert effects["missing"] == 0 and effects["duplicated"] == 0, effects
    return counts, violations.summary()


def test_two_schedulers_three_workers_keep_every_invariant(cluster: Cluster):
    for name in ("scheduler-1", "scheduler-2"):
        cluster.start_scheduler(name)
    for name in ("worker-a", "worker-b", "worker-c"):
        cluster.start_worker(name, threads=4)
    cluster.wait_ready(workers=3)
    _mixed_load()
    time.sleep(20)
    counts, summary = _finish(cluster)
    assert counts.get("succeeded", 0) >= 80, counts  # the load really ran
    assert counts.get("skipped", 0) >= 5  # solo jobs did collide with themselves
    assert summary["peak_by_group"]["team"] == 2  # the cap was reached, never passed
    assert counts.get("failed", 0) == 0


def test_sigkilled_workers_and_leader_lose_nothing(cluster: Cluster):
    """Every ~2 s a random worker group is SIGKILLed and restarted; once, the leading
    scheduler too. Runs held by a dead worker are taken back after the stale bound and
    resume after their last finished step; every effect arrives, none is made up."""
    for name in ("scheduler-1", "scheduler-2"):
        cluster.start_scheduler(name)
    workers = ["worker-a", "worker-b", "worker-c"]
    for name in workers:
        cluster.start_worker(name, threads=4)
    cluster.wait_ready(workers=3)
    _mixed_load()
    create(sleep_job("long", interval=3, overlap=False, steps=4, sleep_sec=0.5, effects=1))
    rng = random.Random(8)
    kills = 0
    end = time.monotonic() + 24
    leader_killed = False
    while time.monotonic() < end:
        time.sleep(rng.uniform(1.5, 2.5))
        victim = rng.choice(workers)
        cluster.kill_group(victim, signal.SIGKILL)  # the parent and its forked workers
        cluster.start_worker(victim, threads=4)
        kills += 1
        if not leader_killed and time.monotonic() > end - 14:
            cluster.kill_group("scheduler-1")  # leader or not, the other must carry on
            leader_killed = True
    counts, summary = _finish(cluster, effects_steps=4)
    print(f"killed {kills} worker groups and one scheduler")
    assert kills >= 8
    assert counts.get("succeeded", 0) >= 60, counts
    # "flaky" fails its first attempt by design and succeeds on the retry; a run may
    # only end failed if it used up its attempts (the invariants checked the rest).
    assert counts.get("failed", 0) <= 1, (counts, status_counts())
