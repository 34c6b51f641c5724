"""Job editor: a bad cron is refused at its field with the reason, the fix previews the
next fire times and saves as a new version."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import WebServer, create_job, screenshot

pytestmark = pytest.mark.browser


def test_edit_schedule_with_field_error_then_save(admin_page: Page, web_server: WebServer) -> None:
    page = admin_page
    create_job({"job_id": "ui-editor", "workflow": "noop", "schedule": {"cron": "0 6 * * *"}})
    page.goto(f"{web_server.url}/workflows/ui-editor")
    schedule = page.get_by_test_id("field-schedule")
    expect(schedule).to_have_value("setiap hari pukul 06:00")
    # In words, in Indonesian, in the job's zone: "Selasa, 8 Desember 2026 pukul 06:00 WIB".
    expect(page.get_by_test_id("editor-next-fires").get_by_text(re.compile(
        r"^(Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu), \d+ \w+ \d{4} pukul 06:00 WIB$"))
    ).to_have_count(5)

    schedule.fill("cron: 0 25 * * *")
    # The validator's reason in the reader's language (the API keeps its English).
    expect(page.get_by_test_id("error-schedule.cron")).to_contain_text("jam harus 0-23")
    expect(page.get_by_test_id("error-schedule.cron")).not_to_contain_text("hour")
    expect(page.get_by_test_id("editor-save")).to_be_disabled()
    screenshot(page, "job-editor-error")

    schedule.fill("cron: 30 7 * * *")
    expect(page.get_by_test_id("editor-errors")).to_have_count(0)
    expect(
        page.get_by_test_id("editor-next-fires").get_by_text(re.compile("07:30 WIB"))
    ).to_have_count(5)
    page.get_by_test_id("editor-save").click()
    expect(page.get_by_test_id("editor-notice")).to_contain_text("v2")
    page.get_by_role("tab", name="JSON").click()
    expect(page.get_by_test_id("editor-json")).to_have_value(
        re.compile('"cron": "30 7 \\* \\* \\*"')
    )
    screenshot(page, "job-editor")

    page.reload()  # saved for real, not only in the tab
    expect(page.get_by_test_id("field-schedule")).to_have_value("setiap hari pukul 07:30")


def test_schedule_in_words_and_plain_labels(admin_page: Page, web_server: WebServer) -> None:
    page = admin_page
    create_job({"job_id": "ui-words", "workflow": "noop", "schedule": {"cron": "0 6 * * *"}})
    page.goto(f"{web_server.url}/workflows/ui-words")
    schedule = page.get_by_test_id("field-schedule")
    schedule.fill("setiap 10 menit")  # was: "cron needs 5 fields"
    expect(page.get_by_test_id("editor-errors")).to_have_count(0)
    page.get_by_test_id("editor-save").click()
    expect(page.get_by_test_id("editor-notice")).to_contain_text("v2")
    form = page.get_by_role("tabpanel")
    for label in ("Batas waktu (detik)", "Jeda sebelum coba lagi (detik)",
                  "Maks. jalan bersamaan", "Boleh tumpang tindih"):
        expect(form.get_by_text(label, exact=True)).to_be_visible()
    for word in ("timeout_ms", "backoff_sec", "flow_max_active_runs", "allow_overlap"):
        expect(form.get_by_text(word)).to_have_count(0)
    schedule.fill("kapan-kapan")
    expect(page.get_by_test_id("error-schedule")).to_contain_text("tidak dipahami")
    expect(page.get_by_test_id("editor-save")).to_be_disabled()
    page.reload()
    expect(page.get_by_test_id("field-schedule")).to_have_value("setiap 10 menit")


def test_a_repricing_jobs_products_and_strategy_without_json(admin_page: Page,
                                                             web_server: WebServer) -> None:
    import json
    from pathlib import Path

    from backend.core.db import session_scope
    from backend.jobs.service import get_job

    spec = json.loads(Path("examples/jobs/ecommerce-price-intelligence.json").read_text())
    spec["job_id"] = "ui-repricing"
    create_job(spec)
    page = admin_page
    page.goto(f"{web_server.url}/workflows/ui-repricing")
    own = page.get_by_test_id("form-price_intelligence")
    expect(own).to_be_visible()
    products = page.get_by_test_id("field-inputs.products")
    expect(products).to_have_value("PROD001; Produk A; 150000\nPROD002; Produk B; 250000")
    products.fill("PROD001; Produk A; 150000; 90000\nPROD003; Produk C; 99000")
    page.get_by_test_id("field-inputs.pricing_strategy%").fill("8")
    page.get_by_test_id("field-inputs.max_discount_percent").fill("15")
    page.get_by_test_id("field-inputs.auto_update").click()  # on by default: now off
    expect(page.get_by_test_id("editor-errors")).to_have_count(0)
    screenshot(page, "job-editor-repricing-form")
    page.get_by_test_id("editor-save").click()
    expect(page.get_by_test_id("editor-notice")).to_contain_text("v2")
    with session_scope() as session:
        inputs = get_job(session=session, job_id="ui-repricing").spec["inputs"]
    assert inputs["products"] == [
        {"sku": "PROD001", "name": "Produk A", "my_price": 150000, "cost": 90000},
        {"sku": "PROD003", "name": "Produk C", "my_price": 99000}]
    assert inputs["pricing_strategy"] == "undercut_by_8_percent"
    assert inputs["max_discount_percent"] == 15 and inputs["auto_update"] is False
    assert inputs["flow_group"] == "pricing_team"  # what the form did not touch is kept


@pytest.mark.parametrize(("job_id", "section"), [
    ("ecommerce-price-intelligence", "price_intelligence"),
    ("black-friday-campaign-2026", "campaign"),
    ("daily-bi-report", "bi_report"),
    ("product-catalog-sync", "catalog_sync"),
    ("social-media-crisis-monitor", "crisis_monitor"),
])  # fmt: skip
def test_each_seed_job_has_its_own_form_in_plain_words(
    admin_page: Page, web_server: WebServer, demo_day: dict[str, int], job_id: str, section: str
) -> None:
    page = admin_page
    page.goto(f"{web_server.url}/workflows/{job_id}")
    own = page.get_by_test_id(f"form-{section}")
    expect(own).to_be_visible()
    expect(page.get_by_test_id("editor-errors")).to_have_count(0)
    labels = page.get_by_role("tabpanel").locator("p.rt-r-weight-medium").all_inner_texts()
    assert len(labels) >= 15, labels
    developer = [t for t in labels if re.search(r"[a-z]_[a-z]|\w\.\w", t)]
    assert developer == [], developer  # no spec keys as labels
    schedule = page.get_by_test_id("field-schedule").input_value()
    assert not schedule.startswith(("cron:", "interval_sec:", "{")), schedule
    screenshot(page, f"job-editor-form-{section}")
