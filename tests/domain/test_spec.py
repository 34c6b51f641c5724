"""The job spec as users write it: the seed jobs, cron reasons and suggestions."""

from __future__ import annotations

import json

import pytest

from backend.core.errors import InvalidInput
from backend.domain.cron import check_cron, suggest_cron
from backend.jobs.validation import parse_spec
from tests.conftest import SEED_JOBS


def _seed(name: str) -> dict:
    return json.loads((SEED_JOBS / f"{name}.json").read_text())


@pytest.mark.parametrize(
    ("name", "workflow"),
    [
        ("ecommerce-price-intelligence", "price_intelligence"),
        ("daily-bi-report", "bi_report"),
        ("product-catalog-sync", "catalog_sync"),
        ("social-media-crisis-monitor", "crisis_monitor"),
    ],
)
def test_seed_jobs_are_accepted_as_written_and_their_workflow_inferred(name, workflow):
    parsed = parse_spec(_seed(name))
    assert parsed.spec.workflow == workflow
    assert parsed.workflow_inferred
    assert parsed.inference_reason
    # nothing the user wrote is dropped
    assert parsed.spec.public_dict()["inputs"].items() >= _seed(name)["inputs"].items()


def test_campaign_cron_is_refused_with_path_reason_and_date_fix():
    with pytest.raises(InvalidInput) as caught:
        parse_spec(_seed("black-friday-campaign-2026"))
    (error,) = caught.value.errors
    assert error.path == "schedule.cron"
    assert "day-of-week" in error.message and "0-7" in error.message
    assert error.suggestion == "0 9 24 11 *"


def test_suggestion_without_dates_reads_the_weekday_field_as_month_day():
    assert suggest_cron("0 9 * * 11-24") == "0 9 24 11 *"
    assert suggest_cron("0 0 9 * * *") == "0 9 * * *"  # leading seconds field dropped
    assert suggest_cron("0 24 * * *") == "0 0 * * *"


@pytest.mark.parametrize(
    ("expr", "field"),
    [("61 * * * *", "minute"), ("* 24 * * *", "hour"), ("* * 0 * *", "day-of-month"),
     ("* * * 13 *", "month"), ("* * * * 8", "day-of-week"), ("*/0 * * * *", "minute"),
     ("* * * *", "cron"), ("x * * * *", "minute")],
)
def test_each_invalid_field_is_named(expr, field):
    problem = check_cron(expr)
    assert problem is not None and problem.field == field


@pytest.mark.parametrize("expr", ["0 6 * * *", "*/5 * * * 1-5", "0 9 24 11 *", "@daily",
                                  "0 8 * * mon", "0 0 1 jan-mar *", "15,45 * * * 7"])
def test_valid_cron_passes(expr):
    assert check_cron(expr) is None


def test_every_problem_is_listed_with_its_path():
    with pytest.raises(InvalidInput) as caught:
        parse_spec({"job_id": "../etc", "schedule": {"interval_sec": 0}, "timeout_ms": -1,
                    "retry_policy": {"max_retry": 2, "backoff_sec": [-5]},
                    "inputs": {"pressure_priority": "urgent", "flow_max_active_runs": 0}})
    paths = {e.path for e in caught.value.errors}
    assert {"job_id", "schedule.interval_sec", "timeout_ms", "retry_policy.backoff_sec",
            "inputs.pressure_priority", "inputs.flow_max_active_runs"} <= paths


def test_schedule_needs_exactly_one_trigger_and_a_known_zone():
    with pytest.raises(InvalidInput) as caught:
        parse_spec({"job_id": "a", "schedule": {"interval_sec": 5, "cron": "* * * * *"}})
    assert caught.value.errors[0].path == "schedule"
    with pytest.raises(InvalidInput) as caught:
        parse_spec({"job_id": "a", "schedule": {"cron": "0 6 * * *", "timezone": "Mars/Base"}})
    assert caught.value.errors[0].path == "schedule.timezone"


def test_unknown_top_level_field_is_refused_not_ignored():
    with pytest.raises(InvalidInput) as caught:
        parse_spec({"job_id": "a", "schedul": {"interval_sec": 5}})
    assert caught.value.errors[0].path == "schedul"


def test_backoff_list_repeats_its_last_value():
    spec = parse_spec({"job_id": "a", "retry_policy": {"max_retry": 4, "backoff_sec": [5, 10]}})
    policy = spec.spec.retry_policy
    assert [policy.delay_for(retry_number=n) for n in (1, 2, 3, 4)] == [5, 10, 10, 10]
