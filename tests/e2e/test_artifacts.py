"""A run's artifacts download from its page (the signed-in tab, no extra token)."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect

from backend.core.config import get_settings
from backend.core.db import session_scope
from backend.models import Artifact
from tests.e2e.conftest import Cluster, WebServer, create_job, run_and_wait, screenshot

pytestmark = pytest.mark.browser


def test_artifact_downloads(admin_page: Page, web_server: WebServer) -> None:
    run_id = create_job(
        {"job_id": "ui-artifacts", "workflow": "noop", "schedule": {"interval_sec": 3600}}, run=True
    )
    body = b"%PDF-1.4\n% laporan harian\n"
    folder = get_settings().artifacts_dir / "ui-artifacts" / str(run_id)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "laporan.pdf").write_bytes(body)
    with session_scope() as session:
        session.add(Artifact(run_id=run_id, job_id="ui-artifacts", name="laporan-harian.pdf",
                             path=f"ui-artifacts/{run_id}/laporan.pdf",
                             content_type="application/pdf", size=len(body)))  # fmt: skip

    page = admin_page
    page.goto(f"{web_server.url}/executions/{run_id}")
    link = page.get_by_test_id("artifact-link")
    expect(link).to_have_text("laporan-harian.pdf")
    with page.expect_download() as caught:
        link.click()
    download = caught.value
    assert download.suggested_filename == "laporan-harian.pdf"
    assert open(download.path(), "rb").read() == body


def test_reports_list_files_by_job_and_date(
    admin_page: Page, web_server: WebServer, demo_day: dict[str, int]
) -> None:
    from backend.jobs.runs import list_runs

    with session_scope() as session:
        runs, _ = list_runs(session=session, job_id="daily-bi-report", status="succeeded", limit=1)
        run_id = int(runs[0].id or 0)
    folder = get_settings().artifacts_dir / "daily-bi-report" / str(run_id)
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in (("bi-report.pdf", b"%PDF-1.4\n"), ("bi-report.xlsx", b"PK\x03\x04")):
        (folder / name).write_bytes(body)
        with session_scope() as session:
            path = f"daily-bi-report/{run_id}/{name}"
            session.add(Artifact(run_id=run_id, job_id="daily-bi-report", name=name, path=path,
                                 size=len(body)))  # fmt: skip
    page = admin_page
    page.goto(f"{web_server.url}/reports")
    row = page.get_by_test_id("report-row").filter(has_text="bi-report.pdf")
    expect(row).to_contain_text("daily-bi-report")
    expect(row.get_by_test_id("report-file")).to_have_count(2)
    with page.expect_download() as caught:
        row.get_by_text("bi-report.xlsx").click()
    assert caught.value.suggested_filename == "bi-report.xlsx"
    screenshot(page, "reports")


def test_report_pdf_previews_in_the_page(
    admin_page: Page, web_server: WebServer, demo_day: dict[str, int], cluster: Cluster
) -> None:
    run_id = run_and_wait("daily-bi-report")  # the real report, rendered by the worker
    page = admin_page
    page.goto(f"{web_server.url}/reports")
    row = page.get_by_test_id("report-row").filter(
        has=page.locator(f"a[href='/executions/{run_id}']"))
    expect(row.get_by_test_id("report-file").filter(has_text=".pdf")).to_have_count(1)
    with page.expect_response(lambda r: "/inline?" in r.url) as caught:
        row.get_by_test_id("report-preview").first.click()
    response = caught.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")
    # (Chromium hands the PDF to its viewer: the page sees the viewer, not the bytes.)
    frame = page.get_by_test_id("report-preview-frame")
    expect(frame).to_be_visible()
    # The viewer draws the first page in its own process: give it a moment for the picture.
    page.wait_for_timeout(2500)
    screenshot(page, "reports-preview")

    # The link is the only key: altered, it shows nothing.
    link = frame.get_attribute("src") or ""
    forged = link[:-1] + ("0" if link[-1] != "0" else "1")
    assert httpx.get(f"{web_server.url}{forged}").status_code == 404
    shown = httpx.get(f"{web_server.url}{link}")
    assert shown.status_code == 200 and shown.content.startswith(b"%PDF")
