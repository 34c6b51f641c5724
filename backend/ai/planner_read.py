"""The offline engine's reading of a prompt: rules, no key, no network.

:func:`read_prompt` returns the same :class:`Reading` the LLM is asked for, so both
engines share everything after it (defaults, assumptions, validation).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from backend.ai import planner_extract as extract
from backend.ai import planner_money as money
from backend.ai.planner_classify import classify, refusal
from backend.ai.planner_explain import prompt_language
from backend.ai.planner_order_events import order_event, reminder_hours, stock_on_orders
from backend.ai.planner_platforms import platforms_for
from backend.ai.planner_reading import Counts, Reading, ScheduleReading
from backend.ai.planner_refuse import question
from backend.ai.planner_schedule import FoundSchedule, parse_schedule
from backend.ai.planner_templates import TEMPLATES
from backend.ai.planner_text import normalize
from backend.ai.planner_topic import audience, promo_period, topic

__all__ = ["read_prompt", "schedule_reading", "RECURRING"]

# Workflows whose work repeats: a clock time without a day means "every day".
RECURRING = ("price_intelligence", "bi_report", "catalog_sync", "crisis_monitor")


def schedule_reading(found: FoundSchedule, lang: str) -> ScheduleReading:
    """A parsed schedule as the engine-neutral reading (notes in ``lang``)."""
    s = found.schedule
    at = str(s["at"])[:16] if "at" in s else None
    notes = [pair[0] if lang == "id" else pair[1] for pair in found.notes]
    every = s.get("interval_sec")
    return ScheduleReading(
        every_sec=int(every) if isinstance(every, int | float) else None,
        cron=str(s["cron"]) if "cron" in s else None, at=at, exact=found.exact,
        note="; ".join(notes) or None, timezone=str(s.get("timezone", "Asia/Jakarta")),
        start_at=str(s["start_at"])[:16] if "start_at" in s else None,
    )  # fmt: skip


def read_prompt(text: str, *, now: datetime, kind: str | None = None) -> Reading:
    """What ``text`` asks for (``kind`` forces the workflow, e.g. from overrides)."""
    t = normalize(text)
    lang = "en" if prompt_language(text) == "en" else "id"
    kind = kind or classify(t) or ("campaign" if order_event(t) else None)
    if kind is None or kind not in TEMPLATES:
        return Reading(workflow=None, question=question(refusal(t), lang), language=lang)
    template = TEMPLATES[kind]
    found = parse_schedule(text, now=now, default_time=template.default_time,
                           recurring_default=kind in RECURRING)  # fmt: skip
    found_counts = extract.counts(t)
    reading = Reading(
        workflow=kind,  # type: ignore[arg-type]
        language=lang,
        schedule=schedule_reading(found, lang) if found else None,
        platforms=platforms_for(kind, t),  # type: ignore[arg-type]
        channels=extract.channels(t),  # type: ignore[arg-type]
        counts=found_counts if isinstance(found_counts, Counts) else Counts(),
        recipients=extract.recipients(text, t),
        formats=extract.formats(t),  # type: ignore[arg-type]
        keywords=extract.keywords(text) if kind == "crisis_monitor" else [],
    )
    if kind in ("price_intelligence", "catalog_sync") and reading.counts.products is None:
        reading.counts.products = extract.product_count_guess(t)
    if kind == "price_intelligence":
        reading.strategy = money.strategy(t)
    if kind == "catalog_sync" and stock_on_orders(t):
        reading.order_event = "order.created"  # stock moves with each order, not a clock
        reading.schedule = None
    if kind == "campaign":
        local = now.astimezone(ZoneInfo("Asia/Jakarta"))
        reading.discount_percent = money.discount(t)
        reading.discount_range = money.discount_range(t)
        reading.rate_per_minute = money.rate_per_minute(t)
        reading.audience = audience(t)
        name, event, _day = topic(t, lang=lang, discount=reading.discount_percent,
                                  today=local.date())  # fmt: skip
        reading.topic, reading.event = name, event
        if found is None:  # a campaign on no clock may answer each order
            reading.order_event = order_event(t)  # type: ignore[assignment]
            if reading.order_event == "order.created":
                reading.delay_hours = reminder_hours(t)
        period = promo_period(t, now=local)
        if period:
            reading.window_start, reading.window_end = period[0].isoformat(), period[1].isoformat()
    return reading
