"""Triggers in the UI: the editor's form switches a job between its schedule and an event
(options the new event does not take dropped, the spec valid), shows the options in
words back; the jobs list says an event trigger in words and filters by trigger; the run
page shows the event that started the run."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from backend.core.errors import InvalidInput
from backend.jobs.validation import parse_spec
from spio_ui.pages.jobs_state import when_words
from spio_ui.pages.run_detail_state import event_view
from spio_ui.spec_form import apply_field, form_values


def _spec() -> dict:
    return {"job_id": "stock", "workflow": "catalog_sync",
            "schedule": {"interval_sec": 3600, "timezone": "Asia/Jakarta"},
            "inputs": {"platforms": ["shopee", "lazada"]}}


def test_the_form_switches_between_schedule_and_event_and_keeps_the_spec_valid():
    spec = _spec()
    assert form_values(spec)["trigger.event"] == "schedule"
    assert apply_field(spec, "trigger.event", "stock.low") is None
    assert apply_field(spec, "trigger.threshold", "3") is None
    assert apply_field(spec, "trigger.filter", "platform: shopee, lazada") is None
    assert apply_field(spec, "trigger.delay_sec", "1.5") is None
    assert spec["trigger"] == {"event": "stock.low", "threshold": 3, "delay_sec": 5400,
                               "filter": {"platform": ["shopee", "lazada"]}}
    parse_spec(spec)
    shown = form_values(spec, lang="en")
    assert shown["trigger.filter"] == "platform: shopee, lazada"
    assert shown["trigger.delay_sec"] == "1.5" and shown["trigger.threshold"] == "3"
    # Another event: the threshold (stock.low's own) goes, the filter and delay stay.
    assert apply_field(spec, "trigger.event", "order.paid") is None
    assert spec["trigger"] == {"event": "order.paid", "delay_sec": 5400,
                               "filter": {"platform": ["shopee", "lazada"]}}
    parse_spec(spec)
    # Back to the schedule only: the trigger is gone, the schedule untouched.
    assert apply_field(spec, "trigger.event", "schedule") is None
    assert "trigger" not in spec and spec["schedule"]["interval_sec"] == 3600


def test_a_filter_line_that_cannot_be_read_is_a_problem_at_the_field():
    spec = _spec()
    apply_field(spec, "trigger.event", "order.created")
    problem = apply_field(spec, "trigger.filter", "just words")
    assert problem is not None and "kolom: nilai" in problem[0] and "field: value" in problem[1]
    assert "filter" not in spec["trigger"]


def test_an_option_the_event_does_not_take_is_refused_by_the_validator():
    spec = _spec()
    apply_field(spec, "trigger.event", "order.paid")
    spec["trigger"]["threshold"] = 2  # typed in the JSON tab
    with pytest.raises(InvalidInput) as refused:
        parse_spec(spec)
    assert "threshold applies only to stock.low" in str(refused.value.errors[0].message)


def test_the_jobs_list_says_triggers_in_words():
    event_only = {"trigger": {"event": "order.created", "delay_sec": 10800}}
    assert when_words(event_only, "id") == "3 jam setelah pesanan dibuat, bila belum dibayar"
    assert when_words(event_only, "en") == "3 hours after an order is placed, if it is " \
        "still unpaid"
    both = {"schedule": {"interval_sec": 600}, "trigger": {"event": "stock.low",
                                                          "threshold": 2}}
    assert when_words(both, "en") == "every 10 minutes; every time stock runs low (stock ≤ 2)"
    assert when_words({"schedule": {"interval_sec": 600}}, "id") == "setiap 10 menit"


def test_the_run_page_shows_the_event_that_started_the_run():
    event = {"id": "2612070001ABC:order.paid", "kind": "order.paid", "source": "shopee:600100",
             "occurred_at": datetime(2026, 12, 7, 3, 0, tzinfo=UTC).isoformat(),
             "received_at": datetime(2026, 12, 7, 3, 0, 2, tzinfo=UTC).isoformat(),
             "data": {"platform": "shopee", "order_id": "2612070001ABC"}}
    shown = event_view(event, tz="Asia/Jakarta")
    assert shown["words"] == {"id": "pesanan dibayar", "en": "an order is paid"}
    assert shown["source"] == "shopee:600100" and shown["id"] == "2612070001ABC:order.paid"
    assert shown["occurred"] == "07-12-2026 10:00:00 WIB"
    assert '"order_id": "2612070001ABC"' in shown["data"]
    assert event_view(None) == {}


def test_jobs_filter_by_trigger(api):
    for job_id, extra in [("clock", {"schedule": {"interval_sec": 600}}),
                          ("paid", {"trigger": {"event": "order.paid"}}),
                          ("low", {"trigger": {"event": "stock.low"}}),
                          ("by-hand", {})]:
        assert api.post("/jobs", json={"job_id": job_id, "workflow": "noop", **extra}
                        ).status_code == 201

    def ids(trigger: str) -> list[str]:
        answer = api.get("/jobs", params={"trigger": trigger})
        assert answer.status_code == 200, answer.text
        return [j["job_id"] for j in answer.json()["items"]]

    assert ids("event") == ["low", "paid"]
    assert ids("order.paid") == ["paid"]
    assert ids("schedule") == ["by-hand", "clock"]
    bad = api.get("/jobs", params={"trigger": "sometimes"})
    assert bad.status_code == 422 and "trigger" in bad.text
