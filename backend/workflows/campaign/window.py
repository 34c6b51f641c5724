"""When a campaign may send: its ``start_date``..``end_date`` window against the run's
send time (the occurrence it was scheduled for; now for a run started by hand).

A run outside the window sends nothing; it says so with the send time and the window
(``NothingDone``), which alerts: a job due to send on a day outside its own campaign is
a mistake in the job (usually its schedule), not a quiet success.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from backend.core.outcome import NothingDone

__all__ = ["send_time", "outside_window"]


def _moment(value: Any, zone: ZoneInfo, *, end: bool = False) -> datetime | None:
    """A window bound; a naive one is in the job's zone, and a bare end date
    (``"2026-11-26"``) means the end of that day."""
    if not value:
        return None
    text = str(value)
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if end and len(text) == 10:
        moment = moment.replace(hour=23, minute=59, second=59)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def send_time(scheduled_for: datetime | None, *, now: datetime | None = None) -> datetime:
    """The occurrence the run was scheduled for, else now (both timezone-aware)."""
    moment = scheduled_for or now or datetime.now(UTC)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def outside_window(campaign: dict[str, Any], *, at: datetime, timezone: str
                   ) -> NothingDone | None:  # fmt: skip
    """Why a send at ``at`` may not happen (before the start or after the end), or None."""
    zone = ZoneInfo(timezone)
    start = _moment(campaign.get("start_date"), zone)
    end = _moment(campaign.get("end_date"), zone, end=True)
    if (start is None or at >= start) and (end is None or at <= end):
        return None
    first, last = start or end, end or start
    assert first is not None and last is not None
    return NothingDone("campaign_outside_window", {
        "send_at": at.isoformat(), "window": [first.isoformat(), last.isoformat()],
        "tz": timezone, "campaign": str(campaign.get("name") or ""),
        "side": "before" if start is not None and at < start else "after",
    }, expected=True)  # fmt: skip
