"""Lazada does not push orders: the poller reads its GetOrders from a cursor and records
each order's events through the same intake as a push, once per order and event."""

from __future__ import annotations

from sqlmodel import select

from backend.core.db import session_scope
from backend.jobs import service
from backend.jobs.order_poll import order_jobs_exist, poll_platform
from backend.jobs.validation import parse_spec
from backend.models import Event, Run


def _job(job_id: str, event: str) -> None:
    spec = {"job_id": job_id, "workflow": "noop", "trigger": {"event": event,
                                                             "platforms": ["lazada"]}}
    with session_scope() as session:
        service.create_job(session=session, parsed=parse_spec(spec), actor="test")


def _runs() -> dict[str, int]:
    with session_scope() as session:
        out: dict[str, int] = {}
        for run in session.exec(select(Run)).all():
            out[run.job_id] = out.get(run.job_id, 0) + 1
        return out


def _order(admin, order_id: str, status: str) -> None:
    admin.post("/_admin/orders", json={"platform": "lazada", "order_id": order_id,
                                       "status": status}).raise_for_status()


def test_the_poller_turns_lazada_orders_into_events_once(wf_env, admin):
    assert not order_jobs_exist()
    _job("placed", "order.created")
    _job("paid", "order.paid")
    assert order_jobs_exist()
    _order(admin, "LZ100", "UNPAID")
    _order(admin, "LZ101", "PAID")  # first seen already paid: placed and paid
    first = poll_platform("lazada", account="default")
    assert (first.orders, first.new_events) == (2, 3)
    assert _runs() == {"placed": 2, "paid": 1}
    again = poll_platform("lazada", account="default")  # the cursor's second re-read
    assert again.new_events == 0 and _runs() == {"placed": 2, "paid": 1}
    _order(admin, "LZ100", "PAID")
    _order(admin, "LZ102", "CANCELLED")
    third = poll_platform("lazada", account="default")
    assert third.new_events == 2  # LZ100 paid, LZ102 cancelled (nothing waits for it)
    assert _runs() == {"placed": 2, "paid": 2}
    with session_scope() as session:
        kinds = sorted((e.event_id, e.source) for e in session.exec(select(Event)).all())
    assert kinds == [("LZ100:order.created", "lazada:default"),
                     ("LZ100:order.paid", "lazada:default"),
                     ("LZ101:order.created", "lazada:default"),
                     ("LZ101:order.paid", "lazada:default"),
                     ("LZ102:order.cancelled", "lazada:default")]
    assert third.cursor >= first.cursor
