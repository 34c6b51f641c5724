"""The repricing rules on their own: endings, floors, ceilings, what gets flagged."""

from __future__ import annotations

from backend.workflows.pricing.rules import PricingRules, decide, round_to_ending

RULES = PricingRules(strategy="undercut_by_5_percent", min_margin_percent=15,
                     max_discount_percent=20)


def offer(price, seller="competitor_a", stock=10):
    return {"seller": seller, "price": price, "stock": stock}


def test_prices_end_in_900_and_never_round_up():
    assert round_to_ending(142_999, 900) == 142_900
    assert round_to_ending(142_900, 900) == 142_900
    assert round_to_ending(142_899, 900) == 141_900
    assert round_to_ending(142_999, 0) == 142_900


def test_undercut_within_the_rules_lowers_the_price():
    d = decide(sku="A", platform="shopee", current_price=150_000, base_price=150_000,
               cost=90_000, offers=[offer(149_900), offer(139_900, "competitor_b")],
               rules=RULES)
    assert (d.action, d.target_price, d.lowest_seller) == ("lower", 132_900, "competitor_b")
    assert d.floor_price == 120_900  # max(90,000 / 0.85, 150,000 x 0.8) at a 900 ending


def test_a_target_under_the_floor_is_flagged_not_applied():
    d = decide(sku="A", platform="shopee", current_price=150_000, base_price=150_000,
               cost=120_000, offers=[offer(139_900)], rules=RULES)
    assert d.action == "review" and d.target_price == d.floor_price == 141_900
    assert d.current_price == 150_000


def test_out_of_stock_competitors_and_the_ceiling():
    sold_out = decide(sku="A", platform="lazada", current_price=150_000, base_price=150_000,
                      cost=90_000, offers=[offer(99_900, stock=0)], rules=RULES)
    assert sold_out.action == "keep" and sold_out.competitors_out_of_stock == 1
    capped = decide(sku="A", platform="lazada", current_price=130_000, base_price=150_000,
                    cost=90_000, offers=[offer(199_900)], rules=RULES)
    assert (capped.action, capped.target_price) == ("raise", 149_900)  # capped, then ended
    unknown_cost = decide(sku="A", platform="lazada", current_price=150_000,
                          base_price=150_000, cost=None, offers=[offer(149_900)], rules=RULES)
    assert unknown_cost.action == "review"


def test_max_competitors_keeps_the_cheapest_sellers_in_stock():
    from backend.workflows.pricing.fetch import nearest_competitors

    rows = [{"seller": "a", "price": 90, "stock": 0}, {"seller": "b", "price": 120, "stock": 3},
            {"seller": "c", "price": 100, "stock": 1}, {"seller": "d", "price": 150, "stock": 9}]
    offers = {"shopee": {"SKU1": rows}}
    kept = nearest_competitors(offers, limit=2)["shopee"]["SKU1"]
    assert [r["seller"] for r in kept] == ["c", "b"]  # in stock first, cheapest first
    assert nearest_competitors(offers, limit=None) is offers
