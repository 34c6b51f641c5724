"""Score planner outputs against the blind evaluation labels (rules: README.md here).

:func:`reading_of` reads a planned job spec back into the labels' vocabulary (the fields
the workflow will actually use: ``inputs.marketplaces``, ``inputs.audience.limit``, ...);
:func:`misses` lists every way it differs from one label; an empty list is "fully right".
Nothing here looks at the prompt: only the plan and the label.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from backend.domain.schedule import next_fire_times
from backend.domain.spec import Schedule

__all__ = ["NOW", "load", "reading_of", "misses", "Outcome", "EVAL_DIR"]

EVAL_DIR = Path(__file__).parent
# The writers' reference clock: Monday 2026-12-07 10:00 WIB.
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
_JKT = ZoneInfo("Asia/Jakarta")


@dataclass(slots=True)
class Outcome:
    """One prompt's result: refused or planned, and what was wrong."""

    case_id: str
    lang: str
    workflow: str | None
    misses: list[str]
    valid: bool
    seconds: float


def load(name: str) -> list[dict[str, Any]]:
    """The cases of ``dev.jsonl`` or ``heldout.jsonl``."""
    lines = (EVAL_DIR / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _platforms(kind: str, inputs: dict[str, Any]) -> list[str]:
    if kind == "price_intelligence":
        names = inputs.get("marketplaces") or []
    elif kind == "catalog_sync":
        names = inputs.get("platforms") or []
    elif kind == "bi_report":
        names = [s.get("platform") for s in inputs.get("data_sources") or []]
    elif kind == "crisis_monitor":
        names = [a.get("platform") for a in inputs.get("accounts") or []]
    else:
        names = []
    if kind in ("price_intelligence", "catalog_sync"):
        names = [{"tiktok": "tiktok_shop"}.get(n, n) for n in names]
    return list(dict.fromkeys(str(n) for n in names))


def _recipients(mapping: dict[str, Any]) -> list[dict[str, str]]:
    """{channel: one or several recipients} as label-shaped recipients."""
    out = []
    for channel, values in mapping.items():
        key = {"email": "address", "telegram": "chat_id"}.get(channel, "phone")
        out += [{"channel": channel, key: str(v)} for v in (values if isinstance(values, list)
                                                             else [values])]  # fmt: skip
    return out


def reading_of(spec: dict[str, Any], assumed: list[str]) -> dict[str, Any]:
    """The label-shaped reading of a planned ``spec`` (``assumed``: its assumption fields)."""
    kind = spec.get("workflow")
    i = spec.get("inputs") or {}
    out: dict[str, Any] = {"workflow": kind, "schedule": spec.get("schedule"),
                           "assumed": set(assumed)}  # fmt: skip
    out["platforms"] = _platforms(str(kind), i)
    counts: dict[str, int] = {"platforms": len(out["platforms"])}
    if kind in ("price_intelligence", "catalog_sync"):
        counts["products"] = (i.get("products") or {}).get("limit")
    if kind == "price_intelligence" and i.get("max_competitors"):
        counts["competitors"] = i["max_competitors"]
    if kind == "campaign" and (i.get("audience") or {}).get("limit"):
        counts["recipients"] = i["audience"]["limit"]
    if kind == "crisis_monitor" and i.get("watch_posts"):
        counts["posts"] = i["watch_posts"]
    out["counts"] = counts
    recipients: list[dict[str, str]] = []
    if kind == "campaign":
        channels = list(i.get("channels") or [])
    elif kind == "crisis_monitor":
        channels = [a.get("channel") for a in (i.get("alerts") or {}).values()]
        recipients = _recipients(i.get("alert_to") or {})
    elif kind == "price_intelligence":
        channels = [c if isinstance(c, str) else c.get("channel")
                    for c in i.get("report_channels") or []]  # fmt: skip
        recipients = _recipients(i.get("report_to") or {})
    elif kind == "bi_report":
        recipients = [r for r in i.get("recipients") or [] if r.get("to") != "default"]
        channels = [r.get("channel") for r in i.get("recipients") or []]
    else:
        channels = []
    out["channels"] = list(dict.fromkeys(c for c in channels if c))
    out["recipients"] = recipients
    out["formats"] = list(i.get("output_formats") or i.get("report_formats") or [])
    rng = str((i.get("campaign") or {}).get("discount_range") or "")
    single = re.fullmatch(r"(?:0-)?(\d+(?:\.\d+)?)%", rng)  # "25%", or "0-40%" for "up to 40%"
    out["discount_percent"] = float(single.group(1)) if single else None
    strategy: dict[str, Any] = {}
    if kind == "price_intelligence":
        rule = str(i.get("pricing_strategy") or "")
        under = re.fullmatch(r"undercut_by_([\d.]+)_percent", rule)
        if under:
            strategy["undercut_percent"] = float(under.group(1))
        strategy["match_lowest"] = rule == "match_lowest"
        strategy["min_margin_percent"] = i.get("min_margin_percent")
        strategy["max_discount_percent"] = i.get("max_discount_percent")
    out["strategy"] = strategy
    out["keywords"] = list(i.get("monitor_keywords") or []) if kind == "crisis_monitor" else []
    return out


def _fires(schedule: dict[str, Any], count: int = 12) -> list[datetime]:
    return next_fire_times(Schedule.model_validate(schedule), after=NOW, count=count)


def _schedule_misses(want: dict[str, Any], exact: bool | None, got: dict[str, Any] | None,
                     assumed: set[str]) -> list[str]:  # fmt: skip
    kind = next(iter(want))
    spec_key = {"every_sec": "interval_sec", "cron": "cron", "at": "at"}[kind]
    if not got or got.get(spec_key) is None:
        have = sorted(k for k in (got or {}) if k in ("interval_sec", "cron", "at"))
        return [f"schedule kind {have or 'none'} != {kind}"]
    if kind == "every_sec":
        same = float(got["interval_sec"]) == float(want["every_sec"])
    elif kind == "at":
        at = datetime.fromisoformat(str(got["at"]))
        at = at if at.tzinfo else at.replace(tzinfo=ZoneInfo(got.get("timezone", "Asia/Jakarta")))
        same = at.astimezone(_JKT).strftime("%Y-%m-%dT%H:%M") == want["at"]
    else:
        label = {"cron": want["cron"], "timezone": "Asia/Jakarta"}
        same = _fires(label) == _fires({"cron": got["cron"], "timezone": got.get("timezone",
                                                                                 "Asia/Jakarta")})
    if exact is True:
        return [] if same else [f"schedule {got.get(spec_key)!r} != {want[kind]!r}"]
    if exact is False and "schedule" not in assumed:
        return [f"vague schedule {want[kind]!r} read as {got.get(spec_key)!r} without saying so"]
    if not same and "schedule" not in assumed:  # exactness not labelled: equal, or said
        return [f"schedule {got.get(spec_key)!r} != {want[kind]!r} and no schedule assumption"]
    return []


def _as_set(items: list[dict[str, str]]) -> set[tuple[str, str]]:
    return {(r.get("channel", ""), r.get("address") or r.get("phone") or r.get("chat_id") or "")
            for r in items}  # fmt: skip


def misses(label: dict[str, Any], refused: bool, got: dict[str, Any] | None) -> list[str]:
    """Every difference between a case's ``expect`` and the plan read by :func:`reading_of`."""
    want_refusal = bool(label.get("refuse")) or label.get("workflow") is None
    if want_refusal or refused or got is None:
        if want_refusal and refused:
            return []
        return ["refused" if refused else "not refused"]
    out: list[str] = []
    if got["workflow"] != label["workflow"]:
        return [f"workflow {got['workflow']} != {label['workflow']}"]
    assumed = got["assumed"]
    if "schedule" in label:
        out += _schedule_misses(label["schedule"], label.get("schedule_exact"), got["schedule"],
                                assumed)  # fmt: skip
    for key in ("platforms", "channels", "formats"):
        if key in label and set(label[key]) != set(got[key]):
            out.append(f"{key} {sorted(got[key])} != {sorted(label[key])}")
    for key, value in (label.get("counts") or {}).items():
        if got["counts"].get(key) != value:
            out.append(f"counts.{key} {got['counts'].get(key)} != {value}")
    if "recipients" in label and _as_set(label["recipients"]) != _as_set(got["recipients"]):
        out.append(f"recipients {sorted(_as_set(got['recipients']))} != "
                   f"{sorted(_as_set(label['recipients']))}")  # fmt: skip
    if "discount_percent" in label and got["discount_percent"] != float(label["discount_percent"]):
        out.append(f"discount {got['discount_percent']} != {label['discount_percent']}")
    for key, value in (label.get("strategy") or {}).items():
        have = got["strategy"].get(key)
        if have is None or (have != value and float(have) != float(value)):
            out.append(f"strategy.{key} {have} != {value}")
    if "keywords" in label:
        wanted = {k.lower() for k in label["keywords"]}
        if wanted != {k.lower() for k in got["keywords"]}:
            out.append(f"keywords {got['keywords']} != {label['keywords']}")
    for name in label.get("must_assume") or []:
        if name not in assumed:
            out.append(f"no assumption about {name}")
    return out


def run_case(case: dict[str, Any], planner: Any) -> Outcome:
    """Plan one case with ``planner(prompt, now=...)`` (returns a Plan) and score it.

    A 422 on ``prompt`` is a refusal; any other error, or a spec that does not validate
    again at the reference clock, makes the output invalid (and the case wrong).
    """
    import time

    from backend.core.errors import InvalidInput
    from backend.jobs.validation import parse_spec

    started = time.perf_counter()
    refused, got, valid, error = False, None, True, ""
    try:
        result = planner(case["prompt"], now=NOW)
    except InvalidInput as exc:
        refused = all(e.path == "prompt" for e in exc.errors)
        valid = refused
        error = exc.message
    else:
        try:
            parse_spec(result.spec, now=NOW)
        except InvalidInput as exc:
            valid, error = False, exc.message
        got = reading_of(result.spec, [a.field for a in result.assumptions])
    seconds = time.perf_counter() - started
    found = misses(case["expect"], refused, got) if valid or refused else [f"invalid: {error}"]
    return Outcome(case["id"], case["lang"], case["expect"].get("workflow"), found, valid,
                   seconds)  # fmt: skip
