"""Editing a job spec through form fields: read a field's text, write it back typed.

Pure functions over the spec dict, shared by the automation page and the job editor;
the fields are ``spec_fields`` (the job's own and each workflow's inputs), their texts
``spec_codecs``. The schedule is typed and shown in words (``backend.ai.schedule_text``,
the planner's reader). Validation stays with the backend (``parse_spec``), which reports
errors by path; what a field cannot read is returned as a problem at its path.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from backend.domain.paths import value_at
from spio_ui.spec_codecs import Problem, read_value, show_value
from spio_ui.spec_fields import ALL_FIELDS, NO_EVENT, STRATEGY_PERCENT

__all__ = ["FORM_FIELDS", "form_values", "apply_field", "schedule_text", "dumps", "Problem"]

# Every editable path and its kind (the job's own fields and each workflow's inputs).
FORM_FIELDS: dict[str, str] = {path: f.kind for path, f in ALL_FIELDS.items()}


def _set(spec: dict[str, Any], path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    node = spec
    for part in parents:
        child = node.get(part)
        if not isinstance(child, dict):
            if value is None:
                return  # nothing to remove; no empty parent made for it
            child = node[part] = {}
        node = child
    if value is None:
        node.pop(leaf, None)
    else:
        node[leaf] = value


def schedule_text(schedule: Any, *, lang: str = "id", now: datetime | None = None) -> str:
    """The schedule as the field shows it: in words when they read back the same."""
    from backend.ai.schedule_text import schedule_field_text

    if not isinstance(schedule, dict):
        return ""
    return schedule_field_text(schedule, lang=lang, now=now or datetime.now(UTC))


def _strategy(spec: dict[str, Any]) -> tuple[str, str]:
    """("undercut" | "match_lowest" | ..., percent text) of the pricing strategy."""
    value = str(value_at(spec, "inputs.pricing_strategy") or "undercut_by_5_percent")
    match = re.fullmatch(r"undercut_by_(\d+(?:\.\d+)?)_percent", value)
    if match:
        return "undercut", match.group(1).removesuffix(".0")
    return value, ""


def form_values(spec: dict[str, Any], *, lang: str = "id",
                now: datetime | None = None) -> dict[str, str]:  # fmt: skip
    """Each form field's current text ("true"/"false" for switches)."""
    out: dict[str, str] = {}
    for path, field in ALL_FIELDS.items():
        if field.kind == "schedule":
            out[path] = schedule_text(spec.get("schedule"), lang=lang, now=now)
        elif field.kind == "strategy":
            out[path] = _strategy(spec)[0]
        elif field.kind == "strategy_percent":
            out[path] = _strategy(spec)[1]
        else:
            out[path] = show_value(field.kind, value_at(spec, path), default=field.default,
                                   lang=lang)
    return out


def _apply_schedule(spec: dict[str, Any], text: str, now: datetime | None) -> Problem:
    from backend.ai.schedule_text import read_schedule_text

    current = spec.get("schedule") if isinstance(spec.get("schedule"), dict) else None
    reading = read_schedule_text(text, current=current, now=now or datetime.now(UTC))
    if reading.problem is not None:
        return reading.problem
    if reading.schedule is None:
        spec.pop("schedule", None)  # no schedule: runs when asked
    else:
        spec["schedule"] = reading.schedule
    return None


def _apply_strategy(spec: dict[str, Any], path: str, text: str) -> Problem:
    mode, percent = _strategy(spec)
    if path == STRATEGY_PERCENT:
        percent = text.strip().replace(",", ".")
        try:
            ok = 0 <= float(percent) < 100
        except ValueError:
            ok = False
        if not ok:
            return ("tulis persen di bawah pesaing termurah, mis. 5",
                    "write the percent under the cheapest competitor, e.g. 5")
        mode = "undercut"
    else:
        mode = text
    value = f"undercut_by_{percent or 5}_percent" if mode == "undercut" else mode
    _set(spec, "inputs.pricing_strategy", value)
    return None


# Options only some events take (backend.domain.triggers): dropped when the event changes.
_EVENT_ONLY = {"threshold": ("stock.low",), "min_change_percent": ("price.competitor_changed",),
               "keywords": ("social.mention",), "secret_mode": ("webhook",),
               "replay_window_sec": ("webhook",)}  # fmt: skip


def _apply_trigger_event(spec: dict[str, Any], text: str) -> Problem:
    """No event (the job runs on its schedule or by hand) or an event; options the new
    event does not take are dropped, the rest (filter, delay) kept."""
    event = text.strip()
    if event in ("", NO_EVENT):
        spec.pop("trigger", None)
        return None
    old = spec.get("trigger") if isinstance(spec.get("trigger"), dict) else {}
    kept = {k: v for k, v in old.items() if k != "event"
            and event in _EVENT_ONLY.get(k, (event,))
            and not (k == "platforms" and event == "webhook")}  # fmt: skip
    spec["trigger"] = {"event": event, **kept}
    return None


def apply_field(spec: dict[str, Any], path: str, text: str | bool, *,
                now: datetime | None = None) -> Problem:  # fmt: skip
    """Write one form field into ``spec`` (in place), typed as the spec expects; a
    problem reading the text (Indonesian, English) is returned for the field to show."""
    kind = FORM_FIELDS[path]
    if kind == "schedule":
        return _apply_schedule(spec, str(text), now)
    if kind == "trigger_event":
        return _apply_trigger_event(spec, str(text))
    if kind in ("strategy", "strategy_percent"):
        return _apply_strategy(spec, path, str(text))
    value, problem = read_value(kind, text)
    if problem is None:  # else the spec keeps its value until the text reads
        _set(spec, path, value)
    return problem


def dumps(spec: Any) -> str:
    """The spec as the JSON editor shows it."""
    return json.dumps(spec, indent=2, ensure_ascii=False)
