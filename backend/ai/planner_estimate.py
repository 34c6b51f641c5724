"""What a planned job will cost per run: API calls, messages, duration, next fire times.

Durations follow the configured limits: messages at the smaller of the job's own
per-minute limit and the channel's limit in settings (``MESSAGING_RATE_LIMITS``);
platform calls at ``PLATFORM_CALLS_PER_SEC`` per platform, platforms in parallel.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from backend.core.config import Settings
from backend.domain.spec import JobSpec

__all__ = ["Estimate", "estimate", "channel_limits_per_minute", "PLATFORM_CALLS_PER_SEC"]

# A conservative per-platform request rate (the sandbox's and most open APIs' default tier).
PLATFORM_CALLS_PER_SEC = 10.0
_IMAGES_PER_PRODUCT = 5
_IMAGES_PER_SEC = 20.0  # the multimedia tool on two cores, WebP 1200² (bench/images.py)


class Estimate(BaseModel):
    """Per-run figures; None where the prompt leaves the size open."""

    api_calls: int | None = Field(None, description="Platform API calls in one run.")
    messages: int | None = Field(None, description="Messages sent in one run.")
    duration_sec: float | None = Field(None, description="Expected wall time of one run.")
    next_fires: list[str] = Field(default_factory=list, description="Next 3 fire times, UTC.")


def channel_limits_per_minute(settings: Settings) -> dict[str, float]:
    """``whatsapp=80/1,email=20/1`` -> {"whatsapp": 4800.0, "email": 1200.0}."""
    limits: dict[str, float] = {}
    for part in settings.messaging_rate_limits.split(","):
        name, _, rate = part.strip().partition("=")
        count, _, seconds = rate.partition("/")
        try:
            limits[name.strip()] = float(count) * 60.0 / float(seconds or 1)
        except ValueError:
            continue
    return limits


def _next_fires(spec: JobSpec, now: datetime) -> list[str]:
    if spec.schedule is None:
        return []
    from backend.domain.schedule import next_fire_times

    return [t.isoformat() for t in next_fire_times(spec.schedule, after=now, count=3)]


def _campaign(inputs: dict[str, Any], settings: Settings) -> tuple[int | None, int | None, float]:
    audience = (inputs.get("audience") or {}).get("limit")
    channels = inputs.get("channels") or []
    if not audience or not channels:
        return audience, audience, 0.0
    limits = channel_limits_per_minute(settings)
    own = float(inputs.get("rate_limit_per_minute") or math.inf)
    share = audience / len(channels)  # each customer once, on one of the chosen channels
    minutes = max(share / min(own, limits.get(c, own)) for c in channels)
    return audience, audience, minutes * 60.0


def estimate(spec: JobSpec, *, now: datetime, settings: Settings) -> Estimate:
    """Figures for one run of ``spec`` (built-in workflows; the agent's are unknown)."""
    inputs = spec.inputs.model_dump()
    kind = spec.workflow
    calls: int | None = None
    messages: int | None = None
    duration: float | None = None
    if kind == "price_intelligence":
        products = (inputs.get("products") or {}).get("limit") or 0
        markets = len(inputs.get("marketplaces") or [])
        updates = 0 if inputs.get("pricing_strategy") == "monitor_only" else products
        calls = products * markets + updates
        messages = len(inputs.get("report_channels") or [])
        duration = products / PLATFORM_CALLS_PER_SEC + updates / PLATFORM_CALLS_PER_SEC
    elif kind == "campaign" and spec.trigger is not None:
        calls, messages, duration = 2, 1, 1.0  # one order: read it and its buyer, one message
    elif kind == "campaign":
        calls, messages, duration = _campaign(inputs, settings)
    elif kind == "bi_report":
        calls = sum(len(s.get("metrics") or []) for s in inputs.get("data_sources") or [])
        messages = len(inputs.get("recipients") or [])
        duration = calls / PLATFORM_CALLS_PER_SEC + 15.0  # + rendering PDF/Excel
    elif kind == "catalog_sync":
        products = (inputs.get("products") or {}).get("limit") or 0
        platforms = len(inputs.get("platforms") or [])
        calls, messages = products * platforms, 1
        images = products * _IMAGES_PER_PRODUCT if inputs["sync_options"]["sync_images"] else 0
        duration = max(products / PLATFORM_CALLS_PER_SEC, images / _IMAGES_PER_SEC)
    elif kind == "crisis_monitor":
        calls, messages, duration = len(inputs.get("accounts") or []), 0, 2.0
    return Estimate(
        api_calls=calls,
        messages=messages,
        duration_sec=round(duration, 1) if duration is not None else None,
        next_fires=_next_fires(spec, now),
    )
