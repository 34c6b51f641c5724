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
    assert values["schedule"] == "setiap hari pukul 06:00"
    assert form_values(_spec(), lang="en")["schedule"] == "every day at 06:00"
    assert values["enabled"] == "true"
    assert values["inputs.allow_overlap"] == "false"
    assert values["timeout_ms"] == "600"  # seconds, the default 600,000 ms


def test_schedule_is_typed_in_words_and_kept_when_it_cannot_be_said_back() -> None:
    spec = _spec()
    assert apply_field(spec, "schedule", "setiap 10 menit") is None
    assert spec["schedule"] == {"interval_sec": 600, "timezone": "Asia/Jakarta"}
    assert apply_field(spec, "schedule", "every monday 9am") is None
    assert spec["schedule"] == {"cron": "0 9 * * 1", "timezone": "Asia/Jakarta"}
    assert form_values(spec)["schedule"] == "setiap Senin pukul 09:00"
    assert apply_field(spec, "schedule", "tiap hari jam 7 malam") is None
    assert spec["schedule"]["cron"] == "0 19 * * *"
    parse_spec(spec)
    problem = apply_field(spec, "schedule", "kapan-kapan")
    assert problem is not None and "tidak dipahami" in problem[0]
    assert "not understood" in problem[1]
    assert spec["schedule"]["cron"] == "0 19 * * *"  # unchanged until it reads
    spec["schedule"] = {"cron": "*/5 9-17 * * 1-5"}  # no words read back the same
    assert form_values(spec)["schedule"] == "cron: */5 9-17 * * 1-5"
    assert apply_field(spec, "schedule", "") is None and "schedule" not in spec


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
    apply_field(spec, "timeout_ms", "90")
    assert spec["timeout_ms"] == 90_000
    apply_field(spec, "timeout_ms", "soon")
    with pytest.raises(InvalidInput) as caught:
        parse_spec(spec)
    assert [e.path for e in caught.value.errors] == ["timeout_ms"]


def _pricing() -> dict[str, object]:
    return {"job_id": "p", "workflow": "price_intelligence",
            "inputs": {"products": [{"sku": "PROD001", "name": "Produk A", "my_price": 150000}],
                       "pricing_strategy": "undercut_by_5_percent",
                       "max_discount_percent": 20}}  # fmt: skip


def test_repricing_inputs_have_their_own_fields() -> None:
    spec = _pricing()
    values = form_values(spec)
    assert values["inputs.products"] == "PROD001; Produk A; 150000"
    assert (values["inputs.pricing_strategy"], values["inputs.pricing_strategy%"]) == (
        "undercut", "5")
    assert values["inputs.auto_update"] == "true"  # the workflow's default
    assert values["inputs.max_changes_per_run"] == "50"
    assert apply_field(spec, "inputs.products",
                       "PROD001; Produk A; 150000; 90000\nPROD002; Produk B; 250000") is None
    assert spec["inputs"]["products"] == [  # type: ignore[index]
        {"sku": "PROD001", "name": "Produk A", "my_price": 150000, "cost": 90000},
        {"sku": "PROD002", "name": "Produk B", "my_price": 250000}]
    assert apply_field(spec, "inputs.pricing_strategy%", "7,5") is None
    assert spec["inputs"]["pricing_strategy"] == "undercut_by_7.5_percent"  # type: ignore[index]
    assert apply_field(spec, "inputs.pricing_strategy", "match_lowest") is None
    assert spec["inputs"]["pricing_strategy"] == "match_lowest"  # type: ignore[index]
    apply_field(spec, "inputs.max_discount_percent", "15")
    apply_field(spec, "inputs.auto_update", False)
    assert spec["inputs"]["max_discount_percent"] == 15  # type: ignore[index]
    assert spec["inputs"]["auto_update"] is False  # type: ignore[index]
    assert apply_field(spec, "inputs.products", "katalog: 100") is None
    assert spec["inputs"]["products"] == {"source": "catalog", "limit": 100}  # type: ignore[index]
    parse_spec(spec)


def test_a_line_the_form_cannot_read_is_said_at_the_field() -> None:
    spec = _pricing()
    problem = apply_field(spec, "inputs.products", "PROD001; Produk A; seratus ribu")
    assert problem is not None and problem[0].startswith("baris 1:")
    assert spec["inputs"]["products"][0]["my_price"] == 150000  # type: ignore[index]
    assert apply_field(spec, "inputs.pricing_strategy%", "lima") is not None


def test_report_recipients_and_sources_as_lines() -> None:
    spec = {"job_id": "r", "workflow": "bi_report", "inputs": {
        "recipients": [{"channel": "email", "address": "ceo@company.com"},
                       {"channel": "telegram", "chat_id": "-1001234567890"}],
        "data_sources": [{"platform": "shopee", "metrics": ["sales", "orders"]}]}}
    values = form_values(spec)
    assert values["inputs.recipients"] == "email: ceo@company.com\ntelegram: -1001234567890"
    assert values["inputs.data_sources"] == "shopee: sales, orders"
    assert values["inputs.report_date"] == "kemarin"  # the workflow's default, in words
    assert form_values(spec, lang="en")["inputs.report_date"] == "yesterday"
    apply_field(spec, "inputs.report_date", "hari ini")
    assert spec["inputs"]["report_date"] == "today"  # type: ignore[index]
    apply_field(spec, "inputs.report_date", "2026-12-01")
    assert spec["inputs"]["report_date"] == "2026-12-01"  # type: ignore[index]
    apply_field(spec, "inputs.recipients", "email: ceo@company.com\nwhatsapp: +6281234567890")
    assert spec["inputs"]["recipients"][1] == {"channel": "whatsapp",  # type: ignore[index]
                                               "phone": "+6281234567890"}
    apply_field(spec, "inputs.data_sources", "crm: new_customers, churn")
    assert spec["inputs"]["data_sources"] == [  # type: ignore[index]
        {"platform": "crm", "metrics": ["new_customers", "churn"]}]


@pytest.mark.parametrize("name", ["ecommerce-price-intelligence", "black-friday-campaign-2026",
                                  "daily-bi-report", "product-catalog-sync",
                                  "social-media-crisis-monitor"])
def test_saving_the_form_as_shown_changes_nothing(name: str) -> None:
    """Every field of a seed job, written back exactly as the form shows it, leaves the
    spec as it was."""
    import copy
    import json

    from backend.core.config import PROJECT_ROOT
    from spio_ui.spec_fields import COMMON_FIELDS, WORKFLOW_FIELDS

    spec = json.loads((PROJECT_ROOT / "examples" / "jobs" / f"{name}.json").read_text())
    workflow = {"black-friday-campaign-2026": "campaign", "daily-bi-report": "bi_report",
                "product-catalog-sync": "catalog_sync",
                "social-media-crisis-monitor": "crisis_monitor"}.get(name, "price_intelligence")
    shown = form_values(spec)
    for field in (*COMMON_FIELDS, *WORKFLOW_FIELDS[workflow]):
        edited = copy.deepcopy(spec)
        before = json.dumps(edited, sort_keys=True)
        value: str | bool = shown[field.path]
        if field.kind == "bool":
            value = value == "true"
        assert apply_field(edited, field.path, value) is None, field.path
        after = json.dumps(edited, sort_keys=True)
        if after != before:  # only a default the spec left out may be written in
            assert field.default is not None and shown[field.path] != "", field.path


def test_every_field_has_a_label_help_and_choice_words_in_both_languages() -> None:
    from spio_ui.i18n import STRINGS
    from spio_ui.spec_fields import ALL_FIELDS, WORKFLOW_FIELDS

    needed = {f"form.section.{name}" for name in WORKFLOW_FIELDS} | {"form.section.run"}
    for field in ALL_FIELDS.values():
        needed |= {f"form.{field.key}", f"form.{field.key}.help"}
        needed |= {f"choice.{c}" for c in field.choices}
    missing = sorted(k for k in needed if k not in STRINGS or not all(STRINGS[k]))
    assert missing == []
