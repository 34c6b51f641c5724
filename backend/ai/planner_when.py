"""Times of day and calendar dates in a normalised prompt (see ``planner_text.normalize``).

Pure functions over text and a reference "now"; no schedule is decided here. A time
knows whether the prompt placed it exactly ("jam 7 malam", "7pm", "19:00", "midnight")
or left the half of the day open (a bare "jam 7" / "at 7"); a date knows whether it is
a range ("20-25 Desember"), which is a promo period rather than a send day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from backend.ai import planner_vocab as vocab

__all__ = ["ClockTime", "DateMention", "clock_times", "dates", "DAY", "weekday_of", "day_part"]

DAY = (
    r"(?:senin|selasa|rabu|kamis|jumat|sabtu|minggu|ahad|monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun)"
)
_SHORT_DAYS = {"mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 0}
_PART = r"(pagi|siang|sore|petang|malam|subuh|dini hari|am|pm|a\.m\.|p\.m\.)"
_CLOCK = re.compile(
    rf"(?:\b(?:jam|pukul|pkl\.?|at|around|sekitar|by)|@(?![\w.]*[a-z_]|\d{{3}}))\s*(\d{{1,2}})(?:[.:](\d{{2}}))?(an)?"
    rf"(?:\s*{_PART}\b)?(?!\s*(?:%|x\b|menit|minutes?|mins?|jam\b|hours?|detik|seconds?|hari|"
    rf"days?|produk|products?|marketplace|[.,]\d))"
    rf"|\b(\d{{1,2}})(?:[.:](\d{{2}}))?\s*(am|pm|a\.m\.|p\.m\.)(?![a-z])"
    rf"|(?<![\d.,])(?<!tanggal )(?<!tgl )(?<!the )(\d{{1,2}})(?:[.:](\d{{2}}))?\s*"
    rf"(pagi|siang|sore|malam)\b"
    rf"|(?<![\d.:/-])(\d{{1,2}}):(\d{{2}})(?![\d:])"
    rf"|(?<![\d.,/-])([01]?\d|2[0-3])\.(00|15|30|45)(?![\d.,%]|\s*(?:k\b|rb|jt|ribu|juta))"
    r"|\b(noon|midday|tengah hari|midnight|tengah malam)\b"
    r"|\b(?:(?:abis|habis|setelah|sesudah|ba'?da|bakda|selepas|after)\s+)?"
    r"(maghrib|magrib|isya'?|isyak|ashar|asar|dzuhur|zuhur|lohor|eod|end of (?:the )?day|"
    r"close of business|cob)\b"
)
# A time said by a name (a prayer time, "end of day"): its usual hour in Jakarta, said as
# assumed.
PRAYER_TIMES = {"maghrib": (18, 30), "magrib": (18, 30), "isya": (19, 30), "isya'": (19, 30),
                "isyak": (19, 30), "ashar": (15, 30), "asar": (15, 30), "dzuhur": (12, 30),
                "zuhur": (12, 30), "lohor": (12, 30), "eod": (17, 0), "end of day": (17, 0),
                "end of the day": (17, 0), "close of business": (17, 0),
                "cob": (17, 0)}  # fmt: skip
_MONTH = "|".join(sorted(vocab.MONTHS, key=len, reverse=True))
_DM = re.compile(
    rf"\b(?:tanggal\s+|tgl\s+|the\s+)?(\d{{1,2}})(?:st|nd|rd|th)?(?:\s*(?:-|–|s/d|sampai|"
    rf"hingga|to|sd|until)\s*(\d{{1,2}})(?:st|nd|rd|th)?)?\s+(?:of\s+)?({_MONTH})\b\.?"
    rf"(?:,?\s+(20\d\d))?"
)
_MD = re.compile(
    rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:\s*(?:-|–|to|until)\s*(\d{{1,2}})"
    rf"(?:st|nd|rd|th)?\b)?(?:,?\s+(20\d\d))?"
)
_DAY_ONLY = re.compile(
    r"\btanggal\s+(\d{1,2})\b(?:\s*(?:-|–|s/d|sampai|hingga)\s*(\d{1,2})\b)?(?!\s*(?:tiap|setiap|"
    r"per bulan|bulan sekali|[./]\d))"
)
_ISO = re.compile(r"\b(20\d\d)-(\d{2})-(\d{2})\b")
_DMY = re.compile(r"\b(\d{1,2})-(\d{1,2})-(20\d\d)\b")
_PART_OF_MONTH = re.compile(
    rf"\b(awal|pertengahan|tengah|akhir|early|mid|end of|late)\s+({_MONTH})\b"
)
_ORDINAL_DAY = re.compile(
    r"\b(?:on )?the (\d{1,2})(?:st|nd|rd|th)\b(?! of (?:every|each|the) month)"
)
_NUMERIC = re.compile(r"\b(?:tanggal\s+)?(\d{1,2})/(\d{1,2})(?:/(20\d\d))?\b(?!\s*hari)")


@dataclass(frozen=True, slots=True)
class ClockTime:
    """A time of day found at ``pos``; ``bare`` when the half of the day was not said."""

    pos: int
    end: int
    hour: int
    minute: int
    bare: bool
    approx: bool = False
    word: str | None = None  # a named time ("maghrib", "EOD") read as its usual hour


@dataclass(frozen=True, slots=True)
class DateMention:
    """A calendar day found at ``pos``; ``last`` is set for a range ("20-25 Desember")."""

    pos: int
    end: int
    day: date
    last: date | None = None
    year_given: bool = False


def day_part(text: str) -> str | None:
    """The part of the day a prompt speaks of ("tiap malam", "every morning"), if any."""
    for name, pattern in (("small_hours", r"\bdini hari\b|\bsmall hours\b"),
                          ("night", r"\bmalam\b|\bnight(?:ly|s)?\b|\bevening\b|\btonight\b|"
                                    r"\bpetang\b"),
                          ("afternoon", r"\bsore\b|\bafternoon\b"),
                          ("noon", r"\bsiang\b|\bnoon\b|\blunch(?:time)?\b"),
                          ("morning", r"\bpagi\b|\bmornings?\b|\bsubuh\b|"
                                      r"\bfirst thing\b")):  # fmt: skip
        if re.search(pattern, text):
            return name
    return None


def _resolve(hour: int, part: str | None, context: str | None) -> tuple[int, bool]:
    """24-hour clock for ``hour`` said with ``part`` (or the prompt's ``context``)."""
    part = (part or "").replace(".", "")
    if part in ("pm",):
        return (hour + 12 if hour < 12 else hour), False
    if part in ("am", "subuh", "dini hari"):
        return (0 if hour == 12 else hour), False
    if part == "pagi":
        return (0 if hour == 12 else hour), False
    if part == "siang":
        return (hour + 12 if 1 <= hour <= 5 else hour), False
    if part in ("sore", "petang"):
        return (hour + 12 if 1 <= hour <= 9 else hour), False
    if part == "malam":
        if hour == 12:
            return 0, False
        return (hour + 12 if 6 <= hour <= 11 else hour), False
    if hour == 0 or hour >= 13:
        return hour % 24, False
    # A bare "jam 7" / "at 7": the prompt's part of the day decides, else the morning.
    if context == "night" and 6 <= hour <= 11:
        return hour + 12, False
    if context == "night" and hour == 12:
        return 0, False  # "tiap malam jam 12": midnight
    if context == "afternoon" and 1 <= hour <= 9:
        return hour + 12, False
    if context in ("night", "afternoon", "morning", "noon", "small_hours"):
        return hour, False
    return hour, True


_FITS = {"afternoon": range(1, 7), "night": range(6, 13)}


def _context(t: str, matches: list[re.Match[str]]) -> tuple[str | None, bool]:
    """The part of the day that places a bare time, and whether it was said only beside
    another time: "jam 9 & jam 4 sore" is 09:00 and 16:00 (no "9 sore"), while "jam 7
    dan 9 malam" is 19:00 and 21:00."""
    free = t
    for m in matches:
        if m.group(4) or m.group(7) or m.group(10):  # a time with its own part of the day
            free = free[: m.start()] + " " * (m.end() - m.start()) + free[m.end() :]
    own = day_part(free)
    return (own, False) if own is not None else (day_part(t), True)


def clock_times(t: str) -> list[ClockTime]:
    """Every time of day in normalised text ``t``, in order."""
    matches = list(_CLOCK.finditer(t))
    context, beside = _context(t, matches)
    explicit = {_resolve(int(m.group(h)), m.group(p), None)[0] for m in matches
                for h, p in ((1, 4), (5, 7), (8, 10)) if m.group(h) and m.group(p)}
    found: list[ClockTime] = []
    for m in matches:
        g = m.groups()
        if g[14]:
            hour = 0 if g[14] in ("midnight", "tengah malam") else 12
            found.append(ClockTime(m.start(), m.end(), hour, 0, bare=False))
            continue
        if g[15]:
            hour, minute = PRAYER_TIMES[g[15]]
            found.append(ClockTime(m.start(), m.end(), hour, minute, bare=False, word=g[15]))
            continue
        if g[0] is not None:
            hour_s, minute_s, approx, part = g[0], g[1], bool(g[2]), g[3]
        elif g[4] is not None:
            hour_s, minute_s, approx, part = g[4], g[5], False, g[6]
        elif g[7] is not None:
            hour_s, minute_s, approx, part = g[7], g[8], False, g[9]
        elif g[10] is not None:
            hour_s, minute_s, approx, part = g[10], g[11], False, None
        else:
            hour_s, minute_s, approx, part = g[12], g[13], False, None
        hour, minute = int(hour_s), int(minute_s or 0)
        if hour > 24 or minute > 59:
            continue
        if hour == 24:
            hour = 0
        near = context
        if beside and not part and hour not in _FITS.get(str(context), ()):
            near = None
        resolved, bare = _resolve(hour, part, near)
        if beside and not part and resolved in explicit:
            resolved, bare = _resolve(hour, None, None)  # "jam 9 dan jam 9 malam": 09:00
        if bare and minute_s is not None and len(hour_s) == 2:
            bare = False  # "08:00", "07.30": a 24-hour clock
        found.append(ClockTime(m.start(), m.end(), resolved, minute, bare=bare, approx=approx))
    return found


def weekday_of(word: str) -> int:
    """Cron day number (0 = Sunday) of a day name."""
    return _SHORT_DAYS.get(word, vocab.WEEKDAYS.get(word, 0))


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _next(day_: int, month: int, year: str | None, today: date) -> date | None:
    """The day's next occurrence (a date without a year is never in the past)."""
    if year:
        return _day(int(year), month, day_)
    found = _day(today.year, month, day_)
    if found is None or found < today:
        found = _day(today.year + 1, month, day_)
    return found


def dates(t: str, *, now: datetime) -> list[DateMention]:
    """Every calendar day (or range) named in normalised text ``t``."""
    today = now.date()
    out: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def add(pos: int, end: int, first: date | None, last: date | None, year: bool) -> None:
        if first is None or any(a <= pos < b for a, b in taken):
            return
        taken.append((pos, end))
        out.append(DateMention(pos, end, first, last if last and last != first else None, year))

    for m in _ISO.finditer(t):
        add(m.start(), m.end(), _day(int(m.group(1)), int(m.group(2)), int(m.group(3))), None,
            True)  # fmt: skip
    for m in _DMY.finditer(t):
        if 1 <= int(m.group(2)) <= 12:
            add(m.start(), m.end(), _day(int(m.group(3)), int(m.group(2)), int(m.group(1))), None,
                True)  # fmt: skip
    for m in _PART_OF_MONTH.finditer(t):
        month = vocab.MONTHS[m.group(2)]
        first = _next(1, month, None, today)
        if first is not None:
            if m.group(1) in ("pertengahan", "tengah", "mid"):
                first = first.replace(day=15)
            elif m.group(1) in ("akhir", "end of", "late"):
                first = end_of_month(first)
            add(m.start(), m.end(), first, None, False)
    for m in _DM.finditer(t):
        month = vocab.MONTHS[m.group(3)]
        first = _next(int(m.group(1)), month, m.group(4), today)
        last = _next(int(m.group(2)), month, m.group(4), today) if m.group(2) else None
        add(m.start(), m.end(), first, last, bool(m.group(4)))
    for m in _MD.finditer(t):
        month = vocab.MONTHS[m.group(1)]
        first = _next(int(m.group(2)), month, m.group(4), today)
        last = _next(int(m.group(3)), month, m.group(4), today) if m.group(3) else None
        add(m.start(), m.end(), first, last, bool(m.group(4)))
    for m in _NUMERIC.finditer(t):
        before = t[max(0, m.start() - 8) : m.start()].strip()
        at_time = re.match(r"\s*(?:jam|pukul|pkl|at|@)\b", t[m.end() :]) is not None and \
            m.group(0) not in ("1/2", "1/4", "3/4")  # "1/2 jam" is half an hour
        if m.group(3) or before.endswith(("tanggal", "on", "pada", "date")) or at_time or \
                m.group(0).startswith("tanggal"):  # "24/7" alone is not a date
            month = int(m.group(2))
            day_ = int(m.group(1))
            if month > 12 and 1 <= day_ <= 12:  # "12/20": month first, as Americans write
                day_, month = month, day_
            if 1 <= month <= 12:
                add(m.start(), m.end(), _next(day_, month, m.group(3), today), None,
                    bool(m.group(3)))  # fmt: skip
    for m in list(_DAY_ONLY.finditer(t)) + list(_ORDINAL_DAY.finditer(t)):
        day_ = int(m.group(1))
        first = _day(today.year, today.month, day_)
        if re.match(r"\s*(?:bulan depan|next month)", t[m.end() :]):
            first = None  # "tanggal 25 bulan depan"
        if first is None or first < today:
            month = today.month % 12 + 1
            first = _day(today.year + (today.month == 12), month, day_)
        last = None
        if m.re is _DAY_ONLY and m.group(2) and first is not None:
            last = _day(first.year, first.month, int(m.group(2)))
        add(m.start(), m.end(), first, last, False)
    return sorted(out, key=lambda d: d.pos)


def end_of_month(today: date) -> date:
    """The last day of ``today``'s month."""
    first_next = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    return first_next - timedelta(days=1)
