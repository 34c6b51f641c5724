"""Editing a job spec through form fields: read a field's text, write it back typed.

Pure functions over the spec dict, shared by the automation page and the job editor;
validation stays with the backend (``parse_spec``), which reports errors by path.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["FORM_FIELDS", "form_values", "apply_field", "schedule_text"]

# Editable fields: (path in the spec, kind). "schedule" is written as "cron: <expr>"
# or "interval_sec: <n>" in one text field.
FORM_FIELDS: dict[str, str] = {
    "schedule": "schedule",
    "schedule.timezone": "str",
    "timeout_ms": "int",
    "retry_policy.max_retry": "int",
    "retry_policy.backoff_sec": "numbers",
    "inputs.pressure_priority": "str",
    "inputs.flow_group": "optional_str",
    "inputs.flow_max_active_runs": "optional_int",
    "inputs.allow_overlap": "bool",
    "enabled": "bool",
}


def _get(spec: dict[str, Any], path: str) -> Any:
    node: Any = spec
    for part in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _set(spec: dict[str, Any], path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    node = spec
    for part in parents:
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child
    if value is None:
        node.pop(leaf, None)
    else:
        node[leaf] = value


def schedule_text(schedule: Any) -> str:
    if not isinstance(schedule, dict):
        return ""
    if "cron" in schedule:
        return f"cron: {schedule['cron']}"
    if "interval_sec" in schedule:
        value = schedule["interval_sec"]
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return f"interval_sec: {value}"
    return ""


def form_values(spec: dict[str, Any]) -> dict[str, str]:
    """Each form field's current text ("true"/"false" for switches)."""
    out: dict[str, str] = {}
    for path, kind in FORM_FIELDS.items():
        value = _get(spec, path)
        if kind == "schedule":
            out[path] = schedule_text(spec.get("schedule"))
        elif kind == "numbers":
            out[path] = ", ".join(str(v) for v in value) if isinstance(value, list) else ""
        elif kind == "bool":
            default = path == "enabled"  # enabled defaults to true, allow_overlap to false
            out[path] = "true" if (default if value is None else bool(value)) else "false"
        else:
            out[path] = "" if value is None else str(value)
    return out


def _number(text: str) -> Any:
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text  # left for the validator to refuse, with its message


def apply_field(spec: dict[str, Any], path: str, text: str | bool) -> None:
    """Write one form field into ``spec`` (in place), typed as the spec expects."""
    kind = FORM_FIELDS[path]
    raw = text.strip() if isinstance(text, str) else text
    if kind == "schedule":
        assert isinstance(raw, str)
        name, _, expr = raw.partition(":")
        schedule = {k: v for k, v in (spec.get("schedule") or {}).items()
                    if k not in ("cron", "interval_sec")}  # fmt: skip
        if name.strip() == "interval_sec":
            schedule["interval_sec"] = _number(expr.strip())
        else:
            schedule["cron"] = expr.strip() if name.strip() == "cron" else raw
        spec["schedule"] = schedule
    elif kind == "bool":
        _set(spec, path, raw if isinstance(raw, bool) else raw == "true")
    elif kind == "numbers":
        assert isinstance(raw, str)
        _set(spec, path, [_number(p.strip()) for p in raw.split(",") if p.strip()])
    elif kind in ("int", "optional_int"):
        assert isinstance(raw, str)
        _set(spec, path, None if (raw == "" and kind == "optional_int") else _number(raw))
    elif kind == "optional_str":
        _set(spec, path, raw or None)
    else:
        _set(spec, path, raw)


def dumps(spec: Any) -> str:
    """The spec as the JSON editor shows it."""
    return json.dumps(spec, indent=2, ensure_ascii=False)
