"""The job editor's form fields: those every job has, and each workflow's own inputs.

A field is a path in the spec, a kind (how its text is read: ``spec_codecs``), the
default a missing key means (what the workflow assumes), and the choices of a select.
Its label and help are ``form.<key>`` and ``form.<key>.help`` in ``spio_ui.i18n``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from backend.domain.triggers import EVENT_KINDS
from backend.domain.vocab import PRIORITIES

__all__ = ["Field", "COMMON_FIELDS", "WORKFLOW_FIELDS", "ALL_FIELDS", "STRATEGY_PERCENT",
           "AREA_KINDS", "TRIGGER_FIELDS", "TRIGGER_EVENT", "NO_EVENT"]  # fmt: skip

# The strategy is one spec value ("undercut_by_5_percent") shown as two fields.
STRATEGY_PERCENT = "inputs.pricing_strategy%"
AREA_KINDS = ("products", "recipients", "sources", "accounts", "filter")
# The trigger's event field: "schedule" (no event: the job runs on its schedule or by
# hand) or an event; the other trigger fields show only for the events that take them.
TRIGGER_EVENT = "trigger.event"
NO_EVENT = "schedule"
_MARKET_EVENTS = tuple(e for e in EVENT_KINDS if e != "webhook")
_CHANNELS = ("telegram", "whatsapp", "email", "sms")


@dataclass(frozen=True, slots=True)
class Field:
    path: str
    kind: str
    key: str
    default: Any = None
    choices: tuple[str, ...] = ()
    show_for: tuple[str, ...] = ()  # trigger fields: the events that take it


COMMON_FIELDS: tuple[Field, ...] = (
    Field("schedule", "schedule", "schedule"),
    Field("schedule.timezone", "str", "timezone", "Asia/Jakarta"),
    Field("timeout_ms", "ms_as_sec", "timeout", 600_000),
    Field("retry_policy.max_retry", "int", "max_retry", 0),
    Field("retry_policy.backoff_sec", "numbers", "backoff", [60]),
    Field("inputs.pressure_priority", "choice", "priority", "normal", tuple(PRIORITIES)),
    Field("inputs.flow_group", "optional_str", "flow_group"),
    Field("inputs.flow_max_active_runs", "optional_int", "flow_max"),
    Field("inputs.allow_overlap", "bool", "overlap", False),
    Field("enabled", "bool", "enabled", True),
)

TRIGGER_FIELDS: tuple[Field, ...] = (
    Field(TRIGGER_EVENT, "trigger_event", "trigger_event", NO_EVENT, (NO_EVENT, *EVENT_KINDS)),
    Field("trigger.threshold", "optional_int", "trigger_threshold", 5, show_for=("stock.low",)),
    Field("trigger.min_change_percent", "optional_number", "trigger_min_change",
          show_for=("price.competitor_changed",)),
    Field("trigger.keywords", "list", "trigger_keywords", show_for=("social.mention",)),
    Field("trigger.platforms", "list", "trigger_platforms", show_for=_MARKET_EVENTS),
    Field("trigger.delay_sec", "sec_as_hours", "trigger_delay", show_for=EVENT_KINDS),
    Field("trigger.filter", "filter", "trigger_filter", show_for=EVENT_KINDS),
)

WORKFLOW_FIELDS: dict[str, tuple[Field, ...]] = {
    "price_intelligence": (
        Field("inputs.products", "products", "products"),
        Field("inputs.marketplaces", "list", "marketplaces"),
        Field("inputs.competitor_accounts", "list", "competitors"),
        Field("inputs.pricing_strategy", "strategy", "strategy", "undercut_by_5_percent",
              ("undercut", "match_lowest", "monitor_only")),
        Field(STRATEGY_PERCENT, "strategy_percent", "undercut", 5),
        Field("inputs.min_margin_percent", "number", "min_margin", 15),
        Field("inputs.max_discount_percent", "number", "max_discount", 20),
        Field("inputs.price_floor", "optional_number", "price_floor"),
        Field("inputs.price_ceiling", "optional_number", "price_ceiling"),
        Field("inputs.auto_update", "bool", "auto_update", True),
        Field("inputs.max_changes_per_run", "optional_int", "max_changes", 50),
        Field("inputs.preview_first_run", "bool", "preview_first", True),
        Field("inputs.report_channels", "list", "report_channels"),
    ),
    "campaign": (
        Field("inputs.campaign.name", "str", "campaign_name"),
        Field("inputs.channels", "list", "channels"),
        Field("inputs.audience.segment", "optional_str", "segment"),
        Field("inputs.audience.limit", "optional_int", "audience_limit"),
        Field("inputs.campaign.start_date", "optional_str", "start_date"),
        Field("inputs.campaign.end_date", "optional_str", "end_date"),
        Field("inputs.rate_limit_per_minute", "optional_int", "rate"),
        Field("inputs.campaign.discount_range", "optional_str", "discount"),
        Field("inputs.personalization.tone", "choice", "tone", "friendly_urgent",
              ("friendly_urgent", "friendly", "formal", "urgent")),
        Field("inputs.personalization.use_ai", "bool", "use_ai", False),
        Field("inputs.quiet_hours.start", "optional_str", "quiet_start"),
        Field("inputs.quiet_hours.end", "optional_str", "quiet_end"),
        Field("inputs.language", "choice", "message_language", "id", ("id", "en")),
        Field("inputs.order_message", "choice", "order_message", None,
              ("thank_you", "cart_reminder"), show_for=("order.paid", "order.created")),
    ),
    "bi_report": (
        Field("inputs.report_date", "period", "report_date", "yesterday"),
        Field("inputs.recipients", "recipients", "recipients"),
        Field("inputs.output_formats", "list", "formats"),
        Field("inputs.data_sources", "sources", "sources"),
        Field("inputs.language", "choice", "report_language", "id", ("id", "en")),
    ),
    "catalog_sync": (
        Field("inputs.platforms", "list", "platforms"),
        Field("inputs.products.limit", "optional_int", "catalog_limit", 1000),
        Field("inputs.sync_options.sync_prices", "bool", "sync_prices", True),
        Field("inputs.sync_options.sync_inventory", "bool", "sync_inventory", True),
        Field("inputs.sync_options.sync_descriptions", "bool", "sync_descriptions", True),
        Field("inputs.sync_options.sync_images", "bool", "sync_images", True),
        Field("inputs.image_processing.max_width", "optional_int", "image_width", 1200),
        Field("inputs.image_processing.max_height", "optional_int", "image_height", 1200),
        Field("inputs.image_processing.quality", "optional_int", "image_quality", 85),
        Field("inputs.image_processing.format", "choice", "image_format", "webp",
              ("webp", "jpeg", "png")),
        Field("inputs.inventory.safety_stock", "optional_int", "safety_stock", 2),
    ),
    "crisis_monitor": (
        Field("inputs.monitor_keywords", "list", "keywords"),
        Field("inputs.accounts", "accounts", "accounts"),
        Field("inputs.crisis_detection.volume_threshold", "optional_int", "volume", 100),
        Field("inputs.crisis_detection.spike_threshold", "optional_number", "spike", 5.0),
        Field("inputs.crisis_detection.negative_threshold", "optional_number", "negative_share",
              0.8),
        Field("inputs.alerts.negative_mention.channel", "choice", "alert_negative", None,
              _CHANNELS),
        Field("inputs.alerts.crisis_detected.channel", "choice", "alert_crisis", None, _CHANNELS),
        Field("inputs.alerts.viral_negative.channel", "choice", "alert_viral", None, _CHANNELS),
        Field("inputs.auto_response.enabled", "bool", "auto_response", False),
    ),
}

ALL_FIELDS: dict[str, Field] = {
    f.path: f for group in (COMMON_FIELDS, TRIGGER_FIELDS, *WORKFLOW_FIELDS.values())
    for f in group
}
