"""Numbers, Rupiah, percentages, durations and moments as the reader's locale writes them.

The one formatting module of the UI: every figure goes through here with the reader's
language, so a page never mixes "Rp 126,900" with "Rp 126.900".

- Indonesian (``id``, the default): ``Rp 1.500.000``, ``98,5 %``, ``12,3 dtk``.
- English (``en``): ``Rp 1,500,000``, ``98.5%``, ``12.3 s``.

The rules themselves live in ``backend.core.numbers`` (services writing sentences use
them too).

Moments are shown in the job's time zone (Jakarta, ``WIB``, when none is known):
``26-11-2026 17:05 WIB``. Figures are formatted on the server (in state) so the browser
shows exactly what the tests assert.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from backend.core import numbers

__all__ = [
    "DEFAULT_TZ",
    "format_number",
    "format_rupiah",
    "format_percent",
    "format_duration",
    "format_datetime",
    "format_clock",
    "format_bytes",
    "zone_label",
    "spec_zone",
]

DEFAULT_TZ = "Asia/Jakarta"
# Indonesia's three zones by their usual names; any other zone shows its UTC offset.
_ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA",
               "Asia/Jayapura": "WIT"}  # fmt: skip
_UNITS = {"id": ("jam", "mnt", "dtk"), "en": ("h", "min", "s")}


def format_number(value: float | int | None, *, decimals: int = 0, lang: str = "id") -> str:
    """``1500000`` -> ``1.500.000`` (id) / ``1,500,000`` (en); ``2.5`` -> ``2,5`` / ``2.5``."""
    return numbers.number(value, decimals=decimals, lang=lang)


def format_rupiah(value: float | int | None, *, lang: str = "id") -> str:
    """``1500000`` -> ``Rp 1.500.000``; negatives keep the sign before ``Rp``."""
    return numbers.rupiah(value, lang=lang)


def format_percent(
    ratio: float | None, *, decimals: int = 1, lang: str = "id", signed: bool = False
) -> str:
    """``0.985`` -> ``98,5 %`` (id) / ``98.5%`` (en); ``signed`` adds ``+``/``−``."""
    points = None if ratio is None else ratio * 100
    return numbers.percent(points, decimals=decimals, lang=lang, signed=signed)


def format_duration(seconds: float | None, *, lang: str = "id") -> str:
    """A short human duration: ``850 ms``, ``12,3 dtk``/``12.3 s``, ``4 mnt 05 dtk``."""
    if seconds is None:
        return "–"
    h, m, s = _UNITS.get(lang, _UNITS["id"])
    if seconds < 1:
        return f"{round(seconds * 1000)} ms"
    if seconds < 60:
        return f"{format_number(seconds, decimals=1, lang=lang)} {s}"
    minutes, secs = divmod(int(round(seconds)), 60)
    if minutes < 60:
        return f"{minutes} {m} {secs:02d} {s}"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} {h} {minutes:02d} {m}"


def spec_zone(spec: Mapping[str, Any] | None) -> str | None:
    """A job's time zone from its spec (its schedule's); None when it has none."""
    schedule = (spec or {}).get("schedule")
    return str(schedule.get("timezone") or "") or None if isinstance(schedule, Mapping) else None


def _zone(tz: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(tz or DEFAULT_TZ)
    except (KeyError, ValueError):  # an unknown name: the default rather than a crash
        return ZoneInfo(DEFAULT_TZ)


def zone_label(moment: datetime, tz: str | None) -> str:
    """``WIB``/``WITA``/``WIT`` for Indonesia's zones, else ``UTC+hh:mm``."""
    name = _ZONE_NAMES.get(_zone(tz).key)
    if name:
        return name
    offset = moment.strftime("%z")  # +0900
    return f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"


def _local(value: datetime, tz: str | None) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)  # the database stores naive UTC
    return value.astimezone(_zone(tz))


def format_datetime(
    value: datetime | None, *, with_seconds: bool = False, tz: str | None = None
) -> str:
    """A moment in the job's zone (Jakarta by default): ``26-11-2026 17:05 WIB``."""
    if value is None:
        return "–"
    local = _local(value, tz)
    pattern = "%d-%m-%Y %H:%M:%S" if with_seconds else "%d-%m-%Y %H:%M"
    return f"{local.strftime(pattern)} {zone_label(local, tz)}"


def format_clock(value: datetime | float | None, *, tz: str | None = None) -> str:
    """The time of day only (log lines): ``17:05:09``; a float is a Unix timestamp."""
    if value is None:
        return "–"
    if not isinstance(value, datetime):
        value = datetime.fromtimestamp(float(value), UTC)
    return _local(value, tz).strftime("%H:%M:%S")


def format_bytes(size: int | None, *, lang: str = "id") -> str:
    """``1536`` -> ``1,5 KB`` (id) / ``1.5 KB`` (en)."""
    if size is None:
        return "–"
    value, unit = float(size), 0
    while value >= 1024 and unit < 3:
        value, unit = value / 1024, unit + 1
    name = ("B", "KB", "MB", "GB")[unit]
    return f"{format_number(value, decimals=0 if unit == 0 else 1, lang=lang)} {name}"
