"""A job's schedule and its next fire times said in words (Indonesian or English).

:func:`describe_schedule` turns a spec's ``schedule`` ("cron": "0 7 * * 1-5") into "setiap
hari kerja (Senin–Jumat) pukul 07:00"; :func:`fires_in_words` turns fire times into
"Senin, 7 Desember 2026 pukul 15:00 WIB". The planner's proposal shows both, and the job
editor can call them for any spec.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from backend.ai import planner_vocab as vocab

__all__ = ["describe_schedule", "fires_in_words", "moment_in_words"]

_ABBR = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT", "UTC": "UTC"}


def _days(dow: str, lang: str) -> str | None:
    names = vocab.DAY_NAMES_ID if lang == "id" else vocab.DAY_NAMES_EN
    if dow == "1-5":
        return "hari kerja (Senin–Jumat)" if lang == "id" else "weekday (Monday–Friday)"
    try:
        days = [int(d) % 7 for d in dow.split(",")]
    except ValueError:
        return None
    return ", ".join(names[d] for d in days)


def _cron_words(cron: str, lang: str) -> str:
    parts = cron.split()
    if len(parts) != 5 or not parts[0].isdigit():
        return f"cron '{cron}'"
    minute, hours, dom, month, dow = parts
    try:
        times = ", ".join(f"{int(h):02d}:{int(minute):02d}" for h in hours.split(","))
    except ValueError:
        return f"cron '{cron}'"
    at = f"pukul {times}" if lang == "id" else f"at {times}"
    months = vocab.MONTH_NAMES_ID if lang == "id" else vocab.MONTH_NAMES_EN
    if dom == "*" and month == "*" and dow == "*":
        return f"setiap hari {at}" if lang == "id" else f"every day {at}"
    if dom == "*" and month == "*":
        days = _days(dow, lang)
        if days:
            return f"setiap {days} {at}" if lang == "id" else f"every {days} {at}"
    if dow == "*" and month == "*":
        day = "terakhir" if dom == "L" else dom
        if lang == "id":
            return f"setiap tanggal {day} {at}"
        return f"on day {'the last' if dom == 'L' else dom} of every month {at}"
    if dow == "*" and all(m.isdigit() for m in month.split(",")):
        names = ", ".join(months[int(m)] for m in month.split(","))
        return (f"tanggal {dom} bulan {names} {at}" if lang == "id" else
                f"on day {dom} of {names} {at}")  # fmt: skip
    return f"cron '{cron}'"


def moment_in_words(moment: datetime, *, lang: str, zone: str = "Asia/Jakarta") -> str:
    """'Senin, 7 Desember 2026 pukul 15:00 WIB' / 'Monday 7 December 2026 at 15:00 WIB'."""
    local = moment.astimezone(ZoneInfo(zone))
    day = (local.weekday() + 1) % 7
    hhmm = f"{local:%H:%M} {_ABBR.get(zone, zone)}"
    if lang == "id":
        return (f"{vocab.DAY_NAMES_ID[day]}, {local.day} {vocab.MONTH_NAMES_ID[local.month]} "
                f"{local.year} pukul {hhmm}")  # fmt: skip
    return (f"{vocab.DAY_NAMES_EN[day]} {local.day} {vocab.MONTH_NAMES_EN[local.month]} "
            f"{local.year} at {hhmm}")  # fmt: skip


def describe_schedule(schedule: dict[str, Any] | None, *, lang: str) -> str:
    """A spec's schedule in words; an absent schedule runs only on demand."""
    if not schedule:
        return ("tanpa jadwal: berjalan saat Anda menekan Jalankan" if lang == "id" else
                "no schedule: runs when you press Run")  # fmt: skip
    zone = str(schedule.get("timezone") or "Asia/Jakarta")
    if schedule.get("interval_sec"):
        seconds = int(float(schedule["interval_sec"]))
        for unit in (604800, 86400, 3600, 60, 1):
            if seconds % unit == 0:
                n, words = seconds // unit, vocab.UNIT_WORDS[unit]
                word = words[0] if lang == "id" else words[1].rstrip("s") if n == 1 else words[1]
                if n == 1:
                    return f"setiap {word}" if lang == "id" else f"every {word}"
                return f"setiap {n} {word}" if lang == "id" else f"every {n} {word}"
    if schedule.get("cron"):
        return _cron_words(str(schedule["cron"]), lang)
    if schedule.get("at"):
        at = datetime.fromisoformat(str(schedule["at"]))
        if at.tzinfo is None:
            at = at.replace(tzinfo=ZoneInfo(zone))
        return ("sekali, " if lang == "id" else "once, ") + moment_in_words(at, lang=lang,
                                                                            zone=zone)
    return ""


def fires_in_words(fires: list[str], *, lang: str, zone: str = "Asia/Jakarta") -> list[str]:
    """ISO fire times (as in an estimate) in words, in the job's time zone."""
    return [moment_in_words(datetime.fromisoformat(f), lang=lang, zone=zone) for f in fires]
