"""The repricing rules of a price-intelligence job, as one pure function.

For one product on one marketplace: the strategy gives a target from the cheapest
competitor in stock; the target is rounded down to the job's price ending; it must stay
within [floor, ceiling] where

* floor = the highest of: the minimum-margin price (``cost / (1 - min_margin)``), the
  maximum-discount price (``base × (1 - max_discount)``, base = the higher of the
  product's list price and the listing's current price) and an explicit ``price_floor``.
  The list price anchors it, so repeated runs never compound discounts; the current
  price bounds it too, so a listing priced above the list (a catalog sync passes a
  marketplace's fees on: Rp 159.900 for a Rp 150.000 product) never drops more than
  ``max_discount`` in one change — "diskon maksimal 20 %" holds whichever price the
  seller reads it from;
* ceiling = ``price_ceiling`` when given, else the list price (never above it).

A target under the floor is not applied: the product is flagged for review with the
lowest price the rules allow. A target over the ceiling is capped to it. A product with
no cost on record cannot have its margin checked and is flagged too.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

__all__ = ["PricingRules", "Decision", "decide", "round_to_ending", "parse_strategy"]

Action = Literal["lower", "raise", "keep", "review"]


@dataclass(frozen=True, slots=True)
class PricingRules:
    """The job's rules (read from its inputs by :meth:`from_inputs`)."""

    strategy: str = "undercut_by_5_percent"
    min_margin_percent: float = 15.0
    max_discount_percent: float = 20.0
    price_floor: float | None = None
    price_ceiling: float | None = None
    price_ending: int = 900  # prices end in ...900 (Rp 142.900); 0 = whole hundreds

    @classmethod
    def from_inputs(cls, inputs: dict[str, Any]) -> PricingRules:
        def num(name: str, default: float | None) -> float | None:
            value = inputs.get(name, default)
            return None if value is None else float(value)

        ending = inputs.get("price_ending", 900)
        return cls(
            strategy=str(inputs.get("pricing_strategy") or "undercut_by_5_percent"),
            min_margin_percent=num("min_margin_percent", 15.0) or 0.0,
            max_discount_percent=num("max_discount_percent", 20.0) or 0.0,
            price_floor=num("price_floor", None),
            price_ceiling=num("price_ceiling", None),
            price_ending=int(ending or 0),
        )


@dataclass(slots=True)
class Decision:
    """What to do with one product's price on one marketplace, and why."""

    sku: str
    platform: str
    action: Action
    current_price: int
    target_price: int  # what to set (lower/raise), or the price under review
    floor_price: int
    ceiling_price: int
    lowest_competitor: int | None
    lowest_seller: str | None
    competitors_in_stock: int
    competitors_out_of_stock: int
    reasons: list[str] = field(default_factory=list)
    base_price: int | None = None  # the product's list price
    strategy_price: int | None = None  # what the strategy alone gives (before the floor)
    floor_rule: str = "discount"  # which rule sets the floor: margin / discount / floor
    floor_percent: float | None = None  # that rule's percent (min margin / max discount)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def parse_strategy(strategy: str) -> float | None:
    """Percent under the cheapest competitor; 0 to match it; None = only monitor."""
    if strategy in ("match_lowest", "follow_lowest", "match"):
        return 0.0
    match = re.fullmatch(r"undercut_by_(\d+(?:\.\d+)?)_percent", strategy)
    return float(match.group(1)) if match else None


def round_to_ending(price: float, ending: int) -> int:
    """The highest price at or below ``price`` ending in ``ending`` (900 -> ...900)."""
    if ending <= 0:
        return int(math.floor(price / 100) * 100)
    step = 10 ** len(str(ending))
    return int(math.floor((price - ending) / step) * step + ending)


def _ceil_to_ending(price: float, ending: int) -> int:
    """The lowest price at or above ``price`` with the ending (for floors)."""
    down = round_to_ending(price, ending)
    if down >= price:
        return down
    return down + (10 ** len(str(ending)) if ending > 0 else 100)


def decide(
    *,
    sku: str,
    platform: str,
    current_price: int,
    base_price: int,
    cost: int | None,
    offers: list[dict[str, Any]],
    rules: PricingRules,
) -> Decision:
    """Apply ``rules`` to one product on one marketplace; ``offers`` are competitors'
    ``{"seller", "price", "stock"}``."""
    in_stock = [o for o in offers if o.get("price") and (o.get("stock") is None or o["stock"] > 0)]
    out_of_stock = len(offers) - len(in_stock)
    cheapest = min(in_stock, key=lambda o: o["price"]) if in_stock else None
    floors = {"discount": max(base_price, current_price) * (1 - rules.max_discount_percent / 100)}
    if cost is not None and rules.min_margin_percent < 100:
        floors["margin"] = cost / (1 - rules.min_margin_percent / 100)
    if rules.price_floor is not None:
        floors["floor"] = rules.price_floor
    floor_rule = max(floors, key=lambda name: floors[name])
    floor = _ceil_to_ending(floors[floor_rule], rules.price_ending)
    ceiling = int(rules.price_ceiling if rules.price_ceiling is not None else base_price)
    d = Decision(sku=sku, platform=platform, action="keep", current_price=current_price,
                 target_price=current_price, floor_price=floor, ceiling_price=ceiling,
                 lowest_competitor=int(cheapest["price"]) if cheapest else None,
                 lowest_seller=cheapest["seller"] if cheapest else None,
                 competitors_in_stock=len(in_stock), competitors_out_of_stock=out_of_stock,
                 base_price=base_price, floor_rule=floor_rule,
                 floor_percent={"margin": rules.min_margin_percent,
                                "discount": rules.max_discount_percent}.get(floor_rule))
    cut = parse_strategy(rules.strategy)
    if cheapest is None:
        d.reasons.append("no competitor in stock: price kept")
        return d
    if cut is None:
        d.reasons.append(f"strategy {rules.strategy!r} only monitors: price kept")
        return d
    raw = cheapest["price"] * (1 - cut / 100)
    target = round_to_ending(min(raw, ceiling), rules.price_ending)
    d.strategy_price = target
    d.reasons.append(f"cheapest in stock: {cheapest['seller']} at Rp {cheapest['price']:,}; "
                     f"{rules.strategy} gives Rp {target:,}")
    if cost is None:  # the margin cannot be checked; the discount floor still binds
        d.action, d.target_price = "review", max(target, floor)
        d.reasons.append("cost unknown: the minimum margin cannot be checked")
        return d
    if target < floor:
        d.action, d.target_price = "review", floor
        d.reasons.append(f"Rp {target:,} is under the floor Rp {floor:,} (margin "
                         f"{rules.min_margin_percent:g}% / discount {rules.max_discount_percent:g}%"
                         "): flagged for review, not changed")
        return d
    if target == current_price:
        d.reasons.append("already at the target")
        return d
    d.action, d.target_price = ("lower" if target < current_price else "raise"), target
    return d
