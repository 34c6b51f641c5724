"""The day of a one-off run: "besok", "lusa", "next Monday", "tanggal 24 November",
"akhir bulan", "this weekend", "sekarang".

When a prompt names several days ("promo 20-25 Desember, kirim tanggal 18 Desember jam 7
malam") the send day is the one with a time beside it, else the one after a send verb,
else the first single day; a range is a promo period, never a send day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from backend.ai import planner_vocab as vocab
from backend.ai.planner_topic import EVENTS, event_day
from backend.ai.planner_when import DAY, ClockTime, dates, end_of_month, weekday_of

__all__ = ["OneOff", "one_off_day", "NOW_WORDS", "THRESHOLD"]

NOW_WORDS = re.compile(
    r"\b(?:sekarang(?: juga)?|saat ini juga|right now|right away|now|asap|secepatnya|"
    r"immediately(?! (?:if|when|once|kalau|kalo))|segera(?! (?:kabari|kabarin|kirim|alert)))\b"
)
_SEND = re.compile(r"\b(?:kirim\w*|send|blast\w*|dikirim|broadcast|jalan\w*|run|mulai|start\w*|"
                   r"publish|upload|push|on|pada|di)\s*$")  # fmt: skip
_RELATIVE: tuple[tuple[str, int], ...] = (
    (r"\b(?:lusa|day after tomorrow)\b", 2),
    (r"\b(?:besok|tomorrow)\b", 1),
    (r"\b(?:hari ini|today|tonight|malam ini|nanti (?:malam|sore|siang|pagi)|sore ini|"
     r"siang ini|pagi ini|this (?:morning|afternoon|evening))\b", 0),
)  # fmt: skip
_NEXT_DAY = re.compile(
    rf"\b(?:next|coming|this)\s+({DAY})\b|\b(?!minggu\b)({DAY})\s+(?:depan|minggu depan|"
    rf"pekan depan|ini|besok|nanti|(?:of\s+)?next week)\b|\b(?:(?:minggu|pekan) depan|"
    rf"next week,?(?:\s+on)?)\s+(?:hari\s+)?({DAY})\b"
)
_WEEK_AHEAD = re.compile(r"\b(?:minggu|pekan) depan\b|\bnext week\b")
_WEEKEND = re.compile(r"\b(?:this|coming|next)?\s*weekend\b|\bakhir pekan\b|\bweekend ini\b|"
                      r"\bakhir minggu ini\b")
_MONTH_END = re.compile(r"\bakhir bulan\b|\bend of (?:the |this )?month\b|\bmonth[- ]end\b|"
                        r"\blast day of (?:the |this )?month\b|\bhari terakhir bulan ini\b")
_NEXT_MONTH = re.compile(r"\b(?:awal\s+)?bulan depan\b|\b(?:early |beginning of |start of )?"
                         r"next month\b")  # fmt: skip
_IN = re.compile(r"\b(?:dalam|in)\s+(\d+)\s*(menit|minutes?|mins?|jam|hours?)\b(?:\s+lagi)?|"
                 r"\b(\d+)\s*(menit|jam|minutes?|hours?)\s+(?:lagi|from now)\b")
# A count of things before "dalam 1 jam" makes it a rate ("lebih dari 20 mention dalam 1 jam").
THRESHOLD = re.compile(r"(?:lebih dari|more than|over|above|di atas|at least|minimal|min\.?|>)\s*"
                        r"\d+|\d+\s+(?:\w+\s+)?(?:mentions?|sebutan|posts?|postingan|komplain|"
                        r"keluhan|complaints?|ulasan|reviews?|tweets?|komentar|comments?)\b")
# "3 hari lagi", "dalam 2 minggu", "in 3 days": a day that many days ahead (never "dalam 30
# hari terakhir", the last 30 days)
_IN_DAYS = re.compile(
    r"\b(?:dalam|in)\s+(\d+)\s*(hari|days?|minggu|pekan|weeks?)\b(?:\s+lagi)?"
    r"(?!\s+(?:terakhir|ke ?belakang|yang lalu|ago|sebelum))"
    r"|\b(\d+)\s*(hari|days?|minggu|pekan|weeks?)\s+(?:lagi|from now|dari sekarang|ke depan)\b"
)
_SINCE = re.compile(r"\b(?:haven'?t|have not|hasn'?t|not|no|belum|tidak|ga|gak|nggak|ordered|"
                    r"bought|purchased|belanja|beli|order|aktif|active|login|visited)\b[^.,;]*$")
_LONE_DAY = re.compile(rf"\b(?:hari\s+|on\s+)?({DAY})\b")


@dataclass(slots=True)
class OneOff:
    """A send day (``None``: right now), whether the prompt pinned it, and the time next to
    it when there is one."""

    day: date | None
    exact: bool = True
    notes: list[tuple[str, str]] = field(default_factory=list)
    time: ClockTime | None = None
    pos: int = 0
    end: int = 0
    roll: int = 1  # days to add when the time on that day has passed
    fixed: bool = False  # the time came with the day ("in 2 hours")
    weak: bool = False  # an event's day ("promo 12.12"): the send day only if nothing else
    dated: bool = False  # a calendar date ("the 11th", "tanggal 11")


def _week_start(today: date) -> date:
    return today - timedelta(days=today.weekday())


def _in_next_week(today: date, cron_day: int) -> date:
    monday = _week_start(today) + timedelta(days=7)
    return monday + timedelta(days=(cron_day - 1) % 7)


def _upcoming(today: date, cron_day: int) -> date:
    return today + timedelta(days=(cron_day - (today.weekday() + 1) % 7) % 7)


def _next_fixed(today: date, month: int, day: int) -> date:
    found = date(today.year, month, day)
    return found if found >= today else date(today.year + 1, month, day)


def _candidates(t: str, text: str, now: datetime) -> list[OneOff]:
    today = now.date()
    found: list[OneOff] = []
    for mention in dates(t, now=now):
        if mention.last is None:
            found.append(OneOff(mention.day, pos=mention.pos, end=mention.end, dated=True))
    named_days = [(m.start(), m.end()) for m in _NEXT_DAY.finditer(t)]
    for pattern, days in _RELATIVE:
        for m in re.finditer(pattern, t):
            if any(a <= m.start() < b for a, b in named_days):
                continue  # "Jumat besok" is the coming Friday, not tomorrow
            found.append(OneOff(today + timedelta(days=days), pos=m.start(), end=m.end()))
    for m in _NEXT_DAY.finditer(t):
        name = m.group(1) or m.group(2) or m.group(3)
        this = re.search(r"\bthis\b|\bini\b|\bbesok\b|\bnanti\b|\bcoming\b",
                         m.group(0)) is not None  # fmt: skip
        day = _upcoming(today, weekday_of(name)) if this else _in_next_week(today,
                                                                            weekday_of(name))
        found.append(OneOff(day, pos=m.start(), end=m.end(), roll=7))
    if not any(o.pos <= m.start() < o.end for o in found for m in _WEEK_AHEAD.finditer(t)):
        for m in _WEEK_AHEAD.finditer(t):
            found.append(OneOff(_in_next_week(today, 1), exact=False, pos=m.start(), end=m.end(),
                                notes=[("'minggu depan' dibaca Senin minggu depan",
                                        "'next week' read as next Monday")]))  # fmt: skip
    for m in _WEEKEND.finditer(t):
        found.append(OneOff(_upcoming(today, 6), exact=False, pos=m.start(), end=m.end(),
                            notes=[("akhir pekan dibaca hari Sabtu", "weekend read as Saturday")]))
    for pattern, name, _en, fixed in EVENTS:
        event = event_day(name, fixed, today)
        if event is None:
            continue
        for m in re.finditer(pattern, t):
            found.append(OneOff(event, pos=m.start(), end=m.end(), weak=True, roll=365,
                                notes=[(f"hari {name}", f"{_en} day")]))  # fmt: skip
    for m in re.finditer(r"\b(?:christmas eve|malam natal)\b", t):
        found.append(OneOff(_next_fixed(today, 12, 24), pos=m.start(), end=m.end(), roll=365))
    for m in re.finditer(r"\b(?:new year'?s eve|malam tahun baru)\b", t):
        found.append(OneOff(_next_fixed(today, 12, 31), pos=m.start(), end=m.end(), roll=365))
    for m in _IN.finditer(t):
        if THRESHOLD.search(t[max(0, m.start() - 50) : m.start()]):
            continue  # "20 mention negatif dalam 1 jam": an alert's window, not a send time
        count, unit = int(m.group(1) or m.group(3)), m.group(2) or m.group(4)
        later = now + timedelta(minutes=count * (1 if unit.startswith("m") else 60))
        time = ClockTime(m.start(), m.end(), later.hour, later.minute, bare=False)
        found.append(OneOff(later.date(), pos=m.start(), end=m.end(), time=time, fixed=True))
    for m in _IN_DAYS.finditer(t):
        if _SINCE.search(t[max(0, m.start() - 40) : m.start()]):
            continue  # "haven't ordered in 90 days", "belum belanja dalam 30 hari": a segment
        count = int(m.group(1) or m.group(3))
        unit = m.group(2) or m.group(4)
        days = count * (7 if unit.startswith(("minggu", "pekan", "week")) else 1)
        found.append(OneOff(today + timedelta(days=days), pos=m.start(), end=m.end()))
    for m in _MONTH_END.finditer(t):
        found.append(OneOff(end_of_month(today), pos=m.start(), end=m.end()))
    for m in _NEXT_MONTH.finditer(t):
        first = end_of_month(today) + timedelta(days=1)
        found.append(OneOff(first, exact=False, pos=m.start(), end=m.end(),
                            notes=[("'bulan depan' dibaca tanggal 1 bulan depan",
                                    "'next month' read as the 1st of next month")]))  # fmt: skip
    for m in _LONE_DAY.finditer(t):
        if any(o.pos <= m.start() < o.end for o in found):
            continue
        name = m.group(1)
        if name == "minggu" and not re.search(r"\b(?:hari\s+)?Minggu\b", text):
            continue  # "minggu" alone is "week"
        found.append(OneOff(_upcoming(today, weekday_of(name)), pos=m.start(), end=m.end(),
                            roll=7, notes=[(f"hari {vocab.DAY_NAMES_ID[weekday_of(name)]} terdekat",
                                    f"the coming {vocab.DAY_NAMES_EN[weekday_of(name)]}")]))
    return sorted(found, key=lambda o: o.pos)


def _attached(one: OneOff, times: list[ClockTime], t: str) -> ClockTime | None:
    for time in times:
        gap = t[one.end : time.pos] if time.pos >= one.end else t[time.end : one.pos]
        if len(gap) <= 25 and not re.search(r"\d{1,2}\s+\w+\s+\d|tanggal|\bkirim|\bsend", gap):
            return time
    return None


_BEFORE = re.compile(
    r"\bh\s*-\s*(\d{1,2})\b|\b(\d{1,2}|se|satu|1)\s*(hari|minggu|days?|weeks?)\s+(?:sebelum(?:nya)?|"
    r"before)\b"
)


def _shift_before(t: str, found: list[OneOff]) -> list[OneOff]:
    """'H-3 sebelum 12.12', '2 hari sebelum Natal', '1 week before Black Friday': the day
    that many days before the next day named after it."""
    for m in _BEFORE.finditer(t):
        target = next((o for o in found if o.pos >= m.end() and o.day is not None), None)
        if target is None or target.day is None:
            continue
        if m.group(1):
            days = int(m.group(1))
        else:
            n = 1 if m.group(2) in ("se", "satu") else int(m.group(2))
            days = n * (7 if m.group(3).startswith(("minggu", "week")) else 1)
        shifted = OneOff(target.day - timedelta(days=days), exact=target.exact, pos=m.start(),
                         end=target.end, notes=[(f"{days} hari sebelum {target.day:%d/%m}",
                                                 f"{days} days before {target.day:%Y-%m-%d}")])
        found = [o for o in found if o is not target] + [shifted]
    return sorted(found, key=lambda o: o.pos)


def _dated_wins(found: list[OneOff], t: str) -> list[OneOff]:
    """'Next Friday the 11th', 'Jumat, tanggal 11': the date beside a weekday's name says
    which Friday it is, so the weekday's own reading gives way."""
    dated = [o for o in found if o.dated]
    return [o for o in found if o.roll != 7 or o.dated or not any(
        0 <= d.pos - o.end <= 6 and re.fullmatch(r"[\s,]*(?:the|tanggal|tgl)?[\s,]*",
                                                   t[o.end : d.pos]) for d in dated)]  # fmt: skip


def one_off_day(t: str, *, text: str, now: datetime, times: list[ClockTime],
                allow_now: bool = True) -> OneOff | None:  # fmt: skip
    """The one-off day normalised text ``t`` names (``text``: as typed), or None."""
    found = _shift_before(t, _dated_wins(_candidates(t, text, now), t))
    if not found:
        if allow_now and NOW_WORDS.search(t):
            vague = re.search(r"\b(?:secepatnya|asap|segera|immediately|as soon as possible)\b", t)
            return OneOff(None, exact=not vague, notes=[
                ("'secepatnya' dibaca: sekarang juga", "'as soon as possible' read as right now")
            ] if vague else [])  # fmt: skip
        return None
    for one in found:
        if not one.fixed:
            one.time = _attached(one, times, t)
    # An event's own name ("promo Black Friday") overlapping a real day mention loses to it.
    strong = [o for o in found if not o.weak]
    found = [o for o in found if not o.weak or not any(s.pos <= o.pos < s.end or o.pos <= s.pos
                                                       < o.end for s in strong)]  # fmt: skip
    best = next((o for o in found if o.time is not None and not o.weak), None)
    best = best or next((o for o in found if o.time is not None), None)
    best = best or next((o for o in found if _SEND.search(t[: o.pos]) and not o.weak), None)
    best = best or next((o for o in found if not o.weak), None) or found[0]
    if best.time is None and times:
        best.time = times[0]
    return best
