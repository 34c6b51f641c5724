"""The planner reads which of the seller's shops a price watch acts on: both shops on one
marketplace, every shop, or a shop by name; a prompt naming none leaves ``accounts``
out (the job then acts on every live shop). Every plan validates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from backend.ai.planner import plan_offline
from backend.core.errors import InvalidInput

NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)
FIVE = ["shopee", "tokopedia", "lazada", "tiktok", "blibli"]


@pytest.mark.parametrize("prompt, accounts", [
    ("Pantau harga 50 produk di kedua toko Shopee saya tiap 10 menit", {"shopee": "all"}),
    ("cek harga kompetitor di 2 toko shopee gw tiap jam", {"shopee": "all"}),
    ("watch prices for both my Shopee shops and Lazada every 30 minutes", {"shopee": "all"}),
    ("Track competitor prices for all my Tokopedia stores every hour",
     {"tokopedia": "all"}),
    ("Monitor harga di semua toko saya setiap jam", dict.fromkeys(FIVE, "all")),
    ("Track competitor prices on all my shops every hour", dict.fromkeys(FIVE, "all")),
    ("turunkan harga 3% di bawah kompetitor termurah untuk toko-b di Shopee tiap 15 menit",
     {"shopee": ["toko-b"]}),
    ("pantau harga toko-b shopee dan toko-b lazada tiap jam",
     {"shopee": ["toko-b"], "lazada": ["toko-b"]}),
    ("pantau harga shopee toko default dan toko-b tiap jam", {"shopee": ["toko-b"]}),
])  # fmt: skip
def test_the_shops_a_prompt_names_become_inputs_accounts(prompt, accounts):
    plan = plan_offline(prompt, now=NOW)
    assert plan.spec["workflow"] == "price_intelligence"
    assert plan.spec["inputs"]["accounts"] == accounts
    assert set(accounts) <= set(plan.spec["inputs"]["marketplaces"])


@pytest.mark.parametrize("prompt", [
    "Monitor harga 100 produk di 5 marketplace kompetitor, analisis dengan AI, dan "
    "auto-adjust harga toko saya",
    "pantau harga toko saya di shopee tiap 5 menit",
    "monitor competitor prices for my shop on Lazada every hour",
])
def test_a_prompt_naming_no_shops_leaves_accounts_out(prompt):
    assert "accounts" not in plan_offline(prompt, now=NOW).spec["inputs"]


def test_the_explanation_names_the_shops_in_the_prompts_language():
    plan = plan_offline("Pantau harga di kedua toko Shopee saya tiap 10 menit", now=NOW)
    assert "semua toko Shopee Anda" in plan.explanation
    plan = plan_offline("watch prices for both my Shopee shops every 30 minutes", now=NOW)
    assert "all your Shopee shops" in plan.explanation


def test_a_shop_nobody_has_is_refused_at_its_field(env):
    with pytest.raises(InvalidInput) as refused:
        plan_offline("pantau harga toko-zz di shopee tiap jam", now=NOW)
    assert [e.path for e in refused.value.errors] == ["inputs.accounts.shopee[0]"]


@pytest.mark.parametrize("prompt, workflow, accounts, words", [
    ("sinkron katalog 200 produk ke kedua toko Shopee saya dan Lazada tiap jam",
     "catalog_sync", {"shopee": "all"}, "semua toko Shopee Anda"),
    ("Buat laporan penjualan harian dari semua toko saya, kirim jam 7 pagi ke email "
     "bos@toko.id", "bi_report", {"shopee": "all", "tokopedia": "all", "lazada": "all"},
     "semua toko Tokopedia Anda"),
    ("daily sales report for both my Tokopedia shops at 8am", "bi_report",
     {"tokopedia": "all"}, "all your Tokopedia shops"),
])  # fmt: skip
def test_a_catalog_sync_and_a_report_read_the_shops_too(prompt, workflow, accounts, words):
    plan = plan_offline(prompt, now=NOW)
    assert plan.spec["workflow"] == workflow
    assert plan.spec["inputs"]["accounts"] == accounts
    assert words in plan.explanation
