"""Numbers, money, dates and times of a report in its language (``id`` or ``en``).

Indonesian writes 1.234.567 and 12,5 %, dates as "7 Des 2026" and times as "09.30";
English 1,234,567, 12.5%, "7 Dec 2026" and "09:30". Times carry the job's zone by
its Indonesian name (WIB, WITA, WIT) where it has one. Every formatter takes the
language keyword-only and returns "–" for a missing value.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

__all__ = ["lang_of", "number", "rupiah", "percent", "delta", "times", "month_day",
           "day_long", "stamp", "zone_label", "MISSING"]  # fmt: skip

MISSING = "–"
_MONTHS = {
    "id": ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
# Indonesia's zones by the names people there use; others by their own abbreviation.
_ZONES = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA",
          "Asia/Jayapura": "WIT"}  # fmt: skip


def lang_of(value: Any) -> str:
    """``en`` only when asked for; Indonesian is the default."""
    return "en" if str(value or "").lower().startswith("en") else "id"


def _grouped(value: float, decimals: int, lang: str) -> str:
    text = f"{value:,.{decimals}f}"
    if lang == "id":  # swap the separators: 1,234.5 -> 1.234,5
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def number(value: Any, *, lang: str, decimals: int = 0) -> str:
    """1.234 (id) / 1,234 (en); small fractions keep two decimals."""
    if value is None:
        return MISSING
    v = float(value)
    if decimals == 0 and v != int(v) and abs(v) < 10:
        decimals = 2
    return ("−" if v < 0 else "") + _grouped(abs(v), decimals, lang)


def rupiah(value: Any, *, lang: str) -> str:
    """Rp 1.234.567 (id) / Rp 1,234,567 (en), whole rupiah."""
    if value is None:
        return MISSING
    v = float(value)
    return ("−" if v < 0 else "") + "Rp " + _grouped(abs(round(v)), 0, lang)


def percent(value: Any, *, lang: str, decimals: int = 1) -> str:
    """0.125 -> 12,5% (id) / 12.5% (en)."""
    if value is None:
        return MISSING
    v = float(value) * 100
    return ("−" if v < 0 else "") + _grouped(abs(v), decimals, lang) + "%"


def delta(value: Any, *, lang: str) -> str:
    """A relative change with its sign: +12,3% / −4,0%."""
    if value is None:
        return MISSING
    if round(float(value) * 100, 1) == 0:  # no "−0,0%" for a change too small to show
        return percent(0, lang=lang)
    return ("+" if float(value) > 0 else "") + percent(value, lang=lang)


def times(value: Any, *, lang: str) -> str:
    """A ratio such as ROAS: 3,40x (id) / 3.40x (en)."""
    if value is None:
        return MISSING
    return _grouped(float(value), 2, lang) + "x"


def _as_date(value: date | str) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def day_long(value: date | str, *, lang: str) -> str:
    """7 Des 2026 (id) / 7 Dec 2026 (en); text that is no date comes back as it was."""
    d = _as_date(value)
    if d is None:
        return str(value)
    return f"{d.day} {_MONTHS[lang_of(lang)][d.month - 1]} {d.year}"


def month_day(value: date | str, *, lang: str) -> str:
    """7 Des: an axis label."""
    d = _as_date(value)
    if d is None:
        return str(value)
    return f"{d.day} {_MONTHS[lang_of(lang)][d.month - 1]}"


def zone_label(tz: str, *, at: datetime | None = None) -> str:
    """WIB for Asia/Jakarta; elsewhere the zone's abbreviation (CET, UTC) or its name."""
    if tz in _ZONES:
        return _ZONES[tz]
    try:
        abbrev = (at or datetime.now(ZoneInfo(tz))).astimezone(ZoneInfo(tz)).tzname()
    except (KeyError, ValueError):
        return tz
    # Zones without a letter abbreviation print an offset such as "+07": name them.
    return abbrev if abbrev and abbrev[0].isalpha() else tz


def stamp(moment: datetime, *, tz: str, lang: str) -> str:
    """7 Des 2026 09.30 WIB (id) / 7 Dec 2026 09:30 WIB (en), in ``tz``."""
    try:
        local = moment.astimezone(ZoneInfo(tz))
    except (KeyError, ValueError):
        local = moment
    clock = f"{local:%H}{'.' if lang_of(lang) == 'id' else ':'}{local:%M}"
    return f"{day_long(local.date(), lang=lang)} {clock} {zone_label(tz, at=local)}"
