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
from backend.domain.schedule import next_fire_times
from backend.domain.spec import Schedule

__all__ = ["describe_schedule", "fires_in_words", "moment_in_words", "next_fires_in_words"]

_ABBR = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT", "UTC": "UTC"}


def _days(dow: str, lang: str) -> str | None:
    names = vocab.DAY_NAMES_ID if lang == "id" else vocab.DAY_NAMES_EN
    if dow == "1-5":
        return "hari kerja (Senin–Jumat)" if lang == "id" else "weekday (Monday–Friday)"
    days: list[int] = []
    try:
        for part in dow.split(","):
            first, _, last = part.partition("-")
            days += list(range(int(first), int(last or first) + 1))
    except ValueError:
        return None
    return ", ".join(names[d % 7] for d in dict.fromkeys(days))


def _every(n: int, unit: str, lang: str) -> str:
    """"setiap 10 menit" / "every 10 minutes" (``unit``: "minute" or "hour")."""
    id_word = {"minute": "menit", "hour": "jam"}[unit]
    if lang == "id":
        return f"setiap {id_word}" if n == 1 else f"setiap {n} {id_word}"
    return f"every {unit}" if n == 1 else f"every {n} {unit}s"


def _step(field: str) -> int | None:
    """The N of ``*`` (1) or ``*/N``; None for anything else."""
    if field == "*":
        return 1
    if field.startswith("*/") and field[2:].isdigit() and int(field[2:]) > 0:
        return int(field[2:])
    return None


def _frequent(minute: str, hours: str, rest: list[str], lang: str) -> str | None:
    """Crons firing many times a day: "*/10 * * * *", "0 */2 * * *", "15 * * * *"."""
    if rest != ["*", "*", "*"]:
        return None
    every_minute, every_hour = _step(minute), _step(hours)
    if every_minute is not None and hours == "*":
        return _every(every_minute, "minute", lang)
    if minute.isdigit() and every_hour is not None:
        text = _every(every_hour, "hour", lang)
        if minute == "0":
            return text
        return (f"{text} pada menit ke-{int(minute)}" if lang == "id" else
                f"{text} at minute {int(minute)}")  # fmt: skip
    return None


def _cron_words(cron: str, lang: str) -> str:
    """A five-field cron in words; one it cannot say plainly stays as it is, marked."""
    parts = cron.split()
    fallback = f"jadwal cron '{cron}'" if lang == "id" else f"cron schedule '{cron}'"
    if len(parts) != 5:
        return fallback
    minute, hours, dom, month, dow = parts
    frequent = _frequent(minute, hours, [dom, month, dow], lang)
    if frequent is not None:
        return frequent
    try:
        times = ", ".join(f"{int(h):02d}:{int(minute):02d}" for h in hours.split(","))
    except ValueError:
        return fallback
    at = f"pukul {times}" if lang == "id" else f"at {times}"
    months = vocab.MONTH_NAMES_ID if lang == "id" else vocab.MONTH_NAMES_EN
    if dom == "*" and month == "*" and dow == "*":
        return f"setiap hari {at}" if lang == "id" else f"every day {at}"
    if dom == "*" and month == "*":
        days = _days(dow, lang)
        if days:
            return f"setiap {days} {at}" if lang == "id" else f"every {days} {at}"
    if dow == "*" and month == "*" and dom == "L":
        return f"setiap akhir bulan {at}" if lang == "id" else f"at the end of every month {at}"
    if dow == "*" and month == "*" and dom.isdigit():
        return f"setiap tanggal {dom} {at}" if lang == "id" else f"on day {dom} of every month {at}"
    if dow == "*" and dom.isdigit() and month.isdigit() and 1 <= int(month) <= 12:
        return (f"setiap tahun tanggal {dom} {months[int(month)]} {at}" if lang == "id" else
                f"every year on {dom} {months[int(month)]} {at}")  # fmt: skip
    return fallback


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


def next_fires_in_words(schedule: Schedule | None, *, lang: str, after: datetime,
                        count: int = 3) -> list[str]:  # fmt: skip
    """A validated schedule's next ``count`` fire times after ``after``, in words in the
    schedule's own zone (fewer when it ends; none without a schedule)."""
    if schedule is None:
        return []
    zone = str(schedule.timezone or "Asia/Jakarta")
    return [moment_in_words(m, lang=lang, zone=zone)
            for m in next_fire_times(schedule, after=after, count=count)]  # fmt: skip
