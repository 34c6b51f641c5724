"""The planner's LLM path: the model reads the prompt into a :class:`Reading`; the rest is
shared with the offline engine.

The request asks for a JSON-schema answer (``response_format`` ``json_schema`` with the
Reading's schema) where the server supports it, JSON mode where it does not, and plain
JSON otherwise (``LLMClient`` steps down on the server's 400). Whatever comes back is
validated twice: as a Reading, then by :func:`backend.ai.planner.build_plan`, which fills
the same defaults, lists the same assumptions and runs the same job validation (schema
and "can this schedule ever run") as the offline engine. An invalid answer is sent back
once with its problems; after that the offline planner takes over and says why.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from backend.ai.llm import NO_LLM_REASON, LLMError, make_llm_client
from backend.ai.planner_reading import PLATFORM_NAMES, WORKFLOWS, Reading
from backend.core.config import Settings
from backend.core.errors import ErrorItem, InvalidInput
from backend.jobs.validation import ParsedSpec

__all__ = ["plan_with_llm", "SYSTEM_PROMPT", "READING_SCHEMA"]

READING_SCHEMA: dict[str, Any] = Reading.model_json_schema()

SYSTEM_PROMPT = (
    "TASK: plan_job\n"
    "You read an Indonesian online seller's request (Indonesian, English or mixed; slang and "
    "typos happen) and answer with ONE JSON object matching the given schema (a Reading). "
    f"workflow: one of {', '.join(WORKFLOWS)}; null when none of them does the work (then "
    "`question`: one question, in the request's language, naming what would make it "
    "plannable). price_intelligence watches competitors' prices (and may reprice); campaign "
    "sends messages to customers (promos, newsletters, greetings, reminders); bi_report "
    "builds sales/ads/analytics reports; catalog_sync pushes the seller's own catalogue, "
    "stock and prices out to channels; crisis_monitor watches social media and reviews for "
    "brand mentions and negative spikes. Fill only what the request states; leave the rest "
    "empty (defaults are added later and shown to the seller). schedule: local time "
    "(Asia/Jakarta unless said): every_sec for intervals, cron (5 fields, DOW 0=Sunday) for "
    "repeating clock times, at (YYYY-MM-DDTHH:MM) for one run; exact=false when the time or "
    "day is vague (then note what you chose). Relative dates count from `now`. "
    f"platforms only from: {', '.join(PLATFORM_NAMES)}. Phones as +62...; counts as integers "
    "(10.000 and 10,000 are ten thousand). language: 'en' for English requests, else 'id'."
)


def _parser(prompt: str, *, now: datetime, settings: Settings,
            overrides: dict[str, Any] | None):  # type: ignore[no-untyped-def]  # fmt: skip
    from backend.ai.planner import build_plan

    def parse(data: Any) -> tuple[Reading, Any]:
        reading = Reading.model_validate(data)
        if reading.workflow is None:
            return reading, None  # a refusal is an answer, not an error
        # Raises InvalidInput with paths the model can act on (sent back once).
        return reading, build_plan(reading, prompt, now=now, settings=settings, engine="llm",
                                   overrides=overrides)  # fmt: skip

    return parse


def plan_with_llm(
    prompt: str, *, overrides: dict[str, Any] | None, now: datetime, settings: Settings
) -> tuple[Any, str | None]:
    """((Plan, ParsedSpec), None) from the LLM, or (None, why it could not be used).

    A refusal by the model raises InvalidInput on ``prompt`` with its question."""
    client = make_llm_client(settings)
    if client is None:
        return None, NO_LLM_REASON
    user = json.dumps({"request": prompt, "now": now.isoformat()}, ensure_ascii=False)
    try:
        reading, result = client.chat_json(
            system=SYSTEM_PROMPT, user=user,
            parse=_parser(prompt, now=now, settings=settings, overrides=overrides),
            schema=READING_SCHEMA, schema_name="planner_reading",
        )  # fmt: skip
    except LLMError as exc:
        return None, f"LLM failed ({exc}); used the offline planner"
    if result is None:
        raise InvalidInput([ErrorItem("prompt", reading.question or "none of the workflows "
                                      "does this")])  # fmt: skip
    plan, parsed = result
    assert isinstance(parsed, ParsedSpec)
    return (plan, parsed), None
