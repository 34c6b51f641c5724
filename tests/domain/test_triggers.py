"""Event triggers in the job spec: what is accepted, what is refused (with the field
named), and which events start a run of a job."""

from __future__ import annotations

import pytest

from backend.core.errors import InvalidInput
from backend.domain.triggers import EVENT_KINDS, EventTrigger, matches
from backend.jobs.validation import parse_spec


def _parse(trigger, **extra):
    return parse_spec({"job_id": "t", "workflow": "noop", "trigger": trigger, **extra})


def _errors(trigger, **extra):
    with pytest.raises(InvalidInput) as caught:
        _parse(trigger, **extra)
    return [(e.path, e.message) for e in caught.value.errors]


def test_every_event_kind_is_accepted_and_stored_with_its_defaults():
    assert len(EVENT_KINDS) == 7
    for kind in EVENT_KINDS:
        stored = _parse({"event": kind}).spec.public_dict()["trigger"]
        assert stored["event"] == kind
    # defaults apply where read and are not written into the spec, so a merge patch
    # that switches the event carries none of them over
    assert _parse({"event": "webhook"}).spec.public_dict()["trigger"] == {"event": "webhook"}
    low = _trigger(event="stock.low")
    assert matches(low, kind="stock.low", data={"stock": 5})
    assert not matches(low, kind="stock.low", data={"stock": 6})


def test_a_schedule_written_as_the_trigger_is_the_schedule():
    spec = _parse({"cron": "0 6 * * *"}).spec
    assert spec.trigger is None and spec.schedule.cron == "0 6 * * *"
    assert "trigger" not in spec.public_dict()
    # its mistakes name the trigger, with the cron suggestion as for schedule.cron
    (path, message), = _errors({"cron": "0 9 * * 11-24"})
    assert path == "trigger.cron" and "day-of-week" in message


def test_unknown_events_and_misplaced_options_are_422_naming_the_field():
    (path, message), = _errors({"event": "order.shipped"})
    assert path == "trigger.event" and "order.paid" in message and "webhook" in message
    (path, message), = _errors({"event": "order.paid", "threshold": 3})
    assert path == "trigger" and "threshold applies only to stock.low" in message
    (path, _), = _errors({"event": "webhook", "secret_mode": "basic"})
    assert path == "trigger.secret_mode"
    (path, _), = _errors({"event": "webhook", "replay_window_sec": 5})
    assert path == "trigger.replay_window_sec"
    (path, message), = _errors({"event": "order.paid", "filter": {"bad key": 1}})
    assert path == "trigger.filter" and "bad key" in message
    (path, _), = _errors({"event": "stock.low", "threshold": -1})
    assert path == "trigger.threshold"
    (path, _), = _errors({})
    assert path == "trigger.event"
    (path, message), = _errors({"interval_sec": 60}, schedule={"interval_sec": 5})
    assert path == "trigger" and "keep one" in message


def test_an_event_trigger_beside_a_schedule_is_kept_both():
    spec = _parse({"event": "order.paid"}, schedule={"interval_sec": 3600}).spec
    assert spec.trigger.event == "order.paid" and spec.schedule.interval_sec == 3600


def test_seed_shaped_specs_are_unchanged():
    spec = parse_spec({"job_id": "s", "workflow": "noop",
                       "schedule": {"interval_sec": 300}}).spec.public_dict()
    assert "trigger" not in spec and spec["schedule"]["interval_sec"] == 300


def _trigger(**fields):
    return EventTrigger.model_validate(fields)


def test_matching_kind_platforms_and_filter():
    paid = _trigger(event="order.paid", platforms=["shopee"], filter={"shop": ["toko-a", "B"]})
    assert matches(paid, kind="order.paid", data={"platform": "Shopee", "shop": "toko-a"})
    assert matches(paid, kind="order.paid", data={"platform": "shopee", "shop": "b"})
    assert not matches(paid, kind="order.created", data={"platform": "shopee", "shop": "toko-a"})
    assert not matches(paid, kind="order.paid", data={"platform": "lazada", "shop": "toko-a"})
    assert not matches(paid, kind="order.paid", data={"platform": "shopee", "shop": "c"})
    nested = _trigger(event="webhook", filter={"customer.city": "Bandung", "vip": True})
    assert matches(nested, kind="webhook", data={"customer": {"city": "bandung"}, "vip": True})
    assert not matches(nested, kind="webhook", data={"customer": {"city": "bandung"}, "vip": 1})
    assert not matches(nested, kind="webhook", data={"customer": "Bandung", "vip": True})


def test_stock_low_fires_on_the_way_down_only():
    low = _trigger(event="stock.low", threshold=5)
    assert matches(low, kind="stock.low", data={"stock": 5, "previous_stock": 6})
    assert matches(low, kind="stock.low", data={"stock": 0})
    assert not matches(low, kind="stock.low", data={"stock": 4, "previous_stock": 5})
    assert not matches(low, kind="stock.low", data={"stock": 6})
    assert not matches(low, kind="stock.low", data={"stock": "many"})


def test_competitor_price_change_and_mentions():
    moved = _trigger(event="price.competitor_changed", min_change_percent=10)
    assert matches(moved, kind="price.competitor_changed",
                   data={"old_price": 100000, "new_price": 89000})
    assert not matches(moved, kind="price.competitor_changed",
                       data={"old_price": 100000, "new_price": 95000})
    assert not matches(moved, kind="price.competitor_changed", data={"new_price": 1})
    mention = _trigger(event="social.mention", keywords=["TokoKu"])
    assert matches(mention, kind="social.mention", data={"text": "barang @tokoku rusak"})
    assert not matches(mention, kind="social.mention", data={"text": "toko lain"})
