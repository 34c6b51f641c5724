"""Percentages in a prompt: a campaign's discount, a repricing strategy, a send rate.

Each "N %" is read by the words nearest to it: "undercut 2%", "turunin 1%", "3% di
bawah" (undercut); "margin minimal 12%", "8% margin floor" (minimum margin); "jangan
diskon lebih dari 20%", "max discount 10%" (maximum discount); in a campaign, the one
percentage stated is its discount ("diskon 30%", "voucher 10%", "40% off").
"""

from __future__ import annotations

import re

from backend.ai.planner_reading import Strategy
from backend.ai.planner_text import parse_number

__all__ = [
    "percentages", "strategy", "discount", "discount_cap", "discount_range", "rate_per_minute"
]

_PCT = re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:%|persen\b|percent\b|pct\b)")
_RANGE = re.compile(r"(\d{1,2})\s*(?:%\s*)?(?:-|–|sampai|s/d|to|hingga)\s*(\d{1,2})\s*"
                    r"(?:%|persen\b|percent\b)")  # fmt: skip
_KINDS = (
    ("min_margin_percent", r"margin|\bmodal\b|\bhpp\b|\bprofit\b|\buntung\b|\bcost\b"),
    ("max_discount_percent", r"diskon|discount|disc\b|potongan|maks\w*|max\w*|lebih dari|"
                             r"more than|melebihi|exceed"),
    ("undercut_percent", r"undercut|turun\w*|potong\w*|lower\w*|\bcut\b|kurang\w*|lebih murah|"
                         r"di ?bawah|below|under|cheaper|beat|murah|selisih|\bbeda\b|\bgap\b|"
                         r"\bless than\b"),
)  # fmt: skip


def percentages(t: str) -> list[tuple[int, int, float]]:
    """``[(start, end, value)]`` of every percentage in normalised text ``t``."""
    out = []
    for m in _PCT.finditer(t):
        value = float(m.group(1).replace(",", "."))
        out.append((m.start(), m.end(), int(value) if value.is_integer() else value))
    return out


def _field_of(t: str, start: int, end: int) -> str | None:
    """The strategy field a percentage at start..end belongs to. "12% margin" is a margin
    floor; otherwise the words before it in its clause decide — a margin word first
    ("margin jangan di bawah 12%"), then a discount cap ("jangan diskon lebih dari 20%"),
    then an undercut ("turunin 1%", "by 2%") — and only then the words just after it
    ("3% di bawah", "2% cheaper")."""
    cut = r"[.;,]| tapi | but | tp | and | dan | while | sambil | with | keeping "
    if re.match(r"\s*(?:minimum |min\.? )?(?:margin|profit|untung|laba)\b", t[end:]):
        return "min_margin_percent"
    left = re.split(cut, t[max(0, start - 50) : start])[-1]
    right = re.split(cut + r"|\d", t[end : end + 25])[0]
    for clause in (left, right):
        for name, cue in _KINDS:
            if re.search(cue, clause):
                return name
    return None


def strategy(t: str) -> Strategy:
    """The repricing rules stated in normalised text ``t``."""
    found = Strategy()
    for start, end, value in percentages(t):
        name = _field_of(t, start, end)
        if name and getattr(found, name) is None:
            setattr(found, name, value)
    found.match_lowest = bool(re.search(
        r"match(?:ing)? (?:the )?(?:lowest|cheapest)|\bmatch lowest|samain harga|samakan harga|"
        r"price[- ]match\w*|\bmatch\w*\s+(?:\w+\s+){0,2}(?:termurah|terendah|lowest|cheapest)|"
        r"\b(?:di)?(?:sama|samakan|samain|menyamakan|setara)\w*\s+(?:\w+\s+){0,4}?"
        r"(?:termurah|terendah|paling murah|paling rendah|lowest|cheapest)\b|"
        r"(?:ikut|ngikut|ikuti|ikutin|ngikutin)\w*\s+(?:\w+\s+){0,3}?(?:terendah|paling rendah)|"
        r"sama(?:in|kan)? (?:dengan |dgn |sm )?(?:harga )?(?:yang |yg )?termurah|"
        r"(?:ikut|ngikut|ikuti|ikutin|ngikutin)\w*\s+(?:harga\s+)?(?:yang |yg )?(?:paling )?"
        r"(?:termurah|murah)|follow(?:ing)? the (?:lowest|cheapest)|same as the cheapest|"
        r"equal the lowest|\bmatch(?:ing)?\s+(?:the\s+|our\s+)?(?:competitors?'?s?|competition'?s?|"
        r"rivals?'?s?|kompetitor|pesaing)\s+(?:\w+\s+)?prices?\b|"
        r"\b(?:di)?(?:samakan|samain)\s+(?:harga(?:nya)?\s+)?(?:dengan|sama|dgn|ke)\s+(?:harga\s+)?"
        r"(?:kompetitor|pesaing|competitor)|"
        # the cheapest named first, then "samain aja harganya" / "match it"
        r"(?:termurah|terendah|paling murah|lowest|cheapest)\b[^.;]{0,60}?\b(?:di)?(?:samain|"
        r"samakan|samakan|match|ikutin|ikuti)\b(?:\s+(?:aja|saja|it|them))?\s*(?:harga(?:nya)?|"
        r"prices?|it|them|$|[.,;!])|"
        # a rival cheaper than us, then "match them"
        r"\b(?:cheaper|lebih murah)\b[^.]{0,80}?\bmatch\w*\s+(?:them|it|their prices?)\b", t))
    found.monitor_only = bool(re.search(
        r"(?:hanya|cuma) (?:pantau|monitor|report|laporan)|report (?:aja|saja|only)|"
        r"jangan (?:ubah|ganti|rubah|sentuh) harga|(?:monitor|track|report)(?:ing)? only|"
        r"do(?:n't| not) (?:change|adjust|touch)|without changing|no (?:price )?changes", t))
    return found


def discount_range(t: str) -> str | None:
    """'diskon 30-70%' -> '30-70%'; 'diskon hingga 40%' -> '0-40%'."""
    match = _RANGE.search(t)
    if match:
        return f"{match.group(1)}-{match.group(2)}%"
    single = discount(t)
    if single is not None and discount_cap(t, single):
        return f"0-{single:g}%"
    return None


def discount_cap(t: str, value: float) -> bool:
    """Whether the discount ``value`` is stated as a cap ("diskon hingga 40%", "up to 40%")."""
    return bool(re.search(rf"(?:maks\w*|max\w*|up to|hingga|sampai|s/d|upto)\s*(?:diskon\s*|"
                          rf"discount\s*)?{value:g}\s*(?:%|persen|percent)", t))  # fmt: skip


def discount(t: str) -> float | None:
    """The one discount a campaign prompt states (None when none or several)."""
    spans = [(m.start(), m.end()) for m in _RANGE.finditer(t)]
    values = {v for s, e, v in percentages(t) if not any(a <= s < b for a, b in spans)}
    return values.pop() if len(values) == 1 else None


def rate_per_minute(t: str) -> int | None:
    """'maksimal 100 pesan per menit' -> 100; '10 per detik' -> 600."""
    match = re.search(
        r"(\d[\d.,]*)\s*(?:pesan|messages?|msgs?|sms|wa|email|kiriman)?\s*(?:/|per|tiap|setiap|"
        r"every|a|an)\s*(menit|minute|min|detik|second|sec|jam|hour)\b",
        t,
    )
    if not match:
        return None
    per = {"menit": 1, "minute": 1, "min": 1, "detik": 1 / 60, "second": 1 / 60,
           "sec": 1 / 60, "jam": 60, "hour": 60}[match.group(2)]  # fmt: skip
    return max(1, round(parse_number(match.group(1)) / per))
