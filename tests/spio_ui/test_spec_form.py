"""Form fields of the job editor write typed values where the validator expects them."""

from __future__ import annotations

import pytest

from backend.core.errors import InvalidInput
from backend.jobs.validation import parse_spec
from spio_ui.spec_form import apply_field, form_values


def _spec() -> dict[str, object]:
    return {
        "job_id": "j",
        "workflow": "noop",
        "schedule": {"cron": "0 6 * * *", "timezone": "Asia/Jakarta"},
    }


def test_form_shows_the_spec() -> None:
    values = form_values(_spec())
    assert values["schedule"] == "cron: 0 6 * * *"
    assert values["enabled"] == "true"
    assert values["inputs.allow_overlap"] == "false"


def test_schedule_switches_between_cron_and_interval_keeping_timezone() -> None:
    spec = _spec()
    apply_field(spec, "schedule", "interval_sec: 300")
    assert spec["schedule"] == {"interval_sec": 300, "timezone": "Asia/Jakarta"}
    parse_spec(spec)
    apply_field(spec, "schedule", "cron: */5 * * * *")
    assert spec["schedule"] == {"cron": "*/5 * * * *", "timezone": "Asia/Jakarta"}


def test_typed_fields_and_optional_removal() -> None:
    spec = _spec()
    apply_field(spec, "retry_policy.backoff_sec", "30, 60, 120")
    apply_field(spec, "inputs.flow_group", "pricing_team")
    apply_field(spec, "inputs.flow_max_active_runs", "3")
    apply_field(spec, "inputs.allow_overlap", True)
    parsed = parse_spec(spec).spec
    assert parsed.retry_policy.backoff_sec == [30, 60, 120]
    assert parsed.inputs.flow_group == "pricing_team"
    apply_field(spec, "inputs.flow_group", "")
    assert "flow_group" not in spec["inputs"]  # type: ignore[operator]


def test_bad_values_reach_the_validator_with_their_path() -> None:
    spec = _spec()
    apply_field(spec, "timeout_ms", "soon")
    with pytest.raises(InvalidInput) as caught:
        parse_spec(spec)
    assert [e.path for e in caught.value.errors] == ["timeout_ms"]
