"""The daily BI report from the seed spec against the sandbox: the PDF and the workbook
read back with the numbers the platforms reported, each recipient served once."""

from __future__ import annotations

import asyncio
import io
import zipfile
from datetime import UTC, datetime, timedelta

import pypdf
import pytest
from openpyxl import load_workbook

from backend.reports.excel import sheet_names
from backend.reports.locale import day_long
from backend.reports.pdf import fmt_value
from backend.sandbox.data.series import daily_stats
from backend.tools.state import StateTool
from backend.worker.lifecycle import execute_run
from backend.workflows.bi_report.workflow import HISTORY_PREFIX
from tests.conftest import flush_redis_prefix
from tests.reports.test_report_readback import ENGLISH, SEED_PAGE_BOUND, assert_none_of
from tests.workflows.conftest import queue_run, run_detail, seed_spec, start_job


def _spec(report_day: str) -> dict:
    spec = seed_spec("daily-bi-report")
    # Only the report and comparison days' orders row by row (all 36 days in the bench).
    spec["inputs"].update(report_date=report_day, detail_days="compare")
    return spec


def _artifact(settings, detail, suffix: str):
    found = [a for a in detail.artifacts if a.name.endswith(suffix)]
    assert len(found) == 1, [a.name for a in detail.artifacts]
    return settings.artifacts_dir / found[0].path


@pytest.mark.slow  # ~20 s on a loaded 2-core machine (PDF rendering, 36 days of data)
def test_seed_bi_report_end_to_end(wf_env, admin):
    day = (datetime.now(UTC) - timedelta(days=3)).date()
    run_id = start_job(_spec(day.isoformat()))
    assert execute_run(run_id) == "succeeded"
    detail = run_detail(run_id)
    result = detail.run.result
    assert result["sources_failed"] == [] and result["calls"] >= 15
    assert [s.name for s in detail.steps] == ["plan", "fetch", "aggregate", "insights",
                                              "render", "distribute", "history"]
    # The oracle: the marketplaces' own daily stats for that day.
    expected_sales = sum(daily_stats(42, p, day)["sales"] for p in ("shopee", "tokopedia",
                                                                   "lazada"))
    expected_orders = sum(daily_stats(42, p, day)["orders"] for p in ("shopee", "tokopedia",
                                                                     "lazada"))
    assert result["headline"]["sales"] == expected_sales
    assert result["headline"]["orders"] == expected_orders
    # The day is kept for trend charts, in the database: a Redis restart keeps it.
    flush_redis_prefix(wf_env.redis_prefix)
    history = asyncio.run(StateTool(job_id=detail.run.job_id).items(HISTORY_PREFIX))
    assert history[f"{HISTORY_PREFIX}{day.isoformat()}"]["sales"] == expected_sales

    pdf = pypdf.PdfReader(_artifact(wf_env, detail, ".pdf"))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    # The seed job names no language: the report is Indonesian, in the job's zone (WIB).
    for section in ("Angka utama hari ini", "Ringkasan eksekutif", "Semua angka", "Grafik",
                    "Penjualan per marketplace", "Shopee", "Tokopedia", "Lazada",
                    "Facebook Ads", "Google Ads", "TikTok Ads", "Instagram", "Google Analytics",
                    "CRM", "Kampanye teratas hari ini", "Lampiran: kualitas data",
                    "Halaman 2 dari", " WIB"):  # fmt: skip
        assert section in text, section
    assert_none_of(ENGLISH, text.replace("daily-bi-report", ""))  # but the job's own id
    print(f"seed report: {len(pdf.pages)} PDF pages")
    assert len(pdf.pages) <= SEED_PAGE_BOUND  # a page per small table made it 16
    cover = pdf.pages[0].extract_text()
    assert fmt_value("sales", expected_sales) in cover  # the headline figures open it
    assert fmt_value("orders", expected_orders) in cover and "vs minggu lalu" in cover
    assert day_long(day, lang="id") in cover

    xlsx = _artifact(wf_env, detail, ".xlsx")
    wb = load_workbook(xlsx, read_only=True)
    assert tuple(wb.sheetnames) == sheet_names("id")
    summary = {r[0]: r[1] for r in wb["Ringkasan"].iter_rows(min_row=4, values_only=True) if r}
    assert summary["Penjualan"] == expected_sales
    assert summary["Pesanan"] == expected_orders
    orders = list(wb["Pesanan"].iter_rows(min_row=2, values_only=True))
    assert len(orders) == expected_orders  # every order of the day, once
    with zipfile.ZipFile(xlsx) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 2
        line = z.read("xl/charts/chart1.xml")
        assert b"lineChart" in line and b"'Harian'!$B$2" in line  # sales per day, natively

    mails = admin.get("/_admin/mail", params={"to": "ceo@company.com"}).json()["items"]
    assert len(mails) == 1
    # The email that carries the report speaks its language too.
    assert mails[0]["subject"].endswith(day_long(day, lang="id"))
    assert sorted(a["filename"] for a in mails[0]["attachments"]) == [
        f"laporan-bi-{day}.pdf", f"laporan-bi-{day}.xlsx"]
    assert f"Penjualan: {fmt_value('sales', expected_sales)}" in mails[0]["text"]
    assert_none_of(ENGLISH, mails[0]["text"] + mails[0]["subject"])
    sent = admin.get("/_admin/sent").json()["items"]
    assert sorted(m["channel"] for m in sent if m["channel"] != "email") == ["telegram",
                                                                           "whatsapp"]
    # A second run of the same report date re-renders but sends nothing again.
    again = queue_run("daily-bi-report")
    assert execute_run(again) == "succeeded"
    assert len(admin.get("/_admin/mail", params={"to": "ceo@company.com"}).json()["items"]) == 1
    assert len(admin.get("/_admin/sent").json()["items"]) == len(sent)


def test_failing_source_retries_the_run_then_reports_it(wf_env, admin):
    day = (datetime.now(UTC) - timedelta(days=3)).date()
    spec = _spec(day.isoformat())
    spec["job_id"] = "bi-report-flaky-ads"
    spec["retry_policy"] = {"max_retry": 1, "backoff_sec": [0]}
    spec["inputs"]["recipients"] = []
    admin.post("/_admin/faults", json={"platforms": {"tiktok_ads": {"p_5xx": 1.0}}})
    run_id = start_job(spec)
    assert execute_run(run_id) == "retrying"  # attempt 1: a source failed, retry the run
    from backend.core.db import session_scope
    from backend.models import Run

    with session_scope() as session:
        session.get(Run, run_id).not_before = None
    outcome = execute_run(run_id)
    detail = run_detail(run_id)
    assert outcome == "succeeded", [(s.name, s.error) for s in detail.steps]
    result = run_detail(run_id).run.result
    assert result["sources_failed"] == ["tiktok_ads"]
    data = io.BytesIO((wf_env.artifacts_dir / run_detail(run_id).artifacts[0].path).read_bytes())
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(data).pages)
    assert "TikTok Ads: sumber diambil" in text


def test_a_social_report_reads_youtube_beside_instagram(wf_env, admin):
    """A seller's 'followers and views on Instagram and YouTube' report: both channels'
    figures from their insights, none failed."""
    day = (datetime.now(UTC) - timedelta(days=3)).date()
    spec = _spec(day.isoformat())
    spec["job_id"] = "bi-report-youtube"
    spec["inputs"].update(recipients=[], output_formats=["excel"], data_sources=[
        {"platform": "instagram", "metrics": ["followers", "views"]},
        {"platform": "youtube", "metrics": ["followers", "views"]}])  # fmt: skip
    run_id = start_job(spec)
    assert execute_run(run_id) == "succeeded"
    detail = run_detail(run_id)
    assert detail.run.result["sources_failed"] == []
    wb = load_workbook(_artifact(wf_env, detail, ".xlsx"), read_only=True)
    cells = {str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
             for c in row if c is not None}  # fmt: skip
    assert "YouTube" in cells and "Instagram" in cells
