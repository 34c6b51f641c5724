"""Which of the seller's shops a prompt means: ``inputs.accounts`` of the plan (a price
watch, a catalog sync, a BI report: the marketplaces it names).

"di kedua toko Shopee saya", "2 toko shopee", "both my Shopee shops" name every shop on
one marketplace (``{"shopee": "all"}``); "semua toko saya", "all my shops" every shop on
every marketplace of the plan; a shop's own name ("toko-b", "toko-a dan toko-b") that
shop, on the marketplace named next to it (else on each marketplace of the plan). A
prompt that says none of these leaves ``accounts`` out: the job then acts on every live
shop (backend.connectors.shops).
"""

from __future__ import annotations

import re
from typing import Any

from backend.ai.planner_extract import platform_mentions

__all__ = ["shop_accounts", "shop_words"]

_MARKET = r"(shopee|tokopedia|tokped|lazada|tiktok\s*shop|tiktok|blibli)"
_MANY_ID = r"(?:kedua|dua|2|semua|seluruh|tiap|setiap|masing-masing)"
_MANY_EN = r"(?:both|all|each|every|two|2)"
_SHOP_ID = r"(?:toko|akun|lapak|store|shop)"
_SHOP_EN = r"(?:shops|stores|accounts)"
# Every shop on one marketplace.
_ONE_MARKET = (
    re.compile(rf"\b{_MANY_ID}\s+(?:\w+\s+)?{_SHOP_ID}\s+(?:(?:saya|ku|kami|di|yang di)\s+)?"
               rf"{_MARKET}"),
    re.compile(rf"\b{_MANY_EN}\s+(?:of\s+)?(?:my\s+|our\s+)?(?:\w+\s+)?{_MARKET}\s+{_SHOP_EN}"),
    re.compile(rf"\bmy\s+(?:two|2)\s+{_MARKET}\s+{_SHOP_EN}"),
    re.compile(rf"\b{_MARKET}\s+(?:shops|stores)\s+(?:both|all)\b"),
)  # fmt: skip
# Every shop on every marketplace of the plan.
_EVERY = re.compile(
    rf"\b(?:{_MANY_ID}\s+{_SHOP_ID}(?:\s+(?:saya|ku|kami|kita|online))|"
    rf"semua\s+toko\b|seluruh\s+toko\b|"
    rf"{_MANY_EN}\s+(?:of\s+)?(?:my|our)\s+{_SHOP_EN}|all\s+(?:the\s+)?{_SHOP_EN}\b)")
_NAMED = re.compile(r"\b(toko-[a-z0-9]+(?:-[a-z0-9]+)*)\b")
_ALIASES = {"tokped": "tokopedia", "tiktok": "tiktok", "tiktokshop": "tiktok",
            "tiktok shop": "tiktok"}  # fmt: skip


def _market(word: str, markets: list[str]) -> str:
    """A marketplace as the plan spells it (``tiktok`` in a price watch, ``tiktok_shop``
    in a catalog sync or a report)."""
    word = _ALIASES.get(" ".join(word.split()), " ".join(word.split()))
    if word == "tiktok" and "tiktok" not in markets:
        return "tiktok_shop"
    return word


def _nearest_market(text: str, pos: int, markets: list[str]) -> str | None:
    """The plan's marketplace named closest to ``pos`` (within 40 characters)."""
    best: tuple[int, str] | None = None
    for at, name in platform_mentions(text):
        market = _market({"tiktok_shop": "tiktok"}.get(name, name), markets)
        distance = abs(at - pos)
        if market in markets and distance <= 40 and (best is None or distance < best[0]):
            best = (distance, market)
    return None if best is None else best[1]


def shop_accounts(prompt: str, *, markets: list[str]) -> dict[str, Any] | None:
    """``inputs.accounts`` for the plan's ``markets`` from what ``prompt`` says, or None."""
    text = prompt.lower()
    out: dict[str, Any] = {}
    for pattern in _ONE_MARKET:
        for match in pattern.finditer(text):
            market = _market(match.group(1), markets)
            if market in markets:
                out[market] = "all"
    if not out and _EVERY.search(text):
        out = dict.fromkeys(markets, "all")
    for match in _NAMED.finditer(text):
        near = _nearest_market(text, match.start(), markets)
        for market in [near] if near else markets:
            named = out.get(market)
            if named != "all":
                out[market] = [*(named or []), match.group(1)]
    return out or None


def shop_words(accounts: Any, lang: str) -> str:
    """The shops of a plan in words (" (semua toko Shopee Anda)"), or "" when it names
    none."""
    if not isinstance(accounts, dict) or not accounts:
        return ""
    parts = []
    for market, names in accounts.items():
        shown = {"tiktok": "TikTok Shop"}.get(market) or \
            market.replace("_", " ").title().replace("Tiktok", "TikTok")  # fmt: skip
        if names == "all":
            parts.append(f"semua toko {shown} Anda" if lang == "id" else f"all your {shown} shops")
        else:
            joined = ", ".join(str(n) for n in names)
            parts.append(f"{joined} di {shown}" if lang == "id" else f"{joined} on {shown}")
    return " (" + "; ".join(parts) + ")"
