"""The planner gives jobs whose reports people read the language the request was written in."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from backend.ai.planner import plan_offline

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)  # Thursday 10:00 in Jakarta


def _inputs(prompt: str) -> tuple[str, dict]:
    result = plan_offline(prompt, now=NOW)
    return result.spec["workflow"], result.spec["inputs"]


def test_english_sales_report_is_written_in_english() -> None:
    kind, inputs = _inputs("send me a daily sales report at 8am by email to a@b.co")
    assert kind == "bi_report"
    assert inputs["language"] == "en"


def test_indonesian_sales_report_keeps_the_default() -> None:
    kind, inputs = _inputs("kirim laporan penjualan harian jam 8 pagi lewat email ke a@b.co")
    assert kind == "bi_report"
    assert inputs.get("language", "id") == "id"


@pytest.mark.parametrize("prompt", [
    "bikin sales dashboard dari Shopee, refresh every 15 minutes",
    "tolong send daily report penjualan ke email saya jam 8",
])
def test_mixed_requests_keep_the_indonesian_default(prompt: str) -> None:
    kind, inputs = _inputs(prompt)
    assert kind == "bi_report"
    assert inputs.get("language", "id") == "id"


def test_english_with_a_word_that_also_reads_indonesian_stays_english() -> None:
    kind, inputs = _inputs("Auto-reprice my 60 products on TikTok Shop: match the lowest "
                           "competitor but never discount more than 25%, check every 15 min")
    assert kind == "price_intelligence"
    assert inputs["language"] == "en"


@pytest.mark.parametrize(("prompt", "workflow"), [
    ("monitor competitor prices for 50 products on shopee every hour and email me a report",
     "price_intelligence"),
    ("watch social media for negative mentions of my brand and alert me on telegram",
     "crisis_monitor"),
])  # fmt: skip
def test_english_alerts_and_price_reports_are_in_english(prompt: str, workflow: str) -> None:
    kind, inputs = _inputs(prompt)
    assert kind == workflow
    assert inputs["language"] == "en"


@pytest.mark.parametrize(("prompt", "workflow"), [
    ("pantau harga kompetitor 50 produk di shopee tiap jam dan kirim laporan ke email saya",
     "price_intelligence"),
    ("pantau media sosial kalau ada komentar negatif soal brand saya, kabari lewat telegram",
     "crisis_monitor"),
])  # fmt: skip
def test_indonesian_alerts_stay_indonesian(prompt: str, workflow: str) -> None:
    kind, inputs = _inputs(prompt)
    assert kind == workflow
    assert inputs.get("language", "id") == "id"


@pytest.mark.parametrize(("prompt", "workflow"), [
    ("send a black friday campaign to all customers via whatsapp with 20% off", "campaign"),
    ("sync 100 products to shopee and tokopedia every hour", "catalog_sync"),
])  # fmt: skip
def test_no_language_where_the_workflow_has_none_for_people(prompt: str, workflow: str) -> None:
    # Campaigns take no inputs.language; catalog copy is for the marketplaces' buyers.
    kind, inputs = _inputs(prompt)
    assert kind == workflow
    assert "language" not in inputs
