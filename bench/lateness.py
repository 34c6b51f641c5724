"""1-second schedule, lateness at the target: a job every second, run by a real
scheduler process and worker process; lateness is when the workflow really began
minus the occurrence's scheduled time.

    .venv/bin/python bench/lateness.py [--seconds 30]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script

from bench._common import Report, print_table  # noqa: E402
from bench._install import isolated_install  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=30)
    args = parser.parse_args()
    with isolated_install() as data_dir:
        from sqlmodel import select

        from backend.core.db import session_scope
        from backend.jobs import service
        from backend.jobs.validation import parse_spec
        from backend.models import Run
        from tests.system.cluster import Cluster

        cluster = Cluster.from_environment(log_dir=Path(data_dir) / "logs")
        cluster.start_scheduler()
        cluster.start_worker("worker", threads=4)
        try:
            cluster.wait_ready(workers=1)
            with session_scope() as session:
                service.create_job(session=session, parsed=parse_spec(
                    {"job_id": "every-second", "workflow": "noop",
                     "schedule": {"interval_sec": 1}}), actor="bench")
            time.sleep(args.seconds + 1.5)
        finally:
            cluster.stop()
        with session_scope() as session:
            runs = session.exec(select(Run).where(Run.status == "succeeded")).all()
        late = sorted((r.result["began"] - r.scheduled_for.timestamp()) * 1000 for r in runs)
    p95 = late[int(0.95 * (len(late) - 1))]
    print(f"1-second schedule for {args.seconds} s: {len(late)} runs")
    print_table(["figure", "ms"], [["p50 lateness", statistics.median(late)],
                                   ["p95 lateness", p95], ["max lateness", late[-1]],
                                   ["min lateness", late[0]]])
    report = Report()
    report.target("one_second_schedule_p95_lateness_ms", p95, goal=25, higher_is_better=False)
    report.figure("runs", len(late))
    report.figure("p50_lateness_ms", statistics.median(late))
    report.emit()


if __name__ == "__main__":
    main()
