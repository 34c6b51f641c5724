"""Scheduler ticks driven directly (no loop, no clock): overlap, flow groups, pressure,
priorities, missed runs, orphans, and two schedulers firing each occurrence once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from backend.core.db import session_scope
from backend.jobs import service
from backend.jobs.validation import parse_spec
from backend.models import Job, Run
from backend.models.types import utcnow
from backend.scheduler.service import SchedulerService
from backend.services.queues import queue_depths

BOTH = pytest.mark.parametrize("backend_kind", ["sqlite", "postgres"], indirect=True)


def make_job(job_id: str, *, due_in: float = -0.5, **inputs) -> None:
    spec = {"job_id": job_id, "workflow": "noop", "schedule": {"interval_sec": 10},
            "inputs": inputs}
    with session_scope() as session:
        job = service.create_job(session=session, parsed=parse_spec(spec), actor="test")
        job.next_run_at = utcnow() + timedelta(seconds=due_in)


def runs(job_id: str | None = None) -> list[Run]:
    with session_scope() as session:
        query = select(Run).order_by(Run.id)
        if job_id:
            query = query.where(Run.job_id == job_id)
        return list(session.exec(query).all())


@BOTH
def test_due_interval_job_fires_once_and_advances_on_its_grid(env):
    make_job("a")
    scheduler = SchedulerService()
    with session_scope() as session:
        due = session.get(Job, "a").next_run_at
    report = scheduler.run_once()
    assert report.fired == 1 and report.dispatched == 1
    assert scheduler.run_once().fired == 0
    (run,) = runs("a")
    assert run.scheduled_for == due and run.dispatched_at is not None
    with session_scope() as session:
        assert session.get(Job, "a").next_run_at == due + timedelta(seconds=10)
    assert queue_depths(scheduler.client)["normal"] == 1


@BOTH
def test_overlap_false_records_skips_while_a_run_is_active(env):
    make_job("solo")
    scheduler = SchedulerService()
    scheduler.run_once()
    with session_scope() as session:
        job = session.get(Job, "solo")
        job.next_run_at = utcnow() - timedelta(milliseconds=1)
    report = scheduler.run_once()
    assert report.skipped == 1 and report.fired == 0
    first, second = runs("solo")
    assert first.status == "queued"
    assert second.status == "skipped" and "still active" in second.skip_reason
    assert second.finished_at is not None


@BOTH
def test_overlap_true_fires_beside_an_active_run(env):
    make_job("multi", allow_overlap=True)
    scheduler = SchedulerService()
    scheduler.run_once()
    with session_scope() as session:
        session.get(Job, "multi").next_run_at = utcnow() - timedelta(milliseconds=1)
    assert scheduler.run_once().fired == 1
    assert [r.status for r in runs("multi")] == ["queued", "queued"]


@BOTH
def test_flow_group_cap_holds_runs_until_a_slot_frees(env):
    for i in range(5):
        make_job(f"g{i}", flow_group="team", flow_max_active_runs=2)
    scheduler = SchedulerService()
    report = scheduler.run_once()
    assert report.fired == 5 and report.dispatched == 2
    assert scheduler.run_once().dispatched == 0
    dispatched = [r for r in runs() if r.dispatched_at]
    with session_scope() as session:
        done = session.get(Run, dispatched[0].id)
        done.status = "succeeded"
    assert scheduler.run_once().dispatched == 1
    assert sum(1 for r in runs() if r.dispatched_at and r.status == "queued") == 2


@BOTH
def test_priorities_go_first_and_pressure_holds_lower_ones(env, monkeypatch):
    monkeypatch.setenv("SCHEDULER_MAX_DISPATCH_PER_TICK", "2")
    from backend.core.config import get_settings

    get_settings.cache_clear()
    make_job("low", pressure_priority="low", due_in=-5)
    make_job("crit", pressure_priority="critical", due_in=-0.1)
    make_job("high", pressure_priority="high", due_in=-0.2)
    scheduler = SchedulerService()
    report = scheduler.run_once()
    assert report.dispatched == 2
    sent = {r.job_id for r in runs() if r.dispatched_at}
    assert sent == {"crit", "high"}  # most urgent first, even though "low" is latest

    monkeypatch.setenv("SCHEDULER_PRESSURE_DEPTH_HIGH", "1")
    get_settings.cache_clear()
    scheduler.lock.release()
    scheduler = SchedulerService()
    make_job("normal2", pressure_priority="normal")
    report = scheduler.run_once()  # 2 messages waiting > 1: normal and low held back
    assert report.dispatched == 0 and report.held_back == 2


@BOTH
def test_missed_occurrences_run_once_after_downtime(env):
    make_job("late", due_in=-3600)  # an hour of 10 s occurrences missed
    report = SchedulerService().run_once()
    assert report.fired == 1
    (run,) = runs("late")
    assert utcnow() - run.scheduled_for < timedelta(seconds=11)
    with session_scope() as session:
        assert session.get(Job, "late").next_run_at > utcnow()


@BOTH
def test_orphaned_running_run_is_taken_back(env):
    make_job("orph")
    scheduler = SchedulerService()
    scheduler.run_once()
    (run,) = runs("orph")
    with session_scope() as session:
        row = session.get(Run, run.id)
        row.status, row.worker_id = "running", "dead-host:1:1"
        row.heartbeat_at = utcnow() - timedelta(minutes=5)
    scheduler.lock.release()
    report = SchedulerService().run_once()  # a new leader reaps on its first tick
    assert report.requeued == 1 and report.dispatched == 1
    (run,) = runs("orph")
    assert run.status == "queued" and run.worker_id is None


@BOTH
def test_two_schedulers_fire_each_occurrence_once(env):
    for i in range(20):
        make_job(f"d{i}", allow_overlap=True)
    one, two = SchedulerService(), SchedulerService()
    assert one.run_once().leader and not two.run_once().leader
    # Even two that both believe they lead cannot fire an occurrence twice.
    from backend.scheduler.tick import tick

    for i in range(20):
        with session_scope() as session:
            session.get(Job, f"d{i}").next_run_at = utcnow() - timedelta(seconds=1)
    now = utcnow()
    with session_scope() as session:
        before = {j.job_id: j.next_run_at for j in session.exec(select(Job)).all()}
    tick(one.ticker, now=now)
    for job_id, due in before.items():
        with session_scope() as session:
            session.get(Job, job_id).next_run_at = due  # the second one read the old state
    tick(two.ticker, now=now)
    per_occurrence = {}
    for run in runs():
        per_occurrence[(run.job_id, run.scheduled_for)] = per_occurrence.get(
            (run.job_id, run.scheduled_for), 0) + 1
    assert len(per_occurrence) == 40 and set(per_occurrence.values()) == {1}
