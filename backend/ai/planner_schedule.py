"""Schedules in everyday Indonesian and English -> the job spec's ``schedule``.

"tiap 5 menit", "setiap jam", "setiap hari jam 6 pagi", "tiap Senin jam 8", "every weekday
at 9am", "tanggal 12 Desember jam 10", "every 30 seconds", "sekarang" / "right now".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from backend.ai import planner_vocab as vocab

__all__ = ["FoundSchedule", "parse_schedule", "parse_time_of_day"]

_DAY = (
    r"(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday)"
)
_UNITS = "|".join(sorted(vocab.UNIT_SEC, key=len, reverse=True))
_INTERVAL = re.compile(
    rf"\b(?:tiap|setiap|every|each)\s+(\d+)\s*({_UNITS})\b|\b(\d+)\s*({_UNITS})\s+sekali\b"
)
_EVERY_UNIT = re.compile(
    r"\b(?:tiap|setiap|every|each)\s+(detik|second|menit|minute|jam|hour)\b(?!\s*\d)"
    r"|\b(hourly)\b"
)
_TIME = re.compile(
    r"\b(?:jam|pukul|pkl)\s*(\d{1,2})(?:[.:](\d{2}))?\s*(pagi|siang|sore|malam|am|pm)?\b"
    r"|(?:\bat\s*|@\s*)(\d{1,2})[.:](\d{2})\b\s*(am|pm)?"
    r"|\b(\d{1,2})(?:[.:](\d{2}))?\s*(am|pm)\b"
)
_MONTH_RE = "|".join(sorted(vocab.MONTHS, key=len, reverse=True))
_DATE_DM = re.compile(
    rf"\b(?:tanggal|tgl\.?|on)?\s*(\d{{1,2}})\s+({_MONTH_RE})\b\.?(?:\s+(\d{{4}}))?"
)
_DATE_MD = re.compile(rf"\b({_MONTH_RE})\b\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?")
_ZONES = {"wib": "Asia/Jakarta", "wita": "Asia/Makassar", "wit": "Asia/Jayapura", "utc": "UTC"}


@dataclass(slots=True)
class FoundSchedule:
    """A schedule read from a prompt, with how to say it back in both languages."""

    schedule: dict[str, object]
    text_id: str
    text_en: str
    run_once: bool = False
    continuous: bool = False


def parse_time_of_day(text: str) -> tuple[int, int] | None:
    """(hour, minute) of "jam 6 pagi", "pukul 20.30", "9am", "at 18:00"; else None."""
    for match in _TIME.finditer(text):
        groups = match.groups()
        for first in (0, 3, 6):
            if groups[first] is not None:
                hour_s, minute_s, part = groups[first : first + 3]
                break
        hour, minute = int(hour_s), int(minute_s or 0)
        if hour > 24 or minute > 59:
            continue
        if part in ("pm", "sore", "malam") and hour < 12:
            hour += 12
        elif part == "siang" and 1 <= hour <= 5:
            hour += 12
        elif part in ("am", "pagi", "malam") and hour == 12:
            hour = 0
        return hour % 24, minute
    return None


def _hhmm(hour: int, minute: int) -> str:
    return f"{hour:02d}:{minute:02d}"


def _zone(text: str, default: str) -> str:
    for word, zone in _ZONES.items():
        if re.search(rf"\b{word}\b", text):
            return zone
    return default


def _explicit_date(text: str, now: datetime) -> datetime | None:
    match = _DATE_DM.search(text)
    if match:
        day, month, year = int(match.group(1)), vocab.MONTHS[match.group(2)], match.group(3)
    else:
        match = _DATE_MD.search(text)
        if not match:
            if re.search(r"\b(besok|tomorrow)\b", text):
                return (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
            return None
        month, day, year = vocab.MONTHS[match.group(1)], int(match.group(2)), match.group(3)
    try:
        moment = now.replace(
            year=int(year) if year else now.year,
            month=month,
            day=day,
            hour=0,
            minute=0,
            second=0,
            microsecond=0,
        )
    except ValueError:
        return None
    if not year and moment.date() < now.date():
        moment = moment.replace(year=moment.year + 1)
    return moment


def _part_of_day(text: str) -> tuple[int, int] | None:
    """ "every night" without a clock time: a sensible hour for that part of the day."""
    for pattern, hour in ((r"\bmalam\b|\bnight(?:ly)?\b|\bevening\b", 21),
                          (r"\bsore\b|\bafternoon\b", 16), (r"\bsiang\b|\bnoon\b", 12),
                          (r"\bpagi\b|\bmorning\b", 7)):  # fmt: skip
        if re.search(pattern, text):
            return hour, 0
    return None


def _cron(
    text: str, default_time: tuple[int, int], dow: str, dom: str, tz: str, label: tuple[str, str]
) -> FoundSchedule:
    part = _part_of_day(text)
    if part == (7, 0) and default_time[0] < 12:
        part = default_time  # "every morning" keeps a workflow's own morning hour
    hour, minute = parse_time_of_day(text) or part or default_time
    when = _hhmm(hour, minute)
    return FoundSchedule(
        {"cron": f"{minute} {hour} {dom} * {dow}", "timezone": tz},
        f"{label[0]} pukul {when}",
        f"{label[1]} at {when}",
    )


def parse_schedule(
    text: str,
    *,
    now: datetime,
    default_time: tuple[int, int] = (9, 0),
    timezone: str = "Asia/Jakarta",
) -> FoundSchedule | None:
    """The schedule a prompt asks for, or None when it names none."""
    t = text.lower()
    tz = _zone(t, timezone)
    match = _INTERVAL.search(t)
    if match:
        count = int(match.group(1) or match.group(3))
        unit = vocab.UNIT_SEC[match.group(2) or match.group(4)]
        words = vocab.UNIT_WORDS[unit]
        return FoundSchedule(
            {"interval_sec": count * unit, "timezone": tz},
            f"setiap {count} {words[0]}",
            f"every {count} {words[1]}",
        )
    match = _EVERY_UNIT.search(t)
    if match:
        unit = vocab.UNIT_SEC.get(match.group(1) or "hour", 3600)
        words = vocab.UNIT_WORDS[unit]
        return FoundSchedule(
            {"interval_sec": unit, "timezone": tz},
            f"setiap {words[0]}",
            f"every {words[1].rstrip('s')}",
        )
    if re.search(
        r"hari kerja|weekdays?\b|senin\s*(?:-|s/?d|sampai|hingga)\s*jum'?at|"
        r"monday\s*(?:-|to|through)\s*friday",
        t,
    ):
        return _cron(
            t,
            default_time,
            "1-5",
            "*",
            tz,
            ("setiap hari kerja (Senin–Jumat)", "every weekday (Monday–Friday)"),
        )
    if re.search(r"akhir pekan|weekends?\b|sabtu (?:dan|&) minggu", t):
        return _cron(t, default_time, "0,6", "*", tz, ("setiap akhir pekan", "every weekend"))
    days_match = re.search(
        rf"\b(?:tiap|setiap|every|each)\s+(hari\s+)?({_DAY}(?:\s*(?:,|dan|and|&)\s*{_DAY})*)", t
    )
    if days_match and not (days_match.group(2) == "minggu" and not days_match.group(1)):
        days = sorted(
            {vocab.WEEKDAYS[d.replace("'", "")] for d in re.findall(_DAY, days_match.group(2))}
        )
        names = (
            ", ".join(vocab.DAY_NAMES_ID[d] for d in days),
            ", ".join(vocab.DAY_NAMES_EN[d] for d in days),
        )
        return _cron(
            t,
            default_time,
            ",".join(map(str, days)),
            "*",
            tz,
            (f"setiap {names[0]}", f"every {names[1]}"),
        )
    if re.search(
        r"\b(?:setiap|tiap) minggu\b|\bmingguan\b|\bweekly\b|\bevery week\b|"
        r"seminggu sekali",
        t,
    ):
        return _cron(
            t, default_time, "1", "*", tz, ("setiap Senin (mingguan)", "every Monday (weekly)")
        )
    dom = re.search(
        r"\b(?:tiap|setiap)\s+tanggal\s+(\d{1,2})\b|\bevery\s+(\d{1,2})(?:st|nd|rd|th)\b", t
    )
    if dom:
        day = int(dom.group(1) or dom.group(2))
        return _cron(
            t,
            default_time,
            "*",
            str(day),
            tz,
            (f"setiap tanggal {day}", f"on day {day} of every month"),
        )
    if re.search(r"\b(?:setiap|tiap) bulan\b|\bbulanan\b|\bmonthly\b|\bevery month\b", t):
        return _cron(
            t, default_time, "*", "1", tz, ("setiap tanggal 1", "on the 1st of every month")
        )
    if re.search(
        r"\b(?:setiap|tiap) hari\b|\bharian\b|\bdaily\b|\bevery ?day\b|\beach day\b|"
        r"\bsehari sekali\b|\bper hari\b|\b(?:setiap|tiap) (?:pagi|malam|sore)\b|"
        r"\bevery (?:morning|night|evening)\b|\bnightly\b",
        t,
    ):
        return _cron(t, default_time, "*", "*", tz, ("setiap hari", "every day"))
    zone = ZoneInfo(tz)
    local_now = now.astimezone(zone)
    date = _explicit_date(t, local_now)
    if date is not None:
        hour, minute = parse_time_of_day(t) or default_time
        at = date.replace(hour=hour, minute=minute)
        when = _hhmm(hour, minute)
        return FoundSchedule(
            {"at": at.isoformat(), "timezone": tz},
            f"sekali pada {at.day} {vocab.MONTH_NAMES_ID[at.month]} {at.year} pukul {when}",
            f"once on {at.day} {vocab.MONTH_NAMES_EN[at.month]} {at.year} at {when}",
            run_once=True,
        )
    if re.search(r"\b(sekarang|saat ini juga|segera|right now|now|immediately|asap)\b", t):
        return FoundSchedule(
            {"at": local_now.replace(microsecond=0).isoformat(), "timezone": tz},
            "sekali, sekarang juga",
            "once, right now",
            run_once=True,
        )
    if re.search(r"real[- ]?time|24/7|terus[- ]menerus|continuous(?:ly)?|nonstop|non-stop", t):
        return FoundSchedule(
            {"interval_sec": 30, "timezone": tz},
            "setiap 30 detik (real-time)",
            "every 30 seconds (real time)",
            continuous=True,
        )
    return None
