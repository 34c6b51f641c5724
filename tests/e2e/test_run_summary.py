"""The run page opens with what the run did, in numbers: a real repricing run (scheduler
and worker processes, the sandbox's marketplaces) says how many prices it changed and by
how much on average, in the reader's language."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from backend.core.config import PROJECT_ROOT
from tests.e2e.conftest import Cluster, WebServer, create_job, run_and_wait, screenshot

pytestmark = pytest.mark.browser


def test_a_repricing_run_page_opens_with_its_figures(
    admin_page: Page, web_server: WebServer, cluster: Cluster
) -> None:
    from backend.core.db import session_scope
    from backend.jobs.runs import get_run

    path = PROJECT_ROOT / "examples" / "jobs" / "ecommerce-price-intelligence.json"
    spec = json.loads(path.read_text())
    spec["job_id"] = "ui-summary-repricing"
    spec.pop("schedule")  # run when asked
    spec["inputs"]["products"] += [{"sku": f"PROD{i:03d}"} for i in range(3, 13)]
    spec["inputs"].update(preview_first_run=False, max_changes_per_run=10_000,
                          report_channels=[])  # fmt: skip
    create_job(spec)
    run_id = run_and_wait("ui-summary-repricing")
    with session_scope() as session:
        result = get_run(session=session, run_id=run_id).result or {}
    assert result["prices_changed"] > 0
    page = admin_page
    page.goto(f"{web_server.url}/executions/{run_id}")
    summary = page.get_by_test_id("run-summary")
    changed = summary.locator("[data-testid=run-figure][data-key=prices_changed]")
    expect(changed).to_contain_text(str(result["prices_changed"]))
    expect(changed).to_contain_text("harga diubah")
    average = f"{abs(result['average_change_percent']):.1f}".replace(".", ",")
    expect(summary.locator("[data-testid=run-figure][data-key=average_change]")).to_contain_text(
        f"\u2212{average} %")
    # The summary comes before the progress box: the page opens with it.
    top = page.evaluate("""() => ['run-summary', 'run-progress'].map(id =>
        document.querySelector(`[data-testid=${id}]`).getBoundingClientRect().top)""")
    assert top[0] < top[1]
    screenshot(page, "run-summary-repricing")
    page.get_by_test_id("lang-switch").get_by_role("radio", name="EN").click()
    expect(changed).to_contain_text("prices changed")
    expect(changed).not_to_contain_text("harga")
