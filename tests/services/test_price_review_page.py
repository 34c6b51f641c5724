"""The price review page's service: each review is one sentence whose figures agree with
the rules (a cut never larger than the maximum discount it quotes), 25 to a page, filtered
by marketplace, product and direction, and decided in bulk."""

from __future__ import annotations

import itertools

import pytest

from backend.ai.advice import RulesFigures, pricing_advice
from backend.services import price_reviews
from backend.services.price_review_text import change_percent, review_sentence
from backend.workflows.pricing.rules import PricingRules, decide

RULES = PricingRules(strategy="undercut_by_5_percent", min_margin_percent=15,
                     max_discount_percent=20)  # fmt: skip


def _decision(*, current: int, base: int, cost: int | None, competitor: int,
              sku: str = "PROD001", platform: str = "shopee") -> dict:  # fmt: skip
    return decide(sku=sku, platform=platform, current_price=current, base_price=base,
                  cost=cost, offers=[{"seller": "toko_b", "price": competitor, "stock": 5}],
                  rules=RULES).as_dict()  # fmt: skip


def test_a_listing_above_its_list_price_never_drops_more_than_the_max_discount():
    # A catalog sync passed Shopee's fee on: Rp 159.900 for a Rp 150.000 product. The
    # strategy wants Rp 94.900; the floor is 20 % under the price the buyer sees.
    d = _decision(current=159_900, base=150_000, cost=90_000, competitor=100_000)
    assert d["action"] == "review" and d["floor_rule"] == "discount"
    assert d["target_price"] == d["floor_price"] == 128_900  # 159.900 x 0.8 at ...900
    review = {**d, "held": "rule"}
    assert change_percent(review) == pytest.approx(-19.39, abs=0.01)
    id_ = review_sentence(review, lang="id")
    assert id_ == ("Turunkan harga PROD001 di Shopee dari Rp 159.900 ke Rp 128.900 "
                   "(\u221219,4 %): pesaing termurah Rp 100.000; strategi memberi Rp 94.900, "
                   "di bawah batas bawah Rp 128.900 (diskon maksimal 20 % dari Rp 159.900)")
    en = review_sentence(review, lang="en")
    assert en.startswith("Lower the price of PROD001 on Shopee from Rp 159,900 to Rp 128,900 "
                         "(\u221219.4%): cheapest competitor Rp 100,000")
    assert "maximum discount 20% off Rp 159,900" in en and "{" not in id_ + en
    # The advice engine quotes the same floor, not one of its own.
    advice = pricing_advice(my_price=159_900, cost=90_000, competitor_prices=[100_000],
                            rules=RulesFigures(floor_price=d["floor_price"],
                                               floor_rule=d["floor_rule"],
                                               strategy_price=d["strategy_price"]))  # fmt: skip
    assert advice.floor_price == 128_900
    assert advice.reasons[-1] == ("target Rp 94.900 melanggar diskon maksimal 20% (batas "
                                  "Rp 128.900); perlu ditinjau")


def test_no_proposal_cuts_more_than_the_max_discount_it_states():
    for current, base, cost, competitor in itertools.product(
            (99_900, 150_000, 161_900, 199_900), (150_000,), (None, 60_000, 120_000),
            (50_000, 110_000, 140_000, 230_000)):  # fmt: skip
        d = _decision(current=current, base=base, cost=cost, competitor=competitor)
        if d["action"] in ("lower", "review") and d["target_price"] < current:
            cut = -change_percent(d)
            assert cut <= RULES.max_discount_percent + 1e-9, (current, cost, competitor, d)


def test_preview_and_guard_rows_say_why_they_wait():
    d = _decision(current=150_000, base=150_000, cost=90_000, competitor=140_000)
    assert d["action"] == "lower" and d["target_price"] == 132_900
    preview = review_sentence({**d, "held": "preview"}, lang="id")
    assert preview == ("Turunkan harga PROD001 di Shopee dari Rp 150.000 ke Rp 132.900 "
                       "(\u221211,4 %): pesaing termurah Rp 140.000; menunggu persetujuan: "
                       "run pertama aturan baru hanya mengusulkan")
    guard = review_sentence({**d, "held": "guard"}, lang="en")
    assert guard.endswith("waiting for approval: this run's limit of changes was reached")
    raised = _decision(current=120_000, base=150_000, cost=90_000, competitor=230_000)
    assert review_sentence({**raised, "held": "preview"}, lang="id").startswith(
        "Naikkan harga PROD001 di Shopee dari Rp 120.000 ke Rp 149.900 (+24,9 %)")
    unknown = _decision(current=150_000, base=150_000, cost=None, competitor=140_000)
    assert "biaya produk tidak diketahui" in review_sentence(unknown, lang="id")
    # A review stored before the rules' figures were kept still reads as a sentence.
    old = {"sku": "B", "platform": "tiktok", "current_price": 100_000, "target_price": 95_900,
           "floor_price": 95_900, "lowest_competitor": None, "reasons": ["x"]}
    assert review_sentence(old, lang="id") == (
        "Turunkan harga B di TikTok Shop dari Rp 100.000 ke Rp 95.900 (\u22124,1 %): tidak "
        "ada pesaing yang punya stok; usulan dibatasi batas bawah Rp 95.900")


def _flag_99() -> None:
    decisions = []
    for n in range(33):
        for platform in ("shopee", "lazada", "blibli"):
            up = n % 4 == 0
            decisions.append({**_decision(current=150_000, base=150_000, cost=60_000,
                                          competitor=230_000 if up else 140_000,
                                          sku=f"PROD{n:03d}", platform=platform),
                              "current_price": 140_000 if up else 150_000})  # fmt: skip
    price_reviews.flag_many(job_id="pi", run_id=1, decisions=decisions)


def test_99_reviews_page_by_25_and_filter(env):
    _flag_99()
    first = price_reviews.page_reviews(status="pending")
    assert (len(first.items), first.total) == (25, 99)
    assert first.platforms == ["blibli", "lazada", "shopee"]
    pages = [price_reviews.page_reviews(status="pending", offset=o).items for o in range(0, 99, 25)]
    assert [len(p) for p in pages] == [25, 25, 25, 24]
    assert len({r["id"] for p in pages for r in p}) == 99  # every review once
    past = price_reviews.page_reviews(status="pending", offset=500)
    assert past.items == pages[-1]  # past the end: the last page
    shopee = price_reviews.page_reviews(status="pending", platform="shopee", limit=100)
    assert shopee.total == 33 and {r["platform"] for r in shopee.items} == {"shopee"}
    one = price_reviews.page_reviews(status="pending", sku="prod007")
    assert {r["sku"] for r in one.items} == {"PROD007"} and one.total == 3
    up = price_reviews.page_reviews(status="pending", direction="raise", limit=100)
    down = price_reviews.page_reviews(status="pending", direction="lower", limit=100)
    assert up.total == 27 and down.total == 72
    assert all(r["target_price"] > r["current_price"] for r in up.items)


def test_bulk_decisions_skip_what_was_decided_meanwhile(env):
    _flag_99()
    page = price_reviews.page_reviews(status="pending", platform="lazada").items
    ids = [r["id"] for r in page[:5]]
    price_reviews.decide_review(ids[0], approve=False, actor="budi")  # meanwhile
    done = price_reviews.decide_many(ids, approve=True, actor="sari")
    assert done == {"decided": ids[1:], "skipped": ids[:1]}
    approved = price_reviews.page_reviews(status="approved", limit=100).items
    assert sorted(r["id"] for r in approved) == sorted(ids[1:])
    assert {r["decided_by"] for r in approved} == {"sari"}
    rejected = price_reviews.decide_many([r["id"] for r in page[5:8]] + ["nope"],
                                         approve=False, actor="sari")  # fmt: skip
    assert len(rejected["decided"]) == 3 and rejected["skipped"] == ["nope"]
    assert price_reviews.page_reviews(status="pending").total == 99 - 8


def test_the_api_pages_filters_and_decides_in_bulk(env, api):
    _flag_99()
    page = api.get("/price-reviews", params={"status": "pending", "platform": "lazada",
                                             "direction": "lower", "limit": 10}).json()
    assert page["total"] == 24 and len(page["items"]) == 10
    assert api.get("/price-reviews", params={"status": "pending"}).json()["total"] == 99
    ids = [r["id"] for r in page["items"][:3]]
    done = api.post("/price-reviews/bulk", json={"ids": ids, "decision": "approve"}).json()
    assert done == {"decided": ids, "skipped": []}
    again = api.post("/price-reviews/bulk", json={"ids": ids, "decision": "reject"}).json()
    assert again == {"decided": [], "skipped": ids}
    bad = api.post("/price-reviews/bulk", json={"ids": [], "decision": "approve"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["path"] == "ids"
    assert api.post("/price-reviews/bulk", json={"ids": ids, "decision": "maybe"}
                    ).status_code == 422  # fmt: skip
    assert api.get("/price-reviews", params={"direction": "sideways"}).status_code == 422


def test_a_review_of_a_second_shop_names_the_shop_in_both_languages():
    d = _decision(current=159_900, base=150_000, cost=90_000, competitor=100_000)
    review = {**d, "held": "rule", "account": "toko-b"}
    assert review_sentence(review, lang="id").startswith(
        "Turunkan harga PROD001 di Shopee (toko-b) dari Rp 159.900")
    assert review_sentence(review, lang="en").startswith(
        "Lower the price of PROD001 on Shopee (toko-b) from Rp 159,900")
    review["account"] = "default"  # the one shop of most sellers: no name to add
    assert review_sentence(review, lang="en").startswith("Lower the price of PROD001 on "
                                                         "Shopee from")
