"""Prompt -> job: a valid, runnable JobSpec, an explanation, each assumption, an estimate.

Two engines read the prompt into the same :class:`Reading`: the offline rules
(``planner_read``) and, when asked and configured, an LLM (``planner_llm``, a JSON-schema
answer). Everything after the reading is shared: :func:`build_plan` fills each missing
detail with a default and lists it under ``assumptions`` (in the prompt's language, with
the field it is about), and job validation (``parse_spec``: the schema, then whether the
schedule can ever do its work) decides whether the plan stands. A prompt no workflow
serves is refused with one clarifying question.
"""

from __future__ import annotations

import copy
import hashlib
import re
from datetime import UTC, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from backend.ai.llm import NO_LLM_REASON
from backend.ai.planner_campaign import build_campaign, event_send, set_window
from backend.ai.planner_details import details
from backend.ai.planner_estimate import Estimate, estimate
from backend.ai.planner_explain import explain, job_name, report_language
from backend.ai.planner_inputs import build_catalog_sync, build_price_intelligence
from backend.ai.planner_monitoring import build_bi_report, build_crisis_monitor
from backend.ai.planner_order_events import order_campaign, order_stock_sync
from backend.ai.planner_read import read_prompt
from backend.ai.planner_reading import Assumption, Reading, Said, ScheduleReading
from backend.ai.planner_shops import shop_accounts
from backend.ai.planner_support import unsupported
from backend.ai.planner_templates import TEMPLATES
from backend.ai.planner_words import describe_schedule, fires_in_words
from backend.ai.trigger_text import describe_trigger
from backend.core.config import Settings, get_settings
from backend.core.errors import ErrorItem, InvalidInput
from backend.jobs.validation import ParsedSpec, parse_spec

__all__ = ["Plan", "plan", "plan_parsed", "plan_offline", "plan_offline_parsed", "build_plan"]

_TOO_SHORT = (
    "describe the job in a sentence (what, where, when), "
    "e.g. 'pantau harga 100 produk tiap 5 menit'"
)
# The workflows that act on each of a seller's shops (inputs.accounts).
_SHOP_AWARE = ("price_intelligence", "catalog_sync", "bi_report")
_SHOP_PLATFORMS = ("shopee", "tokopedia", "lazada", "tiktok", "tiktok_shop", "blibli")


def _shop_platforms(inputs: dict[str, Any]) -> list[str]:
    """The marketplaces of a plan whose shops ``inputs.accounts`` may name."""
    named = [*(inputs.get("marketplaces") or []), *(inputs.get("platforms") or []),
             *(s.get("platform") for s in inputs.get("data_sources") or [])]
    return [p for p in dict.fromkeys(named) if p in _SHOP_PLATFORMS]
BUILDERS = {
    "price_intelligence": build_price_intelligence,
    "campaign": build_campaign,
    "bi_report": build_bi_report,
    "catalog_sync": build_catalog_sync,
    "crisis_monitor": build_crisis_monitor,
}
# Workflows whose messages and files people read take ``inputs.language`` (id, the default,
# or en). Campaign copy has no such input; catalog copy is for the marketplaces' buyers,
# whatever language the seller planned in.
_SPOKEN = frozenset({"price_intelligence", "bi_report", "crisis_monitor"})


class Plan(BaseModel):
    """The planner's answer (the body of POST /planner/preview and /planner/execute)."""

    spec: dict[str, Any] = Field(description="A valid, runnable job spec (JobSpec as JSON).")
    explanation: str = Field(description="What the job does and when, in the prompt's language.")
    assumptions: list[Assumption] = Field(
        default_factory=list, description="Every default filled in, with the field it is about."
    )
    next_fires_text: list[str] = Field(
        default_factory=list, description="The next three runs in words, in the job's zone."
    )
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
    slug = re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-")[:80]
    return f"{slug}-{digest}"


def _spec_schedule(reading: ScheduleReading) -> dict[str, Any]:
    zone = reading.timezone or "Asia/Jakarta"
    if reading.every_sec:
        out: dict[str, Any] = {"interval_sec": reading.every_sec, "timezone": zone}
        if reading.start_at:  # "every other Monday at 9": the grid starts on that Monday
            start = datetime.fromisoformat(reading.start_at)
            out["start_at"] = (start if start.tzinfo else start.replace(
                tzinfo=ZoneInfo(zone))).isoformat()  # fmt: skip
        return out
    if reading.cron:
        return {"cron": reading.cron, "timezone": zone}
    if reading.at:
        at = datetime.fromisoformat(reading.at)
        at = at if at.tzinfo else at.replace(tzinfo=ZoneInfo(zone))
        return {"at": at.isoformat(), "timezone": zone}
    raise InvalidInput([ErrorItem("schedule", "give one of every_sec, cron or at")])


def _schedule(kind: str, reading: Reading, now: datetime,
              said: list[Said]) -> dict[str, Any] | None:  # fmt: skip
    found = reading.schedule
    if found is not None and (found.every_sec or found.cron or found.at):
        if not found.exact or found.note:
            note = found.note or "waktu dipilih: permintaan tidak menyebut jam/hari yang pasti"
            said.append(("schedule", note, found.note or "a time was chosen: the request "
                         "did not name an exact time or day"))  # fmt: skip
        return _spec_schedule(found)
    template = TEMPLATES[kind]
    if kind == "campaign":
        send = event_send(reading, now)
        if send is not None:
            said.append(("schedule", f"dikirim pukul 09:00 pada hari {reading.event}",
                         f"sent at 09:00 on {reading.event} day"))  # fmt: skip
            return {"at": send.isoformat(), "timezone": "Asia/Jakarta"}
    words = template.schedule_text
    said.append(("schedule", f"jadwal tidak disebut: {words[0]}",
                 f"no schedule given: {words[1]}"))  # fmt: skip
    if template.schedule is None:
        return None
    return {**template.schedule, "timezone": "Asia/Jakarta"}


def build_plan(
    reading: Reading,
    prompt: str,
    *,
    now: datetime,
    settings: Settings,
    engine: Literal["offline", "llm"] = "offline",
    overrides: dict[str, Any] | None = None,
    fallback_reason: str | None = None,
) -> tuple[Plan, ParsedSpec]:
    """The shared second half of both engines: defaults, assumptions, validation."""
    lang = reading.language
    if reading.workflow is None:
        raise InvalidInput([ErrorItem("prompt", reading.question or "none of the workflows "
                                      "does this: describe a price watch, a campaign, a report, "
                                      "a catalog sync or a social-media watch")])  # fmt: skip
    kind = reading.workflow
    template = TEMPLATES[kind]
    found = details(prompt)
    inputs, said = BUILDERS[kind](reading, found, now)
    if kind in _SHOP_AWARE:  # "di kedua toko Shopee saya", "all my shops", "toko-b"
        accounts = shop_accounts(prompt, markets=_shop_platforms(inputs))
        if accounts:
            inputs["accounts"] = accounts
    if found.more_platforms and reading.platforms and kind != "campaign":
        said.append(("platforms", "platform yang tidak disebut namanya tidak ikut: tambahkan di "
                     "editor", "platforms not named are left out: add them in the editor"))
    trigger: dict[str, Any] | None = None
    if kind == "campaign" and reading.order_event:
        schedule = None
        trigger = order_campaign(inputs, event=reading.order_event, hours=reading.delay_hours,
                                 lang=lang, said=said)  # fmt: skip
    elif kind == "catalog_sync" and reading.order_event:
        schedule = None
        trigger = order_stock_sync(inputs, said=said)
    else:
        schedule = _schedule(kind, reading, now, said)
    if kind == "campaign" and trigger is None:
        set_window(inputs, reading, schedule, now, said)
    said += unsupported(kind, inputs)
    if kind in _SPOKEN and report_language(prompt) == "en":
        inputs["language"] = "en"  # a request clearly in English gets English reports
    name = job_name(kind, inputs, lang)
    spec: dict[str, Any] = {
        "job_id": _job_id(f"{template.slug}-{name}", prompt),
        "type": template.type,
        "workflow": kind,
        "name": name[:200],
        "timeout_ms": template.timeout_ms,
        "retry_policy": dict(template.retry),
        "inputs": {"prompt": prompt, **template.inputs, **inputs},
    }
    if schedule is not None:
        spec["schedule"] = schedule
    if trigger is not None:
        spec["trigger"] = trigger
    if overrides:
        spec = _merge(spec, overrides)
    parsed = parse_spec(spec, now=now)
    final = parsed.spec.public_dict()
    zone = str((final.get("schedule") or {}).get("timezone") or "Asia/Jakarta")
    when = (describe_trigger(final["trigger"], lang=lang) if final.get("trigger")
            else describe_schedule(final.get("schedule"), lang=lang))
    guess = estimate(parsed.spec, now=now, settings=settings)
    assumptions = [Assumption(field=f, text=id_ if lang == "id" else en)  # type: ignore[arg-type]
                   for f, id_, en in said]  # fmt: skip
    return Plan(
        spec=final, explanation=explain(kind=kind, inputs=final["inputs"], when=when, lang=lang,
                                        event=(final.get("trigger") or {}).get("event")),
        assumptions=assumptions, next_fires_text=fires_in_words(guess.next_fires, lang=lang,
                                                                zone=zone),
        estimate=guess, engine=engine, fallback_reason=fallback_reason, language=lang,
    ), parsed  # fmt: skip


def _check_prompt(prompt: str) -> str:
    text = " ".join((prompt or "").split())
    if len(re.findall(r"\w+", text)) < 2:
        raise InvalidInput([ErrorItem("prompt", _TOO_SHORT)])
    return text


def plan_offline_parsed(
    prompt: str,
    *,
    overrides: dict[str, Any] | None = None,
    now: datetime | None = None,
    settings: Settings | None = None,
    fallback_reason: str | None = None,
) -> tuple[Plan, ParsedSpec]:
    """The rule-based planner (no key, no network), with the validated spec."""
    settings = settings or get_settings()
    now = now or datetime.now(UTC)
    text = _check_prompt(prompt)
    kind = (overrides or {}).get("workflow")
    if kind is not None and kind not in BUILDERS:
        raise InvalidInput([ErrorItem("workflow", f"the planner builds {', '.join(BUILDERS)} "
                                      f"jobs, not {kind!r}")])  # fmt: skip
    reading = read_prompt(text, now=now, kind=kind)
    return build_plan(reading, text, now=now, settings=settings, engine="offline",
                      overrides=overrides, fallback_reason=fallback_reason)  # fmt: skip


def plan_offline(prompt: str, **kwargs: Any) -> Plan:
    """:func:`plan_offline_parsed` without the parsed spec."""
    return plan_offline_parsed(prompt, **kwargs)[0]


def plan_parsed(
    prompt: str,
    *,
    use_ai: bool = False,
    overrides: dict[str, Any] | None = None,
    now: datetime | None = None,
    settings: Settings | None = None,
) -> tuple[Plan, ParsedSpec]:
    """Plan with the LLM when ``use_ai`` and one is configured, else offline; the LLM falls
    back to the offline engine (saying why) when its answer is unusable."""
    settings = settings or get_settings()
    now = now or datetime.now(UTC)
    reason: str | None = None
    if use_ai and settings.llm_enabled:
        from backend.ai.planner_llm import plan_with_llm

        text = _check_prompt(prompt)
        result, reason = plan_with_llm(text, overrides=overrides, now=now, settings=settings)
        if result is not None:
            return result
    elif use_ai:
        reason = NO_LLM_REASON
    return plan_offline_parsed(prompt, overrides=overrides, now=now, settings=settings,
                               fallback_reason=reason)  # fmt: skip


def plan(prompt: str, **kwargs: Any) -> Plan:
    """:func:`plan_parsed` without the parsed spec."""
    return plan_parsed(prompt, **kwargs)[0]
