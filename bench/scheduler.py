"""Scheduler throughput: 10,000 jobs due at the same moment.

Runs the real scheduler loop (default settings, look-ahead included) over two
scenarios in one run and measures when each run's message reached Redis:
- burst: 10,000 jobs fall due at the same instant -> dispatch rate (runs/s);
- steady: 10,000 jobs fall due over 2 s (5,000/s) -> lateness of each send against its
  due time (p50/p99). A burst's p99 lateness is its whole duration by construction and
  is printed as a figure.

    .venv/bin/python bench/scheduler.py [--jobs 10000] [--database sqlite|postgres]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script

from bench._common import Report, RssSampler, print_table  # noqa: E402
from bench._install import isolated_install  # noqa: E402


def _seed_jobs(count: int, *, lead_sec: float, spread_sec: float = 0.0) -> None:
    """``count`` jobs falling due from ``lead_sec`` after the rows are built (building
    10,000 specs takes seconds; the due times must not start passing before the loop
    starts, or a steady scenario turns into a burst)."""
    from sqlalchemy import insert

    from backend.core.db import session_scope
    from backend.jobs.validation import parse_spec
    from backend.models import Job, JobVersion
    from backend.models.types import utcnow

    rows, versions = [], []
    for i in range(count):
        due_at = timedelta(seconds=spread_sec * i / count)  # made absolute below
        spec = parse_spec(
            {"job_id": f"bench-{i:05d}", "workflow": "noop", "schedule": {"interval_sec": 3600}}
        ).spec.public_dict()
        rows.append(
            {
                "job_id": spec["job_id"],
                "type": "agent.workflow",
                "workflow": "noop",
                "workflow_inferred": False,
                "spec": spec,
                "version": 1,
                "enabled": True,
                "paused": False,
                "priority": "normal",
                "allow_overlap": False,
                "next_run_at": due_at,
                "consecutive_failures": 0,
                "created_by": "bench",
                "created_at": due_at,
                "updated_at": due_at,
                "flow_group": None,
                "flow_max_active_runs": None,
                "last_run_at": None,
            }
        )
        versions.append(
            {
                "job_id": spec["job_id"],
                "version": 1,
                "spec": spec,
                "created_by": "bench",
                "created_at": due_at,
            }
        )
    start = utcnow().replace(microsecond=0) + timedelta(seconds=lead_sec + 1)
    for row in rows:
        row["next_run_at"] = row["created_at"] = row["updated_at"] = start + row["next_run_at"]
    for version in versions:
        version["created_at"] = start
    with session_scope() as session:
        session.execute(insert(Job), rows)
        session.execute(insert(JobVersion), versions)


def _send_times() -> dict[int, float]:
    """When each run's message reached Redis (its message_timestamp), by run id."""
    import orjson

    from backend.core.redis import get_redis
    from backend.services.queues import QUEUE_NAMES, dramatiq_namespace

    client = get_redis()
    out: dict[int, float] = {}
    for queue in QUEUE_NAMES.values():
        for raw in client.hvals(f"{dramatiq_namespace()}:{queue}.msgs"):
            message = orjson.loads(raw)
            out[int(message["args"][0])] = message["message_timestamp"] / 1000
    return out


def _sent_count() -> int:
    """How many messages are in the queues: HLEN, cheap enough to poll. Reading and
    parsing every message while waiting (HVALS) took the GIL from the scheduler's thread
    and made it look several times slower than it is."""
    from backend.core.redis import get_redis
    from backend.services.queues import QUEUE_NAMES, dramatiq_namespace

    client = get_redis()
    return sum(client.hlen(f"{dramatiq_namespace()}:{q}.msgs") for q in QUEUE_NAMES.values())


def scenario(*, jobs: int, spread_sec: float, database_url: str | None) -> dict[str, float]:
    """``jobs`` jobs due between T and T + spread_sec, run by the real scheduler loop."""
    # No workers consume here, so queue pressure would (rightly) hold runs back: the
    # bench measures the scheduler alone, with the pressure threshold out of the way.
    with isolated_install(
        database_url=database_url,
        SCHEDULER_MAX_DISPATCH_PER_TICK=str(jobs),
        SCHEDULER_FIRE_BATCH=str(jobs),
        SCHEDULER_PRESSURE_DEPTH_HIGH=str(10 * jobs),
    ):
        import threading

        from sqlmodel import select

        from backend.core.db import session_scope
        from backend.models import Run
        from backend.scheduler.service import SchedulerService

        _seed_jobs(jobs, lead_sec=2.5, spread_sec=spread_sec)
        service = SchedulerService()
        sampler = RssSampler().start()
        loop = threading.Thread(target=service.run_forever, daemon=True)
        loop.start()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and _sent_count() < jobs:
            time.sleep(0.05)
        sent = _send_times()  # the messages' own timestamps: when the scheduler sent them
        service.stop.set()
        service.wake.set()
        loop.join(timeout=10)
        peak = sampler.stop()
        with session_scope() as session:
            due_of = dict(session.exec(select(Run.id, Run.scheduled_for)).all())
        late = sorted(max(0.0, sent[i] - due_of[i].timestamp()) * 1000 for i in sent)
        # The loop wakes a look-ahead before the first due time; from then on a burst is
        # limited by the scheduler alone (a spread one by when its jobs fall due).
        from backend.core.config import get_settings

        woke = min(d.timestamp() for d in due_of.values()) - (
            get_settings().scheduler_lookahead_ms / 1000
        )
        return {
            "dispatched": len(sent),
            "rate": jobs / max(max(sent.values()) - woke, 1e-6),
            "p50_ms": statistics.median(late),
            "p99_ms": late[int(0.99 * (len(late) - 1))],
            "rss_mb": peak,
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=10_000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    database_url = None
    if args.database == "postgres":
        import psycopg

        name = f"spio_bench_{os.getpid()}"
        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
        ) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        database_url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    results = {}
    try:
        for label, spread in (("burst: all due at once", 0.0), ("steady: due over 2 s", 2.0)):
            if database_url and results:
                _reset_postgres(database_url)
            results[label] = scenario(jobs=args.jobs, spread_sec=spread,
                                      database_url=database_url)
    finally:
        if database_url:
            _drop_postgres(database_url)
    load = os.getloadavg()[0]
    print(f"scheduler: {args.jobs:,} due jobs, database {args.database}, default look-ahead, "
          f"load average {load:.1f} on {os.cpu_count()} cores (the machine is shared)")
    print_table(
        ["scenario", "dispatched", "runs/s", "p50 late ms", "p99 late ms", "peak MB"],
        [
            [k, v["dispatched"], v["rate"], v["p50_ms"], v["p99_ms"], v["rss_mb"]]
            for k, v in results.items()
        ],
    )
    burst, steady = results.values()
    report = Report()
    report.target("scheduler_dispatch_per_sec", burst["rate"], goal=5000)
    report.target("scheduler_p99_lateness_ms", steady["p99_ms"], goal=100, higher_is_better=False)
    report.figure("burst_p99_lateness_ms", burst["p99_ms"])
    report.figure("database", args.database)
    report.figure("load_average_1m", round(load, 2))
    report.emit()


def _drop_postgres(url: str) -> None:
    """The bench's database goes when it ends (it was left behind, one per run)."""
    import psycopg

    from backend.core.db import dispose_engines

    dispose_engines()
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres",
                         autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def _reset_postgres(url: str) -> None:
    from sqlmodel import SQLModel

    import backend.models  # noqa: F401
    from backend.core.db import get_engine

    engine = get_engine(url)
    with engine.begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            conn.execute(table.delete())


if __name__ == "__main__":
    main()
