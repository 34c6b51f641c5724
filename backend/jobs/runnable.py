"""Can a valid spec's schedule ever do its work? Refuse the ones that cannot.

A spec can be well-formed and still never do anything: a one-off ``at`` already in the
past, an ``end_at`` before its ``start_at`` or already passed, a schedule that never fires
inside its own start/end, or a campaign whose send falls outside its own window
(``inputs.campaign.start_date``..``end_date``: the workflow sends nothing outside it).
Each problem names both fields involved and, where one exists, suggests a fix. Job
creation, replacement, the editor's validate call and the planner all go through this.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from backend.core.errors import ErrorItem
from backend.core.messages import keyed, problem_item
from backend.domain.spec import JobSpec, Schedule

__all__ = ["runnable_problems", "PAST_GRACE"]

# An ``at`` this close behind "now" still runs at once (clock skew, a slow form post).
PAST_GRACE = timedelta(minutes=5)


def _aware(moment: datetime, zone: str) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(zone))


def _iso(moment: datetime, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).replace(microsecond=0).isoformat()


def _window_dates(inputs: dict[str, Any], zone: str) -> tuple[datetime | None, datetime | None,
                                                               list[ErrorItem]]:  # fmt: skip
    campaign = inputs.get("campaign")
    if not isinstance(campaign, dict):
        return None, None, []
    found: list[datetime | None] = []
    errors: list[ErrorItem] = []
    for key in ("start_date", "end_date"):
        raw = campaign.get(key)
        if raw in (None, ""):
            found.append(None)
            continue
        try:
            found.append(_aware(datetime.fromisoformat(str(raw).replace("Z", "+00:00")), zone))
        except ValueError:
            errors.append(problem_item(f"inputs.campaign.{key}", "runnable.bad_date", raw=raw))
            found.append(None)
    return found[0], found[1], errors


def _schedule_problems(s: Schedule, now: datetime) -> list[ErrorItem]:
    zone = s.timezone
    start = _aware(s.start_at, zone) if s.start_at else None
    end = _aware(s.end_at, zone) if s.end_at else None
    out: list[ErrorItem] = []
    if start and end and end <= start:
        fix = _iso(start + timedelta(days=1), zone)
        both = {"end": _iso(end, zone), "start": _iso(start, zone)}
        return [problem_item("schedule.end_at", "runnable.end_before_start", suggestion=fix,
                             fix=keyed("fix.end_at", value=fix), **both),
                problem_item("schedule.start_at", "runnable.end_before_start", fix="",
                             **both)]  # fmt: skip
    if end and end < now:
        fix = _iso(now + timedelta(days=30), zone)
        out.append(problem_item("schedule.end_at", "runnable.end_passed", suggestion=fix,
                                end=_iso(end, zone), fix=fix))  # fmt: skip
    if s.at is not None:
        at = _aware(s.at, zone)
        if at < now - PAST_GRACE:
            fix = _iso((now + timedelta(hours=1)).replace(minute=0, second=0), zone)
            out.append(problem_item("schedule.at", "runnable.at_past", suggestion=fix,
                                    at=_iso(at, zone), now=_iso(now, zone), fix=fix))
        if start and at < start:
            out.append(problem_item("schedule.at", "runnable.at_before_start",
                                    suggestion=_iso(start, zone), at=_iso(at, zone),
                                    start=_iso(start, zone)))  # fmt: skip
        if end and at > end:
            out.append(problem_item("schedule.at", "runnable.at_after_end",
                                    suggestion=_iso(end, zone), at=_iso(at, zone),
                                    end=_iso(end, zone)))  # fmt: skip
    elif not out:
        from backend.domain.schedule import next_fire

        if next_fire(s, after=max(now, start or now) - timedelta(microseconds=1)) is None:
            out.append(problem_item("schedule", "runnable.never_fires"))
    return out


def _trigger(s: Schedule) -> str:
    return "schedule.at" if s.at else "schedule.cron" if s.cron else "schedule.interval_sec"


def _campaign_problems(spec: JobSpec, now: datetime) -> list[ErrorItem]:
    s = spec.schedule
    zone = s.timezone if s else "Asia/Jakarta"
    start, end, errors = _window_dates(spec.inputs.model_dump(), zone)
    if errors:
        return errors
    if start and end and end <= start:
        both = {"end": _iso(end, zone), "start": _iso(start, zone)}
        fix = _iso(start + timedelta(days=1), zone)
        return [problem_item("inputs.campaign.end_date", "runnable.window_backwards",
                             suggestion=fix, fix=keyed("fix.e_g", value=fix), **both),
                problem_item("inputs.campaign.start_date", "runnable.window_backwards",
                             fix="", **both)]  # fmt: skip
    if end is None or s is None:
        if end is not None and end < now:
            return [problem_item("inputs.campaign.end_date", "runnable.window_ended",
                                 end=_iso(end, zone))]  # fmt: skip
        return []
    from backend.domain.schedule import next_fire

    after = max(now, start) if start else now
    fire = next_fire(s, after=after - timedelta(microseconds=1))
    if fire is not None and fire <= end:
        return []
    trigger = _trigger(s)
    window = f"{_iso(start, zone) if start else '…'} – {_iso(end, zone)}"
    if s.at is not None:
        fire = _aware(s.at, zone)
        said = keyed("said.at", at=_iso(fire, zone))
    elif fire is None:
        said = keyed("said.never")
    else:
        said = keyed("said.next", fire=_iso(fire, zone))
    told = {"trigger": trigger, "said": said, "window": window}

    def item(path: str, fix: dict[str, Any] | str, value: str | None) -> ErrorItem:
        return problem_item(path, "runnable.outside_window", suggestion=value, fix=fix, **told)

    items = [item(trigger, _send_fix(s, start, end, now), _send_value(s, start, end, now))]
    if fire is not None:
        first = _iso(fire.astimezone(ZoneInfo(zone)).replace(hour=0, minute=0, second=0), zone)
        last = first.replace("T00:00:00", "T23:59:59")
        # Stretch the window to the send: back for an early send, on for a late one; a
        # window wholly past moves to the send day.
        if start is not None and fire < start:
            items.append(item("inputs.campaign.start_date",
                              keyed("fix.start_on_send_day", day=first), first))
        elif fire > end:
            if start is not None and start < now:
                items.append(item("inputs.campaign.start_date",
                                  keyed("fix.move_to_send_day", day=first), first))
            items.append(item("inputs.campaign.end_date",
                              keyed("fix.end_after_send", day=last), last))
    return items


def _send_value(s: Schedule, start: datetime | None, end: datetime, now: datetime) -> str | None:
    """A send moment inside the window (same clock time as the schedule's), if any."""
    zone = s.timezone
    base = _aware(s.at, zone) if s.at else None
    day = max(start or now, now).astimezone(ZoneInfo(zone))
    hour, minute = (base.hour, base.minute) if base else (9, 0)
    if s.cron:
        fields = s.cron.split()
        if fields[0].isdigit() and fields[1].isdigit():
            minute, hour = int(fields[0]), int(fields[1])
    candidate = day.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if candidate < day:
        candidate += timedelta(days=1)
    if candidate > end:
        return None
    if s.cron:
        return f"{candidate.minute} {candidate.hour} {candidate.day} {candidate.month} *"
    if s.at:
        return _iso(candidate, zone)
    return None


def _send_fix(s: Schedule, start: datetime | None, end: datetime,
              now: datetime) -> dict[str, Any] | str:  # fmt: skip
    value = _send_value(s, start, end, now)
    if value is None:
        return ""
    return keyed("fix.send_inside", field=_trigger(s).split(".")[1], value=value)


def runnable_problems(spec: JobSpec, *, now: datetime | None = None) -> list[ErrorItem]:
    """Why ``spec`` could never do its work (empty when it can)."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    problems = _schedule_problems(spec.schedule, now) if spec.schedule else []
    if problems:
        return problems
    if spec.workflow == "campaign" or "campaign" in spec.inputs.model_dump():
        problems = _campaign_problems(spec, now)
    return problems
