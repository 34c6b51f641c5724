"""Compare a planner output with an expected case from planner_prompts.jsonl."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def values_at(data: Any, path: str) -> list[Any]:
    """Every value at a dotted path; lists along the way are walked item by item."""
    current = [data]
    for part in path.split("."):
        nxt: list[Any] = []
        for item in current:
            items = item if isinstance(item, list) else [item]
            nxt += [i[part] for i in items if isinstance(i, dict) and part in i]
        current = nxt
    return current


def _same(want: Any, got: list[Any]) -> bool:
    if isinstance(want, list):
        flat = [x for g in got for x in (g if isinstance(g, list) else [g])]
        return sorted(map(str, flat)) == sorted(map(str, want))
    return len(got) == 1 and (got[0] == want or str(got[0]) == str(want))


def problems(case: dict[str, Any], spec: dict[str, Any]) -> list[str]:
    """What differs between the expected case and the planned spec (empty: fully right)."""
    out = []
    if spec.get("workflow") != case["workflow"]:
        out.append(f"workflow {spec.get('workflow')} != {case['workflow']}")
    want_schedule = case["schedule"]
    got_schedule = spec.get("schedule")
    if want_schedule is None:
        if got_schedule is not None:
            out.append(f"schedule {got_schedule} != none")
    elif got_schedule is None:
        out.append(f"schedule missing, want {want_schedule}")
    else:
        for key, want in want_schedule.items():
            got = got_schedule.get(key)
            if key == "at" and got is not None:
                ok = datetime.fromisoformat(str(got)) == datetime.fromisoformat(want)
            elif key == "interval_sec" and got is not None:
                ok = float(got) == float(want)
            else:
                ok = got == want
            if not ok:
                out.append(f"schedule.{key} {got!r} != {want!r}")
    for path, want in case["inputs"].items():
        got = values_at(spec.get("inputs", {}), path)
        if not _same(want, got):
            out.append(f"inputs.{path} {got!r} != {want!r}")
    return out
