"""Pure next-run maths: no clock, no database. Every function takes the moment it reasons
about, so tests can ask "what fires after 23:59:59 on the last day of February?".

All datetimes in and out are timezone-aware; results are in UTC.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from croniter import croniter

from backend.domain.spec import Schedule

__all__ = [
    "next_fire",
    "next_fire_times",
    "first_fire",
    "Catchup",
    "plan_catchup",
    "jitter_for",
]


def _aware(moment: datetime, tz: tzinfo) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def _bounds(schedule: Schedule) -> tuple[datetime | None, datetime | None]:
    tz = ZoneInfo(schedule.timezone)
    start = _aware(schedule.start_at, tz) if schedule.start_at else None
    end = _aware(schedule.end_at, tz) if schedule.end_at else None
    return start, end


def next_fire(
    schedule: Schedule, *, after: datetime, anchor: datetime | None = None
) -> datetime | None:
    """The first occurrence strictly after ``after``, or None when there is none.

    Interval schedules are anchored (``anchor``, else ``start_at``, else ``after``) so that
    occurrences stay on a fixed grid and do not drift with processing time.
    """
    tz = ZoneInfo(schedule.timezone)
    after = _aware(after, UTC)
    start, end = _bounds(schedule)
    if start and after < start:
        after = start - timedelta(microseconds=1)
    candidate: datetime | None
    if schedule.at is not None:
        at = _aware(schedule.at, tz)
        candidate = at if at > after else None
    elif schedule.interval_sec is not None:
        period = timedelta(seconds=schedule.interval_sec)
        base = anchor or start
        if base is None:
            candidate = after + period
        else:
            base = _aware(base, UTC)
            if base > after:
                candidate = base
            else:
                steps = math.floor((after - base) / period) + 1
                candidate = base + steps * period
    else:
        assert schedule.cron is not None
        local_after = after.astimezone(tz)
        candidate = croniter(schedule.cron, local_after).get_next(datetime)
    if candidate is None or (end and candidate > end):
        return None
    return candidate.astimezone(UTC)


def next_fire_times(schedule: Schedule, *, after: datetime, count: int) -> list[datetime]:
    """The next ``count`` occurrences after ``after`` (fewer when the schedule ends)."""
    out: list[datetime] = []
    anchor = first_fire(schedule, now=after) if schedule.interval_sec else None
    moment = after
    while len(out) < count:
        if anchor is not None and not out:
            nxt: datetime | None = anchor
        else:
            nxt = next_fire(schedule, after=moment, anchor=anchor)
        if nxt is None:
            break
        out.append(nxt)
        moment = nxt
    return out


def first_fire(schedule: Schedule, *, now: datetime) -> datetime | None:
    """When a newly created (or resumed) job first fires.

    Interval jobs fire at ``start_at`` or right away (on the next whole second, so that
    their grid is easy to read); cron and one-shot jobs at their next occurrence.
    """
    now = _aware(now, UTC)
    start, end = _bounds(schedule)
    if schedule.interval_sec is not None:
        if start and start > now:
            first = start
        else:
            first = now.replace(microsecond=0) + timedelta(seconds=1)
        return None if end and first > end else first.astimezone(UTC)
    return next_fire(schedule, after=now - timedelta(microseconds=1))


@dataclass(frozen=True, slots=True)
class Catchup:
    """What to do with an occurrence found due at ``now``."""

    fire: datetime | None  # the occurrence to run now (None: nothing to run)
    skipped: int  # occurrences passed over
    next_at: datetime | None  # the job's next occurrence after this one


def plan_catchup(
    schedule: Schedule, *, due: datetime, now: datetime, grace_sec: float
) -> Catchup:
    """Decide how a due occurrence is handled after the scheduler was away.

    On time (within ``grace_sec``): run it. Late: with ``missed="run_once"`` run the
    latest missed occurrence once; with ``"skip"`` run none. Either way the next
    occurrence is the first one after ``now``.
    """
    anchor = due if schedule.interval_sec is not None else None
    nxt = next_fire(schedule, after=due, anchor=anchor)
    if (now - due).total_seconds() <= grace_sec or nxt is None or nxt > now:
        return Catchup(fire=due, skipped=0, next_at=nxt)
    latest = due
    skipped = 0
    while nxt is not None and nxt <= now:
        latest = nxt
        skipped += 1
        nxt = next_fire(schedule, after=nxt, anchor=anchor)
        if skipped > 1_000_000:  # a pathological schedule must not hang the tick
            break
    if schedule.missed == "skip":
        return Catchup(fire=None, skipped=skipped + 1, next_at=nxt)
    return Catchup(fire=latest, skipped=skipped, next_at=nxt)


def jitter_for(*, job_id: str, occurrence: datetime, jitter_sec: float) -> float:
    """A stable pseudo-random delay: the same occurrence always gets the same jitter,
    so two schedulers agree and a retried dispatch does not move."""
    if jitter_sec <= 0:
        return 0.0
    digest = hashlib.blake2b(f"{job_id}|{occurrence.isoformat()}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big") / 2**64 * jitter_sec
