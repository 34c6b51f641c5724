"""Quiet hours: when a job that messages customers must not send.

``{"start": "21:00", "end": "08:00"}`` in the job's timezone; the window may span
midnight. Pure (no database, no clock unless given), so the event intake (which starts
a run after the window) and the senders (which hold back inside it) agree.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

__all__ = ["in_quiet_hours", "quiet_until"]


def _bounds(quiet: dict[str, Any] | None) -> tuple[time, time] | None:
    if not isinstance(quiet, dict) or not quiet.get("start") or not quiet.get("end"):
        return None
    try:
        start, end = time.fromisoformat(str(quiet["start"])), time.fromisoformat(str(quiet["end"]))
    except ValueError:
        return None
    return (start, end) if start != end else None


def in_quiet_hours(quiet: dict[str, Any] | None, *, tz: str, at: datetime) -> bool:
    """True when ``at`` (timezone-aware) falls inside the quiet hours in ``tz``."""
    bounds = _bounds(quiet)
    if bounds is None:
        return False
    start, end = bounds
    local = at.astimezone(ZoneInfo(tz)).time()
    return start <= local < end if start < end else (local >= start or local < end)


def quiet_until(quiet: dict[str, Any] | None, *, tz: str, at: datetime) -> datetime | None:
    """When the quiet hours around ``at`` end (in ``at``'s zone), or None outside them."""
    bounds = _bounds(quiet)
    if bounds is None or not in_quiet_hours(quiet, tz=tz, at=at):
        return None
    zone = ZoneInfo(tz)
    local = at.astimezone(zone)
    end = local.replace(hour=bounds[1].hour, minute=bounds[1].minute, second=0, microsecond=0)
    if end <= local:
        end += timedelta(days=1)
    return end.astimezone(at.tzinfo)
