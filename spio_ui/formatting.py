"""Indonesian number, currency, duration and time formats used across the UI.

Figures are formatted on the server (in state) so the browser shows exactly what the
tests assert: ``Rp 1.500.000``, ``98,5%``, ``1 j 05 m``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

__all__ = [
    "format_number",
    "format_rupiah",
    "format_percent",
    "format_duration",
    "format_datetime",
    "format_bytes",
]

_JAKARTA = ZoneInfo("Asia/Jakarta")


def format_number(value: float | int | None, *, decimals: int = 0) -> str:
    """``1500000`` -> ``1.500.000``; ``2.5`` with one decimal -> ``2,5`` (Indonesian)."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"  # 1,500,000.25 (English grouping)
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def format_rupiah(value: float | int | None) -> str:
    """``1500000`` -> ``Rp 1.500.000``; negatives keep the sign before ``Rp``."""
    if value is None:
        return "–"
    sign = "-" if value < 0 else ""
    return f"{sign}Rp {format_number(abs(round(value)))}"


def format_percent(ratio: float | None, *, decimals: int = 1) -> str:
    """``0.985`` -> ``98,5%``."""
    if ratio is None:
        return "–"
    return f"{format_number(ratio * 100, decimals=decimals)}%"


def format_duration(seconds: float | None, *, lang: str = "id") -> str:
    """A short human duration: ``850 ms``, ``12,3 dtk``/``12.3 s``, ``4 mnt 05 dtk``."""
    if seconds is None:
        return "–"
    h, m, s = ("jam", "mnt", "dtk") if lang == "id" else ("h", "min", "s")
    if seconds < 1:
        return f"{round(seconds * 1000)} ms"
    if seconds < 60:
        text = f"{seconds:.1f}"
        return f"{text.replace('.', ',') if lang == 'id' else text} {s}"
    minutes, secs = divmod(int(round(seconds)), 60)
    if minutes < 60:
        return f"{minutes} {m} {secs:02d} {s}"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} {h} {minutes:02d} {m}"


def format_datetime(value: datetime | None, *, with_seconds: bool = False) -> str:
    """A moment shown in Jakarta time: ``26-11-2026 17:05 WIB``."""
    if value is None:
        return "–"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    pattern = "%d-%m-%Y %H:%M:%S" if with_seconds else "%d-%m-%Y %H:%M"
    return value.astimezone(_JAKARTA).strftime(pattern) + " WIB"


def format_bytes(size: int | None) -> str:
    """``1536`` -> ``1,5 KB``."""
    if size is None:
        return "–"
    value, unit = float(size), 0
    while value >= 1024 and unit < 3:
        value, unit = value / 1024, unit + 1
    name = ("B", "KB", "MB", "GB")[unit]
    return f"{format_number(value, decimals=0 if unit == 0 else 1)} {name}"
