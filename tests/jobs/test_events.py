"""Event intake: an event is recorded once, starts one run of each job it matches with
the event as input, and a burst is queued within the flow caps, never dropped, never
run twice."""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor

import orjson
import pytest
from sqlalchemy import func, or_
from sqlmodel import col, select

from backend.core.db import session_scope
from backend.jobs import service
from backend.jobs.events import ingest_event
from backend.jobs.validation import parse_spec
from backend.models import Event, IdempotencyRecord, Job, Run
from backend.scheduler.service import SchedulerService
from backend.services.queues import dramatiq_namespace, queue_name
from backend.worker.lifecycle import execute_run

BOTH = pytest.mark.parametrize("backend_kind", ["sqlite", "postgres"], indirect=True)


def make_job(job_id: str, trigger: dict, **inputs) -> None:
    spec = {"job_id": job_id, "workflow": "noop", "trigger": trigger, "inputs": inputs}
    with session_scope() as session:
        service.create_job(session=session, parsed=parse_spec(spec), actor="test")


def order(n: int, *, platform: str = "shopee", kind: str = "order.paid", **extra):
    return ingest_event(source=f"{platform}:shop-1", event_id=f"o{n}:{kind}", kind=kind,
                        data={"platform": platform, "order_id": f"o{n}", **extra})


def take_messages(client) -> list[int]:
    """What a worker would take off the normal queue: the run ids of its messages."""
    queue = f"{dramatiq_namespace()}:{queue_name('normal')}"
    ids = client.lrange(queue, 0, -1)
    if not ids:
        return []
    client.ltrim(queue, len(ids), -1)
    bodies = client.hmget(f"{queue}.msgs", ids)
    client.hdel(f"{queue}.msgs", *ids)
    return [orjson.loads(body)["args"][0] for body in bodies]


def count(model, *where) -> int:
    with session_scope() as session:
        return int(session.exec(select(func.count()).select_from(model).where(*where)).one())


@BOTH
def test_an_event_starts_each_matching_job_once_with_the_event_as_input(env):
    make_job("thanks", {"event": "order.paid", "platforms": ["shopee"]})
    make_job("lazada-only", {"event": "order.paid", "platforms": ["lazada"]})
    make_job("created", {"event": "order.created"})
    make_job("paused", {"event": "order.paid"})
    with session_scope() as session:
        service.set_paused(session=session, job_id="paused", paused=True)
    first = order(1)
    assert not first.duplicate and first.jobs == ["thanks"] and len(first.runs) == 1
    again = order(1)  # the platform delivers it again
    assert again.duplicate and again.event == first.event and again.runs == []
    assert count(Event) == 1 and count(Run) == 1
    with session_scope() as session:
        run = session.get(Run, first.runs[0])
        assert (run.trigger, run.event_id, run.status) == ("event", first.event, "queued")
    SchedulerService().run_once()
    assert execute_run(first.runs[0]) == "succeeded"
    with session_scope() as session:
        run = session.get(Run, first.runs[0])
        assert run.result["event"] == "o1:order.paid"
        record = session.get(IdempotencyRecord, "noop:event:thanks:shopee:shop-1:o1:order.paid")
        assert record is not None and record.run_id == run.id


def test_a_job_without_overlap_runs_its_events_one_after_another(env):
    make_job("serial", {"event": "order.created"})
    ids = [order(n, kind="order.created").runs[0] for n in range(5)]
    scheduler = SchedulerService()
    finished = []
    for _ in range(20):
        report = scheduler.run_once()
        assert len(report.dispatched_ids) <= 1
        assert count(Run, Run.job_id == "serial", or_(
            Run.status == "running", col(Run.dispatched_at).is_not(None)
            & (Run.status == "queued"))) <= 1
        for run_id in take_messages(scheduler.client):
            assert execute_run(run_id) == "succeeded"
            finished.append(run_id)
        if len(finished) == 5:
            break
    assert finished == ids  # in the order they arrived, none skipped


@BOTH
def test_a_burst_of_1000_events_is_queued_within_the_flow_cap_and_runs_once_each(env):
    cap = 4
    make_job("burst", {"event": "order.paid"}, flow_group="orders", flow_max_active_runs=cap,
             allow_overlap=True)
    # 1,000 orders from 8 senders at once, 300 of them delivered a second time
    deliveries = list(range(1000)) + random.Random(7).sample(range(1000), 300)
    random.Random(8).shuffle(deliveries)
    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(order, deliveries))
    assert sum(1 for o in outcomes if o.duplicate) == 300
    assert count(Event) == 1000 and count(Run, Run.job_id == "burst") == 1000

    scheduler = SchedulerService()
    most_active = 0
    lock = threading.Lock()
    with ThreadPoolExecutor(cap) as workers:
        for _ in range(2000):
            scheduler.run_once()
            active = count(Run, Run.flow_group == "orders", or_(
                Run.status == "running",
                (Run.status == "queued") & col(Run.dispatched_at).is_not(None)))
            with lock:
                most_active = max(most_active, active)
            assert active <= cap
            list(workers.map(execute_run, take_messages(scheduler.client)))
            if count(Run, Run.status == "queued") == 0:
                break
    assert most_active == cap
    with session_scope() as session:
        statuses = dict(session.exec(select(Run.status, func.count())
                                     .group_by(Run.status)).all())
        per_event = session.exec(select(Run.event_id, func.count()).group_by(Run.event_id)
                                 .having(func.count() > 1)).all()
        keys = session.exec(select(func.count()).select_from(IdempotencyRecord).where(
            col(IdempotencyRecord.key).startswith("noop:event:burst:"))).one()
        assert session.get(Job, "burst").consecutive_failures == 0
    assert statuses == {"succeeded": 1000} and per_event == [] and keys == 1000


@BOTH
def test_old_events_whose_runs_ended_are_pruned_and_new_ones_still_start_runs(env):
    from datetime import timedelta

    from sqlalchemy import update

    from backend.jobs.events import prune_events
    from backend.models.types import utcnow

    make_job("paid", {"event": "order.paid"})
    old_done, old_active, recent = order(1), order(2), order(3)
    execute_run(old_done.runs[0])
    long_ago = utcnow() - timedelta(days=40)
    with session_scope() as session:
        session.execute(update(Event).where(col(Event.id).in_([old_done.event,
                                                               old_active.event]))
                        .values(received_at=long_ago))
    assert prune_events(before=utcnow() - timedelta(days=30)) == 1
    with session_scope() as session:
        kept = set(session.exec(select(Event.event_id)).all())
        done_run = session.get(Run, old_done.runs[0])
        assert done_run is not None
        done_status, done_event = done_run.status, done_run.event_id
    # The queued run's event stays (its run still reads it); the recent one too.
    assert kept == {"o2:order.paid", "o3:order.paid"} and recent.runs
    assert done_status == "succeeded" and done_event is None
    # A later order is recorded and starts its run as before.
    assert len(order(4).runs) == 1
