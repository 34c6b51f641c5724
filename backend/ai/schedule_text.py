"""A job's schedule as one line of text a person types and reads (the job editor's and
the automation page's "when" field), both ways.

Reading (:func:`read_schedule_text`) takes what a seller types: words ("setiap 10
menit", "tiap hari jam 7", "every monday 9am": the planner's own reader,
:func:`backend.ai.planner_schedule.parse_schedule`), a bare five-field cron, or the expert
forms ``cron: 0 6 * * *``, ``interval_sec: 300`` and an ISO moment. The spec's other schedule keys
(time zone, jitter, start/end, missed) are kept.

Showing (:func:`schedule_field_text`) gives the words when reading them back gives the
same schedule, else the expert form, so saving a form never changes a schedule nobody
touched; :func:`backend.ai.planner_words.describe_schedule` says any schedule in words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from backend.ai.planner_schedule import parse_schedule
from backend.ai.planner_words import describe_schedule

__all__ = ["ScheduleReading", "read_schedule_text", "schedule_field_text", "describe_schedule"]

_WHEN_KEYS = ("cron", "interval_sec", "at")
_CRON = re.compile(r"^\S+(\s+\S+){4}$")
_EXAMPLES = ("tulis misalnya 'setiap 10 menit', 'tiap hari jam 7', 'setiap Senin jam 9' "
             "atau cron '0 7 * * *'",
             "write e.g. 'every 10 minutes', 'every day at 7', 'every monday 9am' "
             "or a cron '0 7 * * *'")  # fmt: skip


@dataclass(frozen=True, slots=True)
class ScheduleReading:
    """The schedule read from the text (None: not understood), and why not (id, en)."""

    schedule: dict[str, Any] | None
    problem: tuple[str, str] | None = None

    def message(self, lang: str) -> str:
        return "" if self.problem is None else self.problem[0 if lang == "id" else 1]


def _expert(text: str) -> dict[str, Any] | None:
    name, sep, value = text.partition(":")
    name, value = name.strip().lower(), value.strip()
    if sep and name == "cron":
        return {"cron": value}
    if sep and name == "interval_sec":
        try:
            number = float(value)
        except ValueError:
            return {"interval_sec": value}  # the validator names what is wrong
        return {"interval_sec": int(number) if number.is_integer() else number}
    if sep and name == "at":
        return {"at": value}
    try:  # an ISO moment, as the field shows a one-off it cannot say back exactly
        datetime.fromisoformat(text)
    except ValueError:
        pass
    else:
        return {"at": text}
    if _CRON.match(text) and any(ch.isdigit() or ch == "*" for ch in text.split()[0]):
        return {"cron": text}
    return None


def read_schedule_text(text: str, *, current: dict[str, Any] | None,
                       now: datetime) -> ScheduleReading:  # fmt: skip
    """The schedule ``text`` asks for, merged into ``current`` (see the module docstring).
    An empty text removes the schedule (the job runs only when asked)."""
    raw = text.strip()
    if not raw:
        return ScheduleReading(None)
    kept = {k: v for k, v in (current or {}).items() if k not in _WHEN_KEYS}
    expert = _expert(raw)
    if expert is not None:
        return ScheduleReading({**kept, **expert})
    zone = str(kept.get("timezone") or "Asia/Jakarta")
    found = parse_schedule(raw, now=now, timezone=zone, recurring_default=True)
    if found is None:
        return ScheduleReading(None, (f"jadwal '{raw}' tidak dipahami; {_EXAMPLES[0]}",
                                      f"schedule '{raw}' not understood; {_EXAMPLES[1]}"))
    if found.schedule.get("timezone") == zone:  # the words named no zone: keep the job's
        found.schedule.pop("timezone")
    return ScheduleReading({**kept, **found.schedule})


def schedule_field_text(schedule: dict[str, Any] | None, *, lang: str, now: datetime) -> str:
    """What the "when" field shows: words that read back as this very schedule, else
    ``cron: …`` / ``interval_sec: …`` / the ISO moment."""
    if not schedule:
        return ""
    words = describe_schedule(schedule, lang=lang)
    reread = read_schedule_text(words, current=schedule, now=now).schedule or {}
    if all(reread.get(k) == schedule.get(k) for k in _WHEN_KEYS):
        return words
    if "cron" in schedule:
        return f"cron: {schedule['cron']}"
    if "interval_sec" in schedule:
        value = schedule["interval_sec"]
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return f"interval_sec: {value}"
    return str(schedule.get("at") or "")
