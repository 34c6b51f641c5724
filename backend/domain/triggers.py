"""Event triggers: a job that runs when something happens, not when a clock says so.

``{"event": "order.paid", ...options}`` in a job spec's ``trigger``. An option that only
one event understands (``threshold`` for ``stock.low``) is refused on any other, naming
the field, so a spec never carries a setting that silently does nothing.

``matches`` decides whether one event starts a run of a job: pure, no database, so the
intake, the tests and the UI's "would this fire?" agree.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from backend.domain.paths import value_at
from backend.domain.problems import problem

__all__ = ["EventKind", "EVENT_KINDS", "EventTrigger", "matches", "SCHEDULE_KEYS",
           "DEFAULT_THRESHOLD", "DEFAULT_REPLAY_WINDOW_SEC", "MAX_DELAY_SEC"]

EventKind = Literal["order.created", "order.paid", "order.cancelled", "stock.low",
                    "price.competitor_changed", "social.mention", "webhook"]  # fmt: skip
EVENT_KINDS: tuple[str, ...] = get_args(EventKind)

# A ``trigger`` holding any of these is a schedule (moved to ``schedule`` by JobSpec).
SCHEDULE_KEYS = ("interval_sec", "cron", "at")

# Which event understands which option (every event understands filter and platforms).
_ONLY_FOR: dict[str, tuple[str, ...]] = {
    "threshold": ("stock.low",),
    "min_change_percent": ("price.competitor_changed",),
    "keywords": ("social.mention",),
    "secret_mode": ("webhook",),
    "replay_window_sec": ("webhook",),
}
DEFAULT_THRESHOLD = 5  # stock.low
DEFAULT_REPLAY_WINDOW_SEC = 300  # webhook
MAX_DELAY_SEC = 7 * 86400
_FilterValue = str | int | float | bool
FILTER_KEY_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$"


class EventTrigger(BaseModel):
    """When an event of kind ``event`` arrives (and passes the options), the job runs
    once for it, with the event as ``inputs.event``."""

    model_config = ConfigDict(extra="forbid")

    event: EventKind = Field(..., description="What starts the job.")
    filter: dict[str, _FilterValue | list[_FilterValue]] | None = Field(
        None, max_length=20,
        description="Fields of the event's data that must equal these (a list: any of them).")
    platforms: list[str] | None = Field(
        None, min_length=1, max_length=30, description="Only events from these platforms.")
    threshold: int | None = Field(
        None, ge=0, le=1_000_000, description="stock.low: fire at or below this stock (5).")
    min_change_percent: float | None = Field(
        None, ge=0, le=1000, description="price.competitor_changed: ignore smaller moves.")
    keywords: list[str] | None = Field(
        None, min_length=1, max_length=50,
        description="social.mention: the post must mention one of these.")
    secret_mode: Literal["hmac", "bearer"] | None = Field(
        None, description="webhook: HMAC-SHA256 signature (default) or a bearer secret.")
    replay_window_sec: int | None = Field(
        None, ge=30, le=3600, description="webhook: refuse timestamps older than this (300).")
    delay_sec: int | None = Field(
        None, ge=0, le=MAX_DELAY_SEC,
        description="Start the run this long after the event (a cart left unpaid N hours).")

    @field_validator("event", mode="before")
    @classmethod
    def _known_event(cls, value: Any) -> Any:
        if value not in EVENT_KINDS:
            raise problem("trigger.unknown_event", event=value, known=", ".join(EVENT_KINDS))
        return value

    @field_validator("filter")
    @classmethod
    def _filter_keys(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        import re

        for key, wanted in (value or {}).items():
            if not re.match(FILTER_KEY_PATTERN, key):
                raise problem("trigger.filter_key", key=key)
            if isinstance(wanted, list) and not wanted:
                raise problem("trigger.filter_empty", key=key)
        return value

    @field_validator("keywords", "platforms")
    @classmethod
    def _no_blank_words(cls, value: list[str] | None) -> list[str] | None:
        if value is not None:
            value = [w.strip() for w in value]
            if any(not w or len(w) > 100 for w in value):
                raise problem("trigger.entry_length")
        return value

    @model_validator(mode="after")
    def _options_fit_the_event(self) -> EventTrigger:
        for option, events in _ONLY_FOR.items():
            if getattr(self, option) is not None and self.event not in events:
                raise problem("trigger.option_only_for", option=option,
                              events=" / ".join(events), event=self.event)
        # Defaults are not written into the spec (a merge patch that switches the event
        # would otherwise carry them over, refused): they apply where they are read.
        if self.event == "webhook" and self.platforms is not None:
            raise problem("trigger.webhook_platforms")
        return self


def _same(actual: Any, wanted: Any) -> bool:
    if isinstance(actual, str) and isinstance(wanted, str):
        return actual.casefold() == wanted.casefold()
    if isinstance(actual, bool) or isinstance(wanted, bool):
        return actual is wanted
    return bool(actual == wanted)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return float(value)
    except ValueError:
        return None


def matches(trigger: EventTrigger, *, kind: str, data: dict[str, Any]) -> bool:
    """Does an event of ``kind`` with ``data`` start a run of a job with ``trigger``?"""
    if trigger.event != kind:
        return False
    if trigger.platforms is not None and not any(
            _same(data.get("platform"), p) for p in trigger.platforms):
        return False
    for key, wanted in (trigger.filter or {}).items():
        options = wanted if isinstance(wanted, list) else [wanted]
        if not any(_same(value_at(data, key), w) for w in options):
            return False
    if kind == "stock.low":
        return _stock_low(DEFAULT_THRESHOLD if trigger.threshold is None else trigger.threshold,
                          data)
    if kind == "price.competitor_changed" and trigger.min_change_percent:
        old, new = _number(data.get("old_price")), _number(data.get("new_price"))
        if old is None or new is None or old <= 0:
            return False
        return abs(new - old) / old * 100 >= trigger.min_change_percent
    if kind == "social.mention" and trigger.keywords:
        text = str(data.get("text") or "").casefold()
        return any(word.casefold() in text for word in trigger.keywords)
    return True


def _stock_low(threshold: int, data: dict[str, Any]) -> bool:
    """At or below the threshold, and only on the way down: a stock already low that
    moves again (5 -> 4) does not fire a second time when the event says where it was."""
    stock, before = _number(data.get("stock")), _number(data.get("previous_stock"))
    if stock is None or stock > threshold:
        return False
    return before is None or before > threshold
