"""Specs whose schedule can never do its work are refused, naming both fields and a fix;
unknown types and workflows are refused with the known ones listed."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from backend.core.errors import InvalidInput
from backend.jobs.validation import parse_spec
from tests.conftest import SEED_JOBS

NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)  # Monday 10:00 in Jakarta


def _campaign(schedule: dict, start: str, end: str) -> dict:
    return {"job_id": "promo", "workflow": "campaign", "schedule": schedule,
            "inputs": {"campaign": {"name": "Promo Black Friday 2027", "start_date": start,
                                    "end_date": end}, "channels": ["whatsapp"]}}  # fmt: skip


def _refused(spec: dict) -> dict[str, InvalidInput]:
    with pytest.raises(InvalidInput) as caught:
        parse_spec(spec, now=NOW)
    return {e.path: e for e in caught.value.errors}  # type: ignore[misc]


def test_a_send_before_its_campaign_window_names_both_fields_and_fixes():
    # The example: sent 24 Nov 09:00, window Black Friday 26 Nov 2027.
    spec = _campaign({"at": "2027-11-24T09:00:00+07:00"}, "2027-11-26T00:00:00+07:00",
                     "2027-11-26T23:59:59+07:00")  # fmt: skip
    errors = _refused(spec)
    assert set(errors) == {"schedule.at", "inputs.campaign.start_date"}
    message = errors["schedule.at"].message
    assert "inputs.campaign.start_date" in message and "send nothing" in message
    assert errors["schedule.at"].suggestion == "2027-11-26T09:00:00+07:00"  # inside the window
    assert errors["inputs.campaign.start_date"].suggestion == "2027-11-24T00:00:00+07:00"
    fixed = _campaign({"at": errors["schedule.at"].suggestion}, "2027-11-26T00:00:00+07:00",
                      "2027-11-26T23:59:59+07:00")  # fmt: skip
    assert parse_spec(fixed, now=NOW).spec.workflow == "campaign"
    moved = _campaign({"at": "2027-11-24T09:00:00+07:00"},
                      errors["inputs.campaign.start_date"].suggestion, "2027-11-26T23:59:59+07:00")
    assert parse_spec(moved, now=NOW).spec.workflow == "campaign"


def test_a_cron_that_fires_after_the_window_is_refused():
    spec = _campaign({"cron": "0 9 24 11 *"}, "2026-11-24T00:00:00Z", "2026-11-24T23:59:59Z")
    errors = _refused(spec)
    assert "next fires 2027-11-24T09:00:00+07:00" in errors["schedule.cron"].message
    assert errors["inputs.campaign.end_date"].suggestion == "2027-11-24T23:59:59+07:00"


def test_an_at_in_the_past_and_an_end_before_its_start():
    errors = _refused({"job_id": "j", "workflow": "noop", "schedule": {"at": "2026-12-01T09:00"}})
    assert "in the past" in errors["schedule.at"].message and errors["schedule.at"].suggestion
    # a few minutes late is still "now"
    assert parse_spec({"job_id": "j", "workflow": "noop",
                       "schedule": {"at": "2026-12-07T09:58:00+07:00"}}, now=NOW)  # fmt: skip
    errors = _refused({"job_id": "j", "workflow": "noop", "schedule": {
        "interval_sec": 60, "start_at": "2026-12-10T00:00:00Z", "end_at": "2026-12-09T00:00:00Z"}})
    assert set(errors) == {"schedule.end_at", "schedule.start_at"}
    assert "schedule.start_at" in errors["schedule.end_at"].message
    errors = _refused(_campaign({"interval_sec": 3600}, "2027-01-02T00:00:00Z",
                                "2027-01-01T00:00:00Z"))  # fmt: skip
    assert set(errors) == {"inputs.campaign.end_date", "inputs.campaign.start_date"}


def test_seeds_are_accepted_and_the_campaign_fixed_by_its_suggestions():
    for path in sorted(SEED_JOBS.glob("*.json")):
        spec = json.loads(path.read_text())
        if path.stem != "black-friday-campaign-2026":
            parse_spec(spec, now=NOW)
            continue
        # The invalid cron stays a 422 with its fix; the fixed cron fires after the seed's
        # (past) window, which is refused with the window moved as the fix.
        errors = _refused(spec)
        spec["schedule"]["cron"] = errors["schedule.cron"].suggestion
        errors = _refused(spec)
        for key in ("start_date", "end_date"):
            spec["inputs"]["campaign"][key] = errors[f"inputs.campaign.{key}"].suggestion
        assert parse_spec(spec, now=NOW).spec.workflow == "campaign"


def test_unknown_type_and_workflow_list_the_known_ones():
    errors = _refused({"job_id": "j", "type": "unknown.kind"})
    assert "known types" in errors["type"].message and "report.daily" in errors["type"].message
    errors = _refused({"job_id": "j", "workflow": "teleport"})
    assert "known workflows" in errors["workflow"].message
    assert "price_intelligence" in errors["workflow"].message
