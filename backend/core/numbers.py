"""Numbers, Rupiah and percentages as each locale writes them: the one set of rules the UI
(``spio_ui.formatting``), the sentences services write (price reviews, run summaries)
and run messages share, so no page shows "Rp 126,900" beside "Rp 126.900".

- Indonesian (``id``): ``1.500.000``, ``Rp 126.900``, ``100,0 %``, ``−8,8 %``.
- English (``en``): ``1,500,000``, ``Rp 126,900``, ``100.0%``, ``−8.8%``.
"""

from __future__ import annotations

__all__ = ["MINUS", "number", "rupiah", "percent"]

MINUS = "\u2212"  # the minus sign of a signed change (−8,8 %)


def number(value: float | int | None, *, decimals: int = 0, lang: str = "id") -> str:
    """``1500000`` -> ``1.500.000`` (id) / ``1,500,000`` (en); None -> ``–``."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"  # English marks
    if lang == "en":
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def rupiah(value: float | int | None, *, lang: str = "id") -> str:
    """``Rp 126.900`` (id) / ``Rp 126,900`` (en); a negative keeps its sign before ``Rp``."""
    if value is None:
        return "–"
    return ("-" if value < 0 else "") + "Rp " + number(abs(round(value)), lang=lang)


def percent(points: float | None, *, decimals: int = 1, lang: str = "id",
            signed: bool = False) -> str:  # fmt: skip
    """``points`` (already in percent) as ``98,5 %`` (id) / ``98.5%`` (en); ``signed``
    writes ``+`` for a rise and ``−`` for a fall."""
    if points is None:
        return "–"
    sign = "+" if signed and points > 0 else MINUS if points < 0 else ""
    text = number(abs(points), decimals=decimals, lang=lang)
    return f"{sign}{text} %" if lang == "id" else f"{sign}{text}%"
