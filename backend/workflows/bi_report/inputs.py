"""The BI report job's inputs, normalised: the seed's shape and the planner's.

    report_date      "yesterday" (default, in the schedule's time zone), "today" or ISO date
    data_sources     [{platform, metrics, account?}]: shopee/tokopedia/lazada/tiktok_shop/
                     blibli/website, facebook_ads/google_ads/tiktok_ads, instagram/tiktok/
                     facebook/twitter/youtube (followers, reach, views), google_analytics, crm
    ai_analysis      {enabled, focus, compare_with: [yesterday, last_week, last_month]}
    output_formats   any of pdf, excel, dashboard
    recipients       [{channel, address|chat_id|phone|to}]; "default" is skipped, said so
    detail_days      "all" (orders of every day of the window, row by row) or "compare"
    language, title  the report's language (id, the default, or en: PDF, workbook,
                     insights, messages) and its title
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from backend.core.errors import NonRetryableError
from backend.reports import labels
from backend.reports.locale import lang_of

__all__ = ["BiInputs", "parse_inputs", "Recipient"]

_FORMATS = ("pdf", "excel", "dashboard")


@dataclass(frozen=True, slots=True)
class Recipient:
    channel: str
    to: str


@dataclass(frozen=True, slots=True)
class BiInputs:
    report_date: date
    timezone: str
    sources: list[dict[str, Any]]
    compare_with: list[str]
    ai_enabled: bool
    formats: tuple[str, ...]
    recipients: list[Recipient]
    skipped_recipients: list[str]
    detail_days: str
    language: str
    title: str


def _report_date(value: Any, *, now: datetime, tz: str) -> date:
    today = now.astimezone(ZoneInfo(tz)).date()
    if value in (None, "", "yesterday"):
        return today - timedelta(days=1)
    if value == "today":
        return today
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise NonRetryableError(f"report_date {value!r}: use yesterday, today or "
                                "YYYY-MM-DD") from None


def _recipient(raw: Any) -> Recipient | str:
    if not isinstance(raw, dict) or not raw.get("channel"):
        return f"{raw!r}: needs a channel"
    channel = str(raw["channel"])
    to = raw.get("to") or raw.get("address") or raw.get("email") or raw.get("chat_id") \
        or raw.get("phone")  # fmt: skip
    if not to or to == "default":
        return f"{channel}: no address given (\"default\" has no address configured)"
    if channel not in ("email", "telegram", "whatsapp", "sms"):
        return f"{channel}: unknown channel"
    return Recipient(channel=channel, to=str(to))


def parse_inputs(inputs: dict[str, Any], *, now: datetime, timezone: str, job_name: str
                 ) -> BiInputs:
    """Validate and normalise; bad inputs fail the run at once (non-retryable)."""
    sources = inputs.get("data_sources") or []
    if not isinstance(sources, list) or not sources or not all(
            isinstance(s, dict) and s.get("platform") for s in sources):
        raise NonRetryableError("data_sources: give a list of {platform, metrics}")
    ai = inputs.get("ai_analysis") or {}
    compare = list(ai.get("compare_with") or ["yesterday", "last_week", "last_month"])
    formats = tuple(f for f in (inputs.get("output_formats") or _FORMATS) if f in _FORMATS)
    # The report, its insights and the messages that carry it: Indonesian unless asked.
    lang = lang_of(inputs.get("language"))
    recipients: list[Recipient] = []
    skipped: list[str] = []
    for raw in inputs.get("recipients") or []:
        r = _recipient(raw)
        (recipients.append(r) if isinstance(r, Recipient) else skipped.append(r))
    return BiInputs(
        report_date=_report_date(inputs.get("report_date"), now=now, tz=timezone),
        timezone=timezone,
        sources=[dict(s) for s in sources],
        compare_with=compare,
        ai_enabled=bool(ai.get("enabled", True)),
        formats=formats or _FORMATS,
        recipients=recipients,
        skipped_recipients=skipped,
        detail_days=str(inputs.get("detail_days") or "all"),
        language=lang,
        title=str(inputs.get("title") or job_name or labels.text("report_title", lang=lang)),
    )
