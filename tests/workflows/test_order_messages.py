"""Order-triggered messages: a paid order thanks its buyer once on a consented channel; an
order left unpaid N hours gets a reminder unless it was paid meanwhile; a reminded order
that is paid later counts in the reminder's revenue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from sqlmodel import select

from backend.core.db import session_scope
from backend.jobs import service
from backend.jobs.events import ingest_event, run_due
from backend.jobs.validation import parse_spec
from backend.models import Run, SentMessage
from backend.tools.revenue import RevenueTool
from backend.worker.lifecycle import execute_run
from tests.workflows.conftest import run_detail


def _job(job_id: str, trigger: dict, **inputs) -> None:
    spec = {"job_id": job_id, "workflow": "campaign", "trigger": trigger,
            "inputs": {"channels": ["whatsapp", "telegram", "email"],
                       "campaign": {"name": job_id}, **inputs}}
    with session_scope() as session:
        service.create_job(session=session, parsed=parse_spec(spec), actor="test")


def _buyer(admin: httpx.Client, channel: str) -> dict:
    """A CRM customer who consented to ``channel`` and prefers it."""
    page = admin.get("/crm/api/v1/customers", params={"consent": channel, "channel": channel,
                                                      "per_page": 5},
                     headers={"X-API-Key": _crm_key()}).json()["data"]
    return page[0]


def _crm_key() -> str:
    from backend.sandbox.credentials import CREDENTIALS

    return str(CREDENTIALS["crm"]["api_key"])


def _order(admin: httpx.Client, order_id: str, status: str, customer: str) -> dict:
    answer = admin.post("/_admin/orders", json={"platform": "lazada", "order_id": order_id,
                                                "status": status, "customer_id": customer})
    assert answer.status_code == 200, answer.text
    return answer.json()["order"]


def _event(order_id: str, kind: str, *, source: str = "lazada:shop-1") -> list[int]:
    return ingest_event(source=source, event_id=f"{order_id}:{kind}", kind=kind,
                        data={"platform": "lazada", "order_id": order_id}).runs


def _run_now(run_id: int) -> dict:
    with session_scope() as session:  # as if the delay had passed
        run = session.get(Run, run_id)
        assert run is not None
        run.not_before = None
        session.add(run)
    assert execute_run(run_id) == "succeeded", run_detail(run_id).run.error
    result = run_detail(run_id).run.result
    assert isinstance(result, dict)
    return result


def _sent(prefix: str) -> list[SentMessage]:
    with session_scope() as session:
        rows = session.exec(select(SentMessage).where(SentMessage.state == "sent")).all()
    return [r for r in rows if r.key.startswith(prefix)]


def test_a_paid_order_is_thanked_once_on_the_buyers_channel(wf_env, admin):
    _job("thanks", {"event": "order.paid"})
    buyer = _buyer(admin, "whatsapp")
    _order(admin, "L100", "PAID", buyer["id"])
    runs = _event("L100", "order.paid")
    assert len(runs) == 1
    first = _run_now(runs[0])
    assert first["sent"] == 1 and first["by_channel"] == {"whatsapp": 1}
    assert _event("L100", "order.paid") == []  # a re-delivered push starts nothing
    # The same order reported again by another system: a run, and no second message.
    again = _run_now(_event("L100", "order.paid", source="oms:erp")[0])
    assert again["sent"] == 0 and again["nothing_done"]["key"] == "order_message_already_sent"
    sent = _sent("campaign:thanks:")
    assert len(sent) == 1 and sent[0].recipient == buyer["phone"]
    counters = admin.get("/_admin/counters").json()
    assert counters["messages_total"].get("whatsapp") == 1
    # A second order of the same buyer is thanked too.
    _order(admin, "L101", "PAID", buyer["id"])
    assert _run_now(_event("L101", "order.paid")[0])["sent"] == 1
    assert len(_sent("campaign:thanks:")) == 2


def test_an_unpaid_order_is_reminded_after_the_delay_unless_paid(wf_env, admin):
    _job("reminder", {"event": "order.created", "delay_sec": 3 * 3600})
    _job("thanks", {"event": "order.paid"})
    buyer = _buyer(admin, "telegram")
    before = datetime.now(UTC)
    _order(admin, "L200", "UNPAID", buyer["id"])
    [reminder] = _event("L200", "order.created")
    with session_scope() as session:
        run = session.get(Run, reminder)
        assert run is not None and run.not_before is not None
        assert timedelta(hours=3) <= run.not_before - before < timedelta(hours=3, minutes=1)
    sent = _run_now(reminder)
    assert sent["message"] == "cart_reminder" and sent["by_channel"] == {"telegram": 1}
    # The reminded order is paid: its revenue counts for the reminder's campaign.
    order = _order(admin, "L200", "PAID", buyer["id"])
    assert _run_now(_event("L200", "order.paid")[0])["sent"] == 1
    totals = RevenueTool()._totals(_orders_of("reminder:reminder"))
    assert totals.orders == 1 and totals.revenue == order["total"] > 0
    # An order paid before its reminder is due gets none.
    _order(admin, "L201", "UNPAID", buyer["id"])
    [late] = _event("L201", "order.created")
    _order(admin, "L201", "PAID", buyer["id"])
    skipped = _run_now(late)
    assert skipped["sent"] == 0 and skipped["nothing_done"]["key"] == "order_message_paid"
    assert len(_sent("campaign:reminder:")) == 1


def _orders_of(campaign_id: str):
    from backend.models import RevenueOrder

    return RevenueOrder.__table__.c.campaign_id == campaign_id  # type: ignore[attr-defined]


def test_quiet_hours_hold_an_event_run_until_they_end(env):
    spec = parse_spec({"job_id": "q", "workflow": "campaign", "trigger": {"event": "order.paid"},
                       "inputs": {"quiet_hours": {"start": "21:00", "end": "08:00"}}}).spec
    at_night = datetime(2026, 12, 7, 16, 30, tzinfo=UTC)  # 23:30 WIB
    assert run_due(spec, at=at_night) == datetime(2026, 12, 8, 1, 0, tzinfo=UTC)  # 08:00 WIB
    assert run_due(spec, at=datetime(2026, 12, 7, 5, 0, tzinfo=UTC)) is None  # 12:00 WIB
    delayed = parse_spec({"job_id": "d", "workflow": "campaign",
                          "trigger": {"event": "order.created", "delay_sec": 7200},
                          "inputs": {"quiet_hours": {"start": "21:00", "end": "08:00"}}}).spec
    # 20:00 WIB + 2 h = 22:00, inside the quiet hours: 08:00 the next morning
    assert run_due(delayed, at=datetime(2026, 12, 7, 13, 0, tzinfo=UTC)) == \
        datetime(2026, 12, 8, 1, 0, tzinfo=UTC)
