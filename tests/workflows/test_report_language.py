"""The messages a seller receives about a run (the price report, the BI summary) are in
the job's language: Indonesian by default, English when the job asks for it."""

from __future__ import annotations

from backend.workflows.pricing.report import _text, report_language

SUMMARY = {"products_adjusted": 12, "prices_changed": 20, "average_change_percent": -16.4,
           "flagged_items": ["SKU-1@shopee"], "competitor_offers_out_of_stock": 3,
           "stores": {"shopee": {"ok": 20, "failed": 1}}}  # fmt: skip


def test_the_price_report_speaks_the_jobs_language() -> None:
    assert report_language({}) == "id" and report_language({"language": "en"}) == "en"
    indonesian = _text(SUMMARY, "prices", lang="id")
    assert indonesian.splitlines()[:2] == [
        "Laporan harga prices", "Produk disesuaikan: 12 (20 harga, rata-rata -16,40%)"]
    assert "shopee 20 berhasil/1 gagal" in indonesian and " ok" not in indonesian
    english = _text(SUMMARY, "prices", lang="en")
    assert english.splitlines()[:2] == [
        "Price report prices", "Products adjusted: 12 (20 prices, average -16.40%)"]
    assert "Toko" not in english and "shopee 20 done/1 failed" in english
