"""What must hold in the runs table after any run of the system, however it was attacked.

Checked from the database alone (runs and attempts), so the CI tests and bench/soak.py
judge a run the same way:

- no double fire: one run per (job, occurrence), consecutive scheduled occurrences of an
  interval job at least the interval apart, no run that succeeded twice;
- no overlap where ``allow_overlap`` is false: the attempts of different runs of such a
  job never run at the same time;
- flow-group caps: at no instant more attempts of a group run than its cap;
- every run ended honestly: succeeded, or failed / timed out after its attempts, or
  skipped with a reason (nothing left running or queued once the system drained).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from backend.core.db import session_scope
from backend.models import Job, Run, RunAttempt

__all__ = ["Violations", "check_runs", "max_concurrency"]

# Timestamps of one attempt's end and the next one's start come from different processes;
# a few milliseconds of apparent overlap is clock granularity, not two runs at once.
_SLACK = timedelta(milliseconds=5)


@dataclass
class Violations:
    """Everything that broke an invariant (empty lists mean the run was clean)."""

    double_fires: list[str] = field(default_factory=list)
    succeeded_twice: list[int] = field(default_factory=list)
    overlaps: list[str] = field(default_factory=list)
    cap_exceeded: list[str] = field(default_factory=list)
    unfinished: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    peak_by_group: dict[str, int] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        return not (self.double_fires or self.succeeded_twice or self.overlaps
                    or self.cap_exceeded or self.unfinished)

    def summary(self) -> dict[str, Any]:
        return {
            "double_fires": len(self.double_fires),
            "succeeded_twice": len(self.succeeded_twice),
            "overlaps": len(self.overlaps),
            "cap_exceeded": len(self.cap_exceeded),
            "unfinished": len(self.unfinished),
            "runs": self.counts,
            "peak_by_group": self.peak_by_group,
            "examples": (self.double_fires + self.overlaps + self.cap_exceeded
                         + self.unfinished)[:5],
        }


def max_concurrency(intervals: list[tuple[datetime, datetime]]) -> int:
    """The most intervals open at one instant (an end at t closes before a start at t)."""
    events: list[tuple[datetime, int]] = []
    for start, end in intervals:
        events.append((start, 1))
        events.append((max(start, end - _SLACK), -1))
    peak = current = 0
    for _, delta in sorted(events, key=lambda e: (e[0], e[1])):
        current += delta
        peak = max(peak, current)
    return peak


def check_runs(*, now: datetime, require_drained: bool = True) -> Violations:
    """Judge every run in the configured database (see the module docstring)."""
    v = Violations()
    with session_scope() as session:
        jobs = {j.job_id: j for j in session.exec(select(Job)).all()}
        runs = session.exec(select(Run).order_by(col(Run.id))).all()
        attempts = session.exec(select(RunAttempt).order_by(col(RunAttempt.id))).all()
        dupes = session.exec(
            select(Run.job_id, Run.scheduled_for, func.count())
            .where(Run.trigger == "schedule")
            .group_by(Run.job_id, Run.scheduled_for).having(func.count() > 1)
        ).all()
    v.double_fires += [f"{j} at {t.isoformat()} fired {n} times" for j, t, n in dupes]
    by_id = {r.id: r for r in runs}
    for r in runs:
        v.counts[r.status] = v.counts.get(r.status, 0) + 1

    # Consecutive scheduled occurrences of an interval job at least an interval apart.
    fired: dict[str, list[datetime]] = defaultdict(list)
    for r in runs:
        if r.trigger == "schedule":
            fired[r.job_id].append(r.scheduled_for)
    for job_id, times in fired.items():
        interval = (jobs[job_id].spec.get("schedule") or {}).get("interval_sec") \
            if job_id in jobs else None
        if not interval:
            continue
        times.sort()
        for a, b in zip(times, times[1:], strict=False):
            if (b - a).total_seconds() < float(interval) - 0.001:
                v.double_fires.append(f"{job_id}: {a.isoformat()} then {b.isoformat()}")

    succeeded: dict[int, int] = defaultdict(int)
    spans_by_job: dict[str, list[tuple[int, datetime, datetime]]] = defaultdict(list)
    spans_by_group: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for a in attempts:
        run = by_id.get(a.run_id)
        if run is None:
            continue
        if a.status == "succeeded":
            succeeded[a.run_id] += 1
        # An attempt whose worker died is written when another worker takes the run
        # over, without its start; the first one started when the run did.
        start = a.started_at or (run.started_at if a.number == 1 else None)
        if start is None:
            continue
        end = a.finished_at or now
        spans_by_job[run.job_id].append((run.id, start, end))
        if run.flow_group and run.flow_max_active_runs:
            spans_by_group[run.flow_group].append((start, end))
    v.succeeded_twice = sorted(rid for rid, n in succeeded.items() if n > 1)

    for job_id, spans in spans_by_job.items():
        job = jobs.get(job_id)
        if job is None or job.allow_overlap:
            continue
        spans.sort(key=lambda s: s[1])
        for (rid_a, _, end_a), (rid_b, start_b, _) in zip(spans, spans[1:], strict=False):
            if rid_a != rid_b and start_b + _SLACK < end_a:
                v.overlaps.append(f"{job_id}: run {rid_b} started before run {rid_a} ended")

    caps = {r.flow_group: r.flow_max_active_runs for r in runs
            if r.flow_group and r.flow_max_active_runs}
    for group, spans in spans_by_group.items():
        peak = max_concurrency(spans)
        v.peak_by_group[group] = peak
        if peak > caps[group]:
            v.cap_exceeded.append(f"group {group}: {peak} at once, cap {caps[group]}")

    if require_drained:
        v.unfinished = [f"run {r.id} of {r.job_id} still {r.status}" for r in runs
                        if r.status in ("queued", "running")]
    for r in runs:
        if r.status == "skipped" and not r.skip_reason:
            v.unfinished.append(f"run {r.id} skipped without a reason")
    return v
