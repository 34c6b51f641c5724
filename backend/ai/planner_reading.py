"""What a prompt says, as structured data: the one shape both planner engines produce.

The offline reader (``planner_read``) and the LLM (asked for exactly this JSON schema)
each turn a seller's prompt into a :class:`Reading`. Everything after it is shared:
the builders fill defaults and list each one as an :class:`Assumption`, and job
validation decides whether the resulting spec can run. A field the prompt does not
state is left empty; the builders never guess silently.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "WORKFLOWS",
    "Workflow",
    "AssumedField",
    "Assumption",
    "ScheduleReading",
    "Recipient",
    "Strategy",
    "Counts",
    "Reading",
    "PLATFORM_NAMES",
    "Said",
]

Workflow = Literal["price_intelligence", "campaign", "bi_report", "catalog_sync", "crisis_monitor"]
WORKFLOWS: tuple[str, ...] = (
    "price_intelligence", "campaign", "bi_report", "catalog_sync", "crisis_monitor",
)  # fmt: skip
Platform = Literal[
    "shopee", "tokopedia", "lazada", "tiktok_shop", "blibli", "bukalapak", "instagram_shop",
    "facebook_shop", "website", "google_shopping", "priceza", "idealo", "facebook_ads",
    "google_ads", "tiktok_ads", "google_analytics", "crm", "twitter", "instagram", "facebook",
    "tiktok", "youtube",
]  # fmt: skip
PLATFORM_NAMES: tuple[str, ...] = Platform.__args__  # type: ignore[attr-defined]
Channel = Literal["whatsapp", "telegram", "email", "sms"]
Format = Literal["pdf", "excel", "dashboard"]
# What an assumption is about. The first nine are the fields a seller most often leaves
# out; the rest name workflow details the planner also fills in.
AssumedField = Literal[
    "schedule", "audience", "channels", "platforms", "content", "recipients", "window",
    "rate", "formats", "products", "strategy", "competitors", "keywords", "accounts",
    "images", "sources", "period", "thresholds",
]  # fmt: skip


# A default a builder filled in: (field, Indonesian text, English text).
Said = tuple[str, str, str]


class Assumption(BaseModel):
    """One default the planner filled in, said in the prompt's language."""

    model_config = ConfigDict(extra="forbid")

    field: AssumedField = Field(description="Which part of the job the default is about.")
    text: str = Field(min_length=1, max_length=300, description="What was assumed, in words.")


class ScheduleReading(BaseModel):
    """When the job runs, in the job's local time (Asia/Jakarta unless ``timezone``)."""

    model_config = ConfigDict(extra="forbid")

    every_sec: int | None = Field(None, ge=1, description="Repeat every N seconds.")
    cron: str | None = Field(None, description="5-field cron (M H DOM MON DOW), local time.")
    at: str | None = Field(None, description="One run at YYYY-MM-DDTHH:MM local time.")
    exact: bool = Field(
        True, description="False when the prompt is vague (e.g. 'tiap pagi', 'weekly', "
        "'awal bulan') and a time or day was chosen for it.",
    )
    note: str | None = Field(None, description="What was assumed about the time, in words.")
    timezone: str = "Asia/Jakarta"
    start_at: str | None = Field(None, description="First run of an interval, YYYY-MM-DDTHH:MM "
                                 "local time ('every other Monday at 9').")


class Recipient(BaseModel):
    """Someone a report or alert goes to, as the prompt names them."""

    model_config = ConfigDict(extra="forbid")

    channel: Channel
    address: str | None = Field(None, description="Email address.")
    phone: str | None = Field(None, description="Phone number as +62...")
    chat_id: str | None = Field(None, description="Telegram chat id.")


class Strategy(BaseModel):
    """Repricing rules the prompt states (price intelligence)."""

    model_config = ConfigDict(extra="forbid")

    undercut_percent: float | None = None
    match_lowest: bool = False
    min_margin_percent: float | None = None
    max_discount_percent: float | None = None
    monitor_only: bool = Field(False, description="Report only; never change prices.")


class Counts(BaseModel):
    """Numbers the prompt states."""

    model_config = ConfigDict(extra="forbid")

    products: int | None = Field(None, ge=1)
    recipients: int | None = Field(None, ge=1, description="Audience size of a campaign.")
    platforms: int | None = Field(None, ge=1, description="How many platforms, when unnamed.")
    competitors: int | None = Field(None, ge=1)
    posts: int | None = Field(None, ge=1)


class Reading(BaseModel):
    """A prompt's meaning: the workflow it asks for and the facts it states."""

    model_config = ConfigDict(extra="forbid")

    workflow: Workflow | None = Field(
        None, description="null when none of the five workflows does what is asked."
    )
    question: str | None = Field(
        None, description="For a refusal: one question naming what would make it plannable."
    )
    schedule: ScheduleReading | None = None
    platforms: list[Platform] = Field(default_factory=list)
    channels: list[Channel] = Field(default_factory=list)
    counts: Counts = Field(default_factory=Counts)
    recipients: list[Recipient] = Field(default_factory=list)
    formats: list[Format] = Field(default_factory=list)
    discount_percent: float | None = Field(None, ge=0, le=100)
    discount_range: str | None = Field(None, description="e.g. '30-70%'.")
    strategy: Strategy = Field(default_factory=Strategy)
    keywords: list[str] = Field(default_factory=list, description="Brands, hashtags, words.")
    audience: str | None = Field(
        None, description="Campaign segment: all, vip, new, inactive, abandoned_cart, "
        "birthday, recent_buyers, subscribers."
    )
    topic: str | None = Field(
        None, description="What a campaign announces, e.g. 'Promo Black Friday 2027'."
    )
    event: str | None = Field(None, description="A named shopping event, e.g. 'Black Friday'.")
    window_start: str | None = Field(None, description="Promo period start, YYYY-MM-DD.")
    window_end: str | None = Field(None, description="Promo period end, YYYY-MM-DD.")
    rate_per_minute: int | None = Field(None, ge=1)
    order_event: Literal["order.paid", "order.created"] | None = Field(
        None, description="Work per order instead of on a clock: a campaign with "
        "order.paid sends a thank-you or receipt each time an order is paid, with "
        "order.created a reminder when an order stays unpaid (abandoned cart); a catalog "
        "sync with order.created moves stock to every platform as each order comes in. "
        "Only when no schedule is named.")
    delay_hours: float | None = Field(
        None, gt=0, le=168, description="order.created: hours an order stays unpaid before "
        "the reminder.")
    language: Literal["id", "en"] = "id"
