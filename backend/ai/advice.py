"""Pricing recommendations with reasons, from my price, cost, competitor prices and rules.

The offline engine follows the seed's decision rule: undercut the cheapest competitor by
the strategy's percentage, never below the margin floor (margin on the selling price) nor
more than the maximum discount; when the competitor cannot be beaten within the rules the
product is flagged for review. The LLM may word the reasons and pick a price, but its price
must satisfy the same rules or the offline answer stands.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel, Field

from backend.ai.llm import ask_llm
from backend.core.config import Settings

__all__ = ["PriceAdvice", "RulesFigures", "pricing_advice", "margin_floor"]

Action = Literal["lower", "raise", "keep", "review"]


class PriceAdvice(BaseModel):
    """What to do with one product's price, and why."""

    action: Action
    recommended_price: float
    current_price: float
    floor_price: float = Field(description="Lowest price the margin and discount rules allow.")
    lowest_competitor: float | None = None
    reasons: list[str]
    engine: Literal["offline", "llm"] = "offline"
    fallback_reason: str | None = None


def margin_floor(*, cost: float, min_margin_percent: float) -> float:
    """Lowest price keeping ``min_margin_percent`` of the price as margin."""
    return cost / (1 - min_margin_percent / 100) if min_margin_percent < 100 else math.inf


def _round_down(price: float, step: float = 100) -> float:
    return math.floor(price / step) * step


def _round_up(price: float, step: float = 100) -> float:
    return math.ceil(price / step) * step


def _rp(value: float) -> str:
    return "Rp " + f"{value:,.0f}".replace(",", ".")


def _undercut(strategy: str) -> float | None:
    if strategy == "match_lowest":
        return 0.0
    match = re.fullmatch(r"undercut_by_(\d+(?:\.\d+)?)_percent", strategy)
    return float(match.group(1)) if match else None


def _offline(
    my_price: float,
    cost: float,
    prices: list[float],
    strategy: str,
    min_margin: float,
    max_discount: float,
    lang: str,
    rules: RulesFigures | None = None,
) -> PriceAdvice:
    id_ = lang == "id"
    floor_margin = _round_up(margin_floor(cost=cost, min_margin_percent=min_margin))
    floor_discount = _round_up(my_price * (1 - max_discount / 100))
    floor = max(floor_margin, floor_discount)
    if rules is not None:  # the repricing rules decided: say their floor, not another
        floor = rules.floor_price
    reasons: list[str] = []
    valid = [p for p in prices if p and p > 0]
    if len(valid) >= 3:
        median = statistics.median(valid)
        outliers = [p for p in valid if p < 0.5 * median]
        if outliers:
            valid = [p for p in valid if p >= 0.5 * median]
            reasons.append(f"{len(outliers)} harga kompetitor < 50% median diabaikan (salah input/"
                           "stok habis?)" if id_ else f"ignored {len(outliers)} competitor "
                           "price(s) under half the median (typo or out of stock?)")  # fmt: skip
    lowest = min(valid) if valid else None
    cut = _undercut(strategy)
    base = {"current_price": my_price, "floor_price": floor, "lowest_competitor": lowest}
    if lowest is None or strategy == "monitor_only" or cut is None:
        why = "tidak ada harga kompetitor" if lowest is None else "strategi hanya memantau"
        why_en = "no competitor prices" if lowest is None else "strategy is monitor only"
        return PriceAdvice(action="keep", recommended_price=my_price,
                           reasons=reasons + [why if id_ else why_en], **base)  # fmt: skip
    target = _round_down(lowest * (1 - cut / 100))
    if rules is not None and rules.strategy_price is not None:
        target = rules.strategy_price
    margin_now = (my_price - cost) / my_price * 100 if my_price else 0
    reasons.append(
        f"harga termurah kompetitor {_rp(lowest)}, harga Anda {_rp(my_price)} (margin "
        f"{margin_now:.1f}%)" if id_ else f"cheapest competitor {_rp(lowest)}, yours "
        f"{_rp(my_price)} (margin {margin_now:.1f}%)"
    )  # fmt: skip
    if target >= my_price:
        if target > my_price * 1.02:
            reasons.append(f"Anda sudah termurah; bisa naik ke {_rp(target)} dan tetap termurah"
                           if id_ else f"you are already cheapest; you can raise to "
                           f"{_rp(target)} and stay cheapest")  # fmt: skip
            return PriceAdvice(action="raise", recommended_price=target, reasons=reasons, **base)
        reasons.append("harga Anda sudah sesuai strategi" if id_ else "already on strategy")
        return PriceAdvice(action="keep", recommended_price=my_price, reasons=reasons, **base)
    if target >= floor:
        reasons.append(f"{strategy}: turunkan ke {_rp(target)}, margin tetap ≥ {min_margin:g}%"
                       if id_ else f"{strategy}: lower to {_rp(target)}, margin stays ≥ "
                       f"{min_margin:g}%")  # fmt: skip
        return PriceAdvice(action="lower", recommended_price=target, reasons=reasons, **base)
    rule = rules.floor_rule if rules is not None else (
        "margin" if floor == floor_margin else "discount")  # fmt: skip
    limit = {"margin": (f"margin minimal {min_margin:g}%", f"minimum margin {min_margin:g}%"),
             "floor": ("harga minimum", "price floor")}.get(rule, (
             f"diskon maksimal {max_discount:g}%", f"maximum discount {max_discount:g}%"))[
             0 if id_ else 1]  # fmt: skip
    reasons.append(
        f"target {_rp(target)} melanggar {limit} (batas {_rp(floor)}); perlu ditinjau" if id_
        else f"target {_rp(target)} breaks the {limit} (floor {_rp(floor)}); flagged for review"
    )  # fmt: skip
    action: Action = "review"
    recommended = floor if floor < my_price else my_price
    return PriceAdvice(action=action, recommended_price=recommended, reasons=reasons, **base)


class RulesFigures(BaseModel):
    """What the repricing rules computed for the listing: the advice quotes these
    (their floor, which rule set it, the strategy's price at the job's price ending)
    instead of working out figures of its own that could disagree with the decision."""

    floor_price: float
    floor_rule: str = "discount"  # margin / discount / floor
    strategy_price: float | None = None


class _LLMAnswer(BaseModel):
    action: Action
    recommended_price: float = Field(gt=0)
    reasons: list[str] = Field(min_length=1)


def pricing_advice(
    *,
    my_price: float,
    cost: float,
    competitor_prices: Sequence[float] | Mapping[str, float],
    strategy: str = "undercut_by_5_percent",
    min_margin_percent: float = 15,
    max_discount_percent: float = 20,
    language: str = "id",
    use_ai: bool = False,
    settings: Settings | None = None,
    rules: RulesFigures | None = None,
) -> PriceAdvice:
    """Recommend a price; the rules (margin floor, max discount) bind both engines.
    ``rules``: the repricing rules' own figures for this listing, when they decided."""
    prices = list(competitor_prices.values() if isinstance(competitor_prices, Mapping)
                  else competitor_prices)  # fmt: skip
    offline = _offline(my_price, cost, [float(p) for p in prices], strategy, min_margin_percent,
                       max_discount_percent, "en" if language == "en" else "id",
                       rules)  # fmt: skip
    if not use_ai:
        return offline

    def parse(data: Any) -> _LLMAnswer:
        answer = _LLMAnswer.model_validate(data)
        if answer.recommended_price < offline.floor_price - 0.5:
            raise ValueError(f"recommended_price below the floor {offline.floor_price:.0f}")
        return answer

    payload = {"my_price": my_price, "cost": cost, "competitor_prices": prices,
               "strategy": strategy, "min_margin_percent": min_margin_percent,
               "max_discount_percent": max_discount_percent,
               "floor_price": offline.floor_price, "language": language,
               "offline_advice": offline.model_dump()}  # fmt: skip
    answer, why = ask_llm(settings, system=_SYSTEM, payload=payload, parse=parse)
    if answer is None:
        return offline.model_copy(update={"fallback_reason": why})
    return offline.model_copy(update={"action": answer.action, "engine": "llm",
                                      "recommended_price": answer.recommended_price,
                                      "reasons": answer.reasons})  # fmt: skip


_SYSTEM = (
    "TASK: pricing_advice\n"
    "You advise an Indonesian online seller on one product's price. Respect floor_price (the "
    'margin and discount rules) strictly. Reply with JSON {"action": lower|raise|keep|review, '
    '"recommended_price": number, "reasons": [short strings in the given language]}.'
)
