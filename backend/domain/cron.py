"""Cron checking with reasons a person can act on, and suggested fixes.

croniter decides what is valid; this module explains *why* an expression is not and,
where the mistake is recognisable, proposes the expression that was probably meant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from croniter import croniter

from backend.domain.problems import english, word

__all__ = ["CronProblem", "check_cron", "suggest_cron", "FIELDS"]

# name, low, high (day-of-week allows 7 for Sunday, as cron does)
FIELDS: tuple[tuple[str, int, int], ...] = (
    ("minute", 0, 59),
    ("hour", 0, 23),
    ("day-of-month", 1, 31),
    ("month", 1, 12),
    ("day-of-week", 0, 7),
)
_NAMES = {
    3: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
    4: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"],
}
_MACROS = {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}
_PART = re.compile(r"^(\*|\?|[a-z0-9]+(?:-[a-z0-9]+)?)(?:/(\d+))?$")


@dataclass(frozen=True, slots=True)
class CronProblem:
    """The first problem of an expression: the field, and why as a message key and
    parameters (``backend.domain.problems``); ``reason`` is the English sentence."""

    field: str
    key: str
    params: dict[str, Any]

    @property
    def reason(self) -> str:
        return english(self.key, self.params)


def _problem(key: str, index: int, part: str, **params: Any) -> tuple[str, dict[str, Any]]:
    return key, {"field": word(FIELDS[index][0]), "part": part, **params}


def _value(token: str, index: int) -> int | None:
    if token.isdigit():
        return int(token)
    names = _NAMES.get(index)
    if names and token in names:
        return names.index(token) + (1 if index == 3 else 0)
    return None


def _check_field(text: str, index: int) -> tuple[str, dict[str, Any]] | None:
    """The field's first problem as (message key, params), or None."""
    _, low, high = FIELDS[index]
    for part in text.lower().split(","):
        match = _PART.match(part)
        if not match:
            # Leave croniter's extensions (L, W, #) to croniter itself.
            if re.search(r"[lw#]", part):
                continue
            return _problem("cron.not_a_part", index, part)
        body, step = match.groups()
        if index == 2 and body == "l" and step is None:
            continue  # "L": the month's last day (croniter)
        if index == 4 and re.fullmatch(r"l[0-7]", body) and step is None:
            continue  # "L5": the month's last Friday (croniter)
        if step is not None and int(step) == 0:
            return _problem("cron.zero_step", index, part)
        if body in ("*", "?"):
            continue
        bounds = body.split("-")
        values = [_value(b, index) for b in bounds]
        if any(v is None for v in values):
            return _problem("cron.not_a_name", index, part)
        for v in values:
            assert v is not None
            if not low <= v <= high:
                return _problem("cron.out_of_range", index, part, low=low, high=high, value=v)
        if len(values) == 2 and values[0] is not None and values[1] is not None:
            if values[0] > values[1]:
                return _problem("cron.backwards", index, part)
    return None


def check_cron(expr: str) -> CronProblem | None:
    """None when ``expr`` is a valid 5-field cron (or macro), else the first problem."""
    expr = " ".join(expr.split())
    if expr.lower() in _MACROS:
        return None
    fields = expr.split(" ")
    if len(fields) != 5:
        key = "cron.fields_seconds" if len(fields) == 6 else "cron.fields"
        return CronProblem("cron", key, {"count": len(fields)})
    for index, text in enumerate(fields):
        found = _check_field(text, index)
        if found:
            return CronProblem(FIELDS[index][0], *found)
    if not croniter.is_valid(expr):
        return CronProblem("cron", "cron.invalid", {"expr": expr})
    return None


def _dates_in(inputs: Any) -> list[date]:
    """Dates mentioned in a job's inputs (e.g. campaign start/end), in order found."""
    found: list[date] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}", value):
            try:
                found.append(datetime.fromisoformat(value.replace("Z", "+00:00")).date())
            except ValueError:
                pass

    walk(inputs)
    return found


def suggest_cron(expr: str, *, inputs: Any = None) -> str | None:
    """The expression probably meant, when the mistake is recognisable; else None."""
    fields = " ".join(expr.split()).split(" ")
    if len(fields) == 6 and check_cron(" ".join(fields[1:])) is None:
        return " ".join(fields[1:])  # a leading seconds field
    if len(fields) != 5:
        return None
    minute, hour, dom, month, dow = fields
    if check_cron(f"{minute} {hour} * * *") is not None:
        if hour == "24":  # midnight written as 24
            fixed = f"{minute} 0 {dom} {month} {dow}"
            return fixed if check_cron(fixed) is None else suggest_cron(fixed, inputs=inputs)
        return None
    if _check_field(dow, 4) is not None and dom in ("*", "?") and month in ("*", "?"):
        # A date written in the weekday field, e.g. "11-24" meaning 24 November.
        dates = _dates_in(inputs)
        if dates:
            return f"{minute} {hour} {dates[0].day} {dates[0].month} *"
        match = re.fullmatch(r"(\d{1,2})[-/](\d{1,2})", dow)
        if match:
            a, b = int(match.group(1)), int(match.group(2))
            if 1 <= a <= 12 and 1 <= b <= 31:
                return f"{minute} {hour} {b} {a} *"
            if 1 <= b <= 12 and 1 <= a <= 31:
                return f"{minute} {hour} {a} {b} *"
    return None
