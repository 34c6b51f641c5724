"""Prompt -> job: a valid JobSpec, an explanation, the assumptions made, and an estimate.

``plan()`` uses the LLM when asked and configured, and the offline engine otherwise (or
when the LLM fails twice, saying so in ``fallback_reason``). Every spec either engine
proposes is validated by ``backend.jobs.validation.parse_spec`` before it is returned.
"""

from __future__ import annotations

import copy
import hashlib
import re
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from backend.ai.planner_estimate import Estimate, estimate
from backend.ai.planner_explain import explain, prompt_language
from backend.ai.planner_extract import extract_facts
from backend.ai.planner_inputs import BUILDERS, campaign_event
from backend.ai.planner_schedule import parse_schedule
from backend.ai.planner_templates import BUILT_IN, TEMPLATES, classify
from backend.core.config import Settings, get_settings
from backend.core.errors import ErrorItem, InvalidInput
from backend.jobs.validation import ParsedSpec, parse_spec

__all__ = ["Plan", "plan", "plan_offline", "finish_plan", "AGENT_NEEDS_LLM"]

AGENT_NEEDS_LLM = (
    "this request fits none of the built-in workflows ({kinds}); it needs the tool-using "
    "agent workflow, which needs an LLM: set LLM_BASE_URL and LLM_API_KEY, or describe a "
    "price watch, a campaign, a BI report, a catalog sync or a social-media monitor"
)

_TOO_SHORT = (
    "describe the job in a sentence (what, where, when), "
    "e.g. 'pantau harga 100 produk tiap 5 menit'"
)


class Plan(BaseModel):
    """The planner's answer (the body of POST /planner/preview and /planner/execute)."""

    spec: dict[str, Any] = Field(description="A valid job spec (JobSpec as JSON).")
    explanation: str = Field(description="What the job does and when, in the prompt's language.")
    assumptions: list[str] = Field(default_factory=list, description="Defaults filled in.")
    estimate: Estimate
    engine: Literal["offline", "llm"] = "offline"
    fallback_reason: str | None = None
    language: Literal["id", "en"] = "id"


def _merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in changes.items():
        # A schedule is replaced whole: merging interval_sec into a cron spec is never meant.
        if isinstance(value, dict) and isinstance(out.get(key), dict) and key != "schedule":
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _job_id(slug: str, prompt: str) -> str:
    digest = hashlib.sha1(" ".join(prompt.lower().split()).encode()).hexdigest()[:6]
    return f"{slug}-{digest}"


def finish_plan(
    spec: dict[str, Any],
    *,
    explanation: str,
    assumptions: list[str],
    lang: str,
    engine: Literal["offline", "llm"],
    now: datetime,
    settings: Settings,
    overrides: dict[str, Any] | None = None,
    fallback_reason: str | None = None,
) -> tuple[Plan, ParsedSpec]:
    """Apply overrides, validate (InvalidInput on failure) and estimate a proposed spec."""
    if overrides:
        spec = _merge(spec, overrides)
    parsed = parse_spec(spec)
    return Plan(
        spec=parsed.spec.public_dict(), explanation=explanation, assumptions=assumptions,
        estimate=estimate(parsed.spec, now=now, settings=settings), engine=engine,
        fallback_reason=fallback_reason, language="en" if lang == "en" else "id",
    ), parsed  # fmt: skip


def _schedule(
    kind: str, prompt: str, now: datetime, facts_inputs: dict[str, Any], said: list[tuple[str, str]]
) -> tuple[dict[str, Any] | None, tuple[str, str]]:
    template = TEMPLATES[kind]
    found = parse_schedule(prompt, now=now, default_time=template.default_time)
    if found is not None:
        if found.continuous and template.schedule and "interval_sec" in template.schedule:
            return dict(template.schedule), template.schedule_text
        return found.schedule, (found.text_id, found.text_en)
    if kind == "campaign":
        campaign = facts_inputs.get("campaign", {})
        if "start_date" in campaign:
            start = datetime.fromisoformat(campaign["start_date"])
            said.append((f"dikirim pukul 09:00 pada hari {campaign['name']}",
                         f"sent at 09:00 on {campaign['name']} day"))  # fmt: skip
            schedule = {
                "cron": f"0 9 {start.day} {start.month} *",
                "timezone": "Asia/Jakarta",
                "start_at": campaign["start_date"],
                "end_at": campaign["end_date"],
            }
            when = (f"sekali, {start.day}/{start.month}/{start.year} pukul 09:00",
                    f"once, {start.year}-{start.month:02d}-{start.day:02d} at 09:00")  # fmt: skip
            return schedule, when
    said.append((f"jadwal: {template.schedule_text[0]}", f"schedule: {template.schedule_text[1]}"))
    if template.schedule is None:
        return None, template.schedule_text
    return {**template.schedule, "timezone": "Asia/Jakarta"}, template.schedule_text


def plan_offline(
    prompt: str,
    *,
    overrides: dict[str, Any] | None = None,
    now: datetime | None = None,
    settings: Settings | None = None,
    fallback_reason: str | None = None,
) -> Plan:
    """The rule-based planner: no key, no network."""
    return plan_offline_parsed(prompt, overrides=overrides, now=now, settings=settings,
                               fallback_reason=fallback_reason)[0]  # fmt: skip


def plan_offline_parsed(
    prompt: str,
    *,
    overrides: dict[str, Any] | None = None,
    now: datetime | None = None,
    settings: Settings | None = None,
    fallback_reason: str | None = None,
) -> tuple[Plan, ParsedSpec]:
    """:func:`plan_offline`, also returning the validated spec for the job service."""
    settings = settings or get_settings()
    now = now or datetime.now(UTC)
    text = " ".join((prompt or "").split())
    if len(re.findall(r"\w+", text)) < 2:
        raise InvalidInput([ErrorItem("prompt", _TOO_SHORT)])
    kind = (overrides or {}).get("workflow") or classify(text)[0]
    if kind is None or kind == "agent":
        raise InvalidInput([ErrorItem("prompt", AGENT_NEEDS_LLM.format(kinds=", ".join(BUILT_IN)))])
    if kind not in BUILDERS:
        raise InvalidInput([ErrorItem("workflow", f"the planner cannot build {kind!r} jobs")])
    facts = extract_facts(text)
    inputs, said = BUILDERS[kind](facts, text, now)
    schedule, when = _schedule(kind, text, now, inputs, said)
    template = TEMPLATES[kind]
    lang = prompt_language(text)
    event = campaign_event(text, now) if kind == "campaign" else None
    slug = template.slug + (f"-{re.sub(r'[^a-z0-9]+', '-', event[0].lower())}" if event else "")
    spec: dict[str, Any] = {
        "job_id": _job_id(slug, text),
        "type": template.type,
        "workflow": kind,
        "name": text[:120],
        "timeout_ms": template.timeout_ms,
        "retry_policy": dict(template.retry),
        "inputs": {"prompt": text, **template.inputs, **inputs},
    }
    if schedule is not None:
        spec["schedule"] = schedule
    explanation = explain(kind=kind, inputs=spec["inputs"], when=when, lang=lang)
    assumptions = [pair[0] if lang == "id" else pair[1] for pair in said]
    return finish_plan(
        spec, explanation=explanation, assumptions=assumptions, lang=lang, engine="offline",
        now=now, settings=settings, overrides=overrides, fallback_reason=fallback_reason,
    )  # fmt: skip


def plan(
    prompt: str,
    *,
    use_ai: bool = False,
    overrides: dict[str, Any] | None = None,
    now: datetime | None = None,
    settings: Settings | None = None,
) -> Plan:
    """Plan with the LLM when ``use_ai`` and one is configured, else offline."""
    return plan_parsed(prompt, use_ai=use_ai, overrides=overrides, now=now, settings=settings)[0]


def plan_parsed(
    prompt: str,
    *,
    use_ai: bool = False,
    overrides: dict[str, Any] | None = None,
    now: datetime | None = None,
    settings: Settings | None = None,
) -> tuple[Plan, ParsedSpec]:
    """:func:`plan`, also returning the validated spec (for creating the job)."""
    settings = settings or get_settings()
    now = now or datetime.now(UTC)
    reason: str | None = None
    if use_ai and settings.llm_enabled:
        from backend.ai.planner_llm import plan_with_llm

        result, reason = plan_with_llm(prompt, overrides=overrides, now=now, settings=settings)
        if result is not None:
            return result
    elif use_ai:
        reason = "no LLM configured (LLM_BASE_URL / LLM_API_KEY); used the offline planner"
    return plan_offline_parsed(prompt, overrides=overrides, now=now, settings=settings,
                               fallback_reason=reason)  # fmt: skip
