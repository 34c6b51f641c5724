"""Schedules in everyday Indonesian and English -> the job spec's ``schedule``.

:func:`parse_schedule` is the one entry point (the planner and the job editor's
"schedule in words" field use it): "tiap 5 menit", "setiap hari jam 7 malam", "tiap Senin
jam 8", "every weekday at 9am", "tiap tanggal 1 jam 9", "besok jam 10 pagi", "tanggal 24
November jam 9", "next Monday 8am", "sekarang". What it cannot place exactly ("tiap pagi",
"weekly", "awal bulan", a bare "jam 7", "this weekend") it still reads, choosing an hour
or a day, and says so in ``notes`` (Indonesian, English) so the plan lists it as an
assumption. Nothing is read silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from backend.ai import planner_vocab as vocab
from backend.ai.planner_oneoff import THRESHOLD, OneOff, one_off_day
from backend.ai.planner_recur import Recurrence, recurrence
from backend.ai.planner_text import normalize
from backend.ai.planner_when import ClockTime, clock_times, day_part

__all__ = ["FoundSchedule", "parse_schedule", "parse_time_of_day", "PART_HOURS"]

_ZONES = {"wib": "Asia/Jakarta", "wita": "Asia/Makassar", "wit": "Asia/Jayapura", "utc": "UTC"}
PART_HOURS = {"small_hours": 2, "morning": 7, "noon": 12, "afternoon": 16, "night": 20}
_PART_WORDS = {"small_hours": ("dini hari", "small hours"), "morning": ("pagi", "morning"),
               "noon": ("siang", "noon"),
               "afternoon": ("sore", "afternoon"), "night": ("malam", "evening")}  # fmt: skip


@dataclass(slots=True)
class FoundSchedule:
    """A schedule read from a prompt, how to say it back, and what had to be assumed."""

    schedule: dict[str, object]
    text_id: str
    text_en: str
    exact: bool = True
    notes: list[tuple[str, str]] = field(default_factory=list)
    run_once: bool = False
    continuous: bool = False


def _zone(t: str, default: str) -> str:
    for word, zone in _ZONES.items():
        if re.search(rf"\b{word}\b", t):
            return zone
    return default


def parse_time_of_day(text: str) -> tuple[int, int] | None:
    """(hour, minute) of the first time in "jam 6 pagi", "pukul 20.30", "9am"; else None."""
    found = clock_times(normalize(text))
    return (found[0].hour, found[0].minute) if found else None


def _hhmm(hour: int, minute: int) -> str:
    return f"{hour:02d}:{minute:02d}"


def _time_notes(times: list[ClockTime]) -> list[tuple[str, str]]:
    notes = []
    for time in times:
        when = _hhmm(time.hour, time.minute)
        if time.bare:
            later = "sore" if time.hour + 12 <= 18 else "malam"
            notes.append((f"'jam {time.hour}' dibaca {when} (pagi); tulis 'jam {time.hour} {later}'"
                          f" bila maksudnya {_hhmm(time.hour + 12, time.minute)}",
                          f"'{time.hour}' read as {when} (morning); say '{time.hour} pm' for "
                          f"{_hhmm(time.hour + 12, time.minute)}"))  # fmt: skip
        elif time.word:
            notes.append((f"'{time.word}' dibaca pukul {when}", f"'{time.word}' read as {when}"))
        elif time.approx:
            notes.append((f"'jam {time.hour}an' dibaca tepat {when}",
                          f"'around {time.hour}' read as {when} sharp"))  # fmt: skip
    return notes


def _default_time(t: str, default: tuple[int, int]) -> tuple[tuple[int, int], tuple[str, str]]:
    part = day_part(t)
    if part is None:
        when = _hhmm(*default)
        return default, (f"jam tidak disebut: pukul {when}", f"no time given: {when}")
    hour = PART_HOURS[part]
    if part == "morning" and default[0] < PART_HOURS["morning"]:
        hour = default[0]  # "every morning" keeps a workflow's own morning hour (reports: 6)
    words = _PART_WORDS[part]
    return (hour, 0), (f"'{words[0]}' dibaca pukul {_hhmm(hour, 0)}",
                       f"'{words[1]}' read as {_hhmm(hour, 0)}")  # fmt: skip


def _cron(rec: Recurrence, times: list[ClockTime], t: str, default: tuple[int, int],
          tz: str) -> FoundSchedule:  # fmt: skip
    notes = list(rec.notes)
    exact = rec.exact
    if times:
        minutes = {time.minute for time in times}
        hours = sorted({time.hour for time in times})
        minute = times[0].minute if len(minutes) > 1 else minutes.pop()
        hour_field = ",".join(map(str, hours if len(minutes) <= 1 else hours[:1]))
        notes += _time_notes(times)
        exact = exact and not any(time.word for time in times)
        when = ", ".join(_hhmm(h, minute) for h in hours)
    else:
        (hour, minute), note = _default_time(t, default)
        hour_field, when, exact = str(hour), _hhmm(hour, minute), False
        notes.append(note)
    cron = f"{minute} {hour_field} {rec.dom} {rec.month} {rec.dow}"
    return FoundSchedule({"cron": cron, "timezone": tz}, f"{rec.text_id} pukul {when}",
                         f"{rec.text_en} at {when}", exact=exact, notes=notes)  # fmt: skip


def _when_words(at: datetime) -> tuple[str, str]:
    day, hhmm = (at.weekday() + 1) % 7, _hhmm(at.hour, at.minute)
    return (f"{vocab.DAY_NAMES_ID[day]}, {at.day} {vocab.MONTH_NAMES_ID[at.month]} {at.year} "
            f"pukul {hhmm}", f"{vocab.DAY_NAMES_EN[day]} {at.day} "
            f"{vocab.MONTH_NAMES_EN[at.month]} {at.year} at {hhmm}")  # fmt: skip


def _once(t: str, text: str, times: list[ClockTime], local_now: datetime,
          default: tuple[int, int], tz: str, *, recurring_default: bool) -> FoundSchedule | None:
    found = one_off_day(t, text=text, now=local_now, times=times,
                        allow_now=True)  # fmt: skip
    notes: list[tuple[str, str]] = []
    if found is None:
        if not times or recurring_default:
            return None
        # A time without a day: the next time the clock shows it.
        found = OneOff(local_now.date(), exact=False, time=times[0], notes=[
            ("hari tidak disebut: kesempatan pertama berikutnya",
             "no day given: the next time it comes")])  # fmt: skip
    if found.day is None:
        at = local_now.replace(second=0, microsecond=0)
        return FoundSchedule({"at": at.isoformat(), "timezone": tz}, "sekali, sekarang juga",
                             "once, right now", exact=found.exact, notes=list(found.notes),
                             run_once=True)  # fmt: skip
    exact = found.exact
    notes += found.notes
    if found.time is not None:
        hour, minute = found.time.hour, found.time.minute
        notes += _time_notes([found.time])
        exact = exact and not found.time.word  # "abis maghrib" is about 18:30, "EOD" 17:00
    else:
        (hour, minute), note = _default_time(t, default)
        notes.append(note)
        exact = False
    day = found.day
    at = datetime(day.year, day.month, day.day, hour, minute, tzinfo=local_now.tzinfo)
    earlier = _EARLIER.search(t) if found.time is not None else None
    if earlier:  # "flash sale jam 12 besok, kirim 1 jam sebelumnya": the send is at 11
        count = 1 if earlier.group(1) in ("se", "satu", "an", "a") else int(earlier.group(1))
        shift = timedelta(minutes=count * (60 if earlier.group(2)[0] in "jh" else 1))
        notes.append((f"{earlier.group(0)} dari {_hhmm(hour, minute)}: "
                      f"{_hhmm(*divmod((hour * 60 + minute - shift.seconds // 60) % 1440, 60))}",
                      f"{earlier.group(0)} {_hhmm(hour, minute)}: "
                      f"{_hhmm(*divmod((hour * 60 + minute - shift.seconds // 60) % 1440, 60))}"))
        at -= shift
    if at <= local_now:
        later = at + timedelta(days=found.roll)
        notes.append((f"{_hhmm(hour, minute)} hari itu sudah lewat: {_when_words(later)[0]}",
                      f"{_hhmm(hour, minute)} that day has passed: {_when_words(later)[1]}"))
        at, exact = later, False
    words = _when_words(at)
    return FoundSchedule({"at": at.isoformat(), "timezone": tz}, f"sekali, {words[0]}",
                         f"once, {words[1]}", exact=exact, notes=notes, run_once=True)


# A send set some time before the moment the prompt names ("1 jam sebelumnya").
_EARLIER = re.compile(r"\b(\d{1,2}|se|satu|an|a)\s*(jam|menit|hours?|minutes?|mins?)\s+"
                      r"(?:sebelum(?:nya)?|before(?:hand)?|earlier|prior)\b")
# "know within 10 minutes": how often a watch must look
_WITHIN = re.compile(r"\bwithin\s+(\d{1,3})\s*(minutes?|mins?|hours?)\b")


def _within(t: str, tz: str) -> FoundSchedule | None:
    match = _WITHIN.search(t)
    if match is None:
        return None
    window = THRESHOLD.search(t[max(0, match.start() - 50) : match.start()])
    if window and not re.search(r"\b[1-5]\s*-?\s*(?:stars?|bintang)\b", window.group(0)):
        return None  # "more than 20 mentions within 1 hour" is an alert's window
    unit = 3600 if match.group(2).startswith("h") else 60
    every = int(match.group(1)) * unit
    words = ("jam", "hours") if unit == 3600 else ("menit", "minutes")
    return FoundSchedule({"interval_sec": every, "timezone": tz},
                         f"setiap {match.group(1)} {words[0]}", f"every {match.group(1)} "
                         f"{words[1]}", notes=[(f"'dalam {match.group(1)} {words[0]}' dibaca: "
                                                f"cek setiap {match.group(1)} {words[0]}",
                                                f"'{match.group(0)}' read as a check every "
                                                f"{match.group(1)} {words[1]}")])  # fmt: skip


def _anchor(found: FoundSchedule, dow: int, times: list[ClockTime], t: str,
            default: tuple[int, int], local_now: datetime) -> None:  # fmt: skip
    """Start an every-N-weeks interval on the named weekday, at the named time."""
    if times:
        hour, minute = times[0].hour, times[0].minute
    else:
        (hour, minute), note = _default_time(t, default)
        found.notes.append(note)
        found.exact = False
    day = local_now.date() + timedelta(days=(dow - (local_now.weekday() + 1) % 7) % 7)
    start = datetime(day.year, day.month, day.day, hour, minute, tzinfo=local_now.tzinfo)
    if start <= local_now:
        start += timedelta(days=7)
    found.schedule["start_at"] = start.isoformat()
    words = _when_words(start)
    found.text_id += f", mulai {words[0]}"
    found.text_en += f", from {words[1]}"


def parse_schedule(
    text: str,
    *,
    now: datetime,
    default_time: tuple[int, int] = (9, 0),
    timezone: str = "Asia/Jakarta",
    recurring_default: bool = False,
) -> FoundSchedule | None:
    """The schedule ``text`` asks for, or None when it names none.

    ``default_time`` is the hour used when a day is named without one (said in ``notes``).
    ``recurring_default``: a clock time without a day repeats daily (reports, watches)
    instead of meaning the next such time (sends).
    """
    t = normalize(text)
    tz = _zone(t, timezone)
    if re.search(r"\bone[- ]?off\b|\b1-off\b|\bone[- ]time\b|\b1-time\b|\bsekali saja\b|"
                 r"\bsatu kali saja\b|\bsekali jalan\b|\bjust once\b", t):
        recurring_default = False  # "one-off": a time without a day is the next one
    local_now = now.astimezone(ZoneInfo(tz))
    times = clock_times(t)
    rec = recurrence(t, text=text)
    if rec is not None and rec.every_sec is not None:
        found = FoundSchedule({"interval_sec": rec.every_sec, "timezone": tz}, rec.text_id,
                              rec.text_en, exact=rec.exact, notes=list(rec.notes),
                              continuous=rec.continuous)  # fmt: skip
        if rec.anchor_dow is not None:
            _anchor(found, rec.anchor_dow, times, t, default_time, local_now)
        return found
    if rec is not None:
        return _cron(rec, times, t, default_time, tz)
    once = _once(t, text, times, local_now, default_time, tz,
                 recurring_default=recurring_default)
    if once is not None:
        return once
    within = _within(t, tz) if recurring_default else None
    if within is not None:
        return within
    if times and recurring_default:
        daily = Recurrence(text_id="setiap hari", text_en="every day", exact=False,
                           notes=[("'setiap hari' diasumsikan (tidak ada hari disebut)",
                                   "'every day' assumed (no day named)")])  # fmt: skip
        return _cron(daily, times, t, default_time, tz)
    return None
