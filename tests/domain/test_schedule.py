"""Pure next-run maths, without a clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from backend.domain.schedule import (
    first_fire,
    jitter_for,
    next_fire,
    next_fire_times,
    plan_catchup,
)
from backend.domain.spec import Schedule

T0 = datetime(2026, 11, 26, 10, 0, 0, tzinfo=UTC)


def test_cron_is_read_in_the_jobs_timezone():
    daily6 = Schedule(cron="0 6 * * *")  # Asia/Jakarta, UTC+7
    assert next_fire(daily6, after=T0) == datetime(2026, 11, 26, 23, 0, tzinfo=UTC)
    utc = Schedule(cron="0 6 * * *", timezone="UTC")
    assert next_fire(utc, after=T0) == datetime(2026, 11, 27, 6, 0, tzinfo=UTC)


def test_day_of_week_is_right_monday_is_1_and_sunday_0_or_7():
    monday8 = Schedule(cron="0 8 * * 1", timezone="UTC")
    fire = next_fire(monday8, after=T0)  # 2026-11-26 is a Thursday
    assert fire == datetime(2026, 11, 30, 8, 0, tzinfo=UTC) and fire.weekday() == 0
    sunday = Schedule(cron="0 8 * * 7", timezone="UTC")
    assert next_fire(sunday, after=T0).weekday() == 6


def test_interval_stays_on_its_grid():
    every5 = Schedule(interval_sec=300)
    late_after = T0 + timedelta(seconds=301.7)  # processing took a while
    assert next_fire(every5, after=late_after, anchor=T0) == T0 + timedelta(seconds=600)


def test_window_bounds_and_one_shot():
    window = Schedule(interval_sec=60, start_at=T0 + timedelta(hours=1),
                      end_at=T0 + timedelta(hours=1, minutes=2))
    fires = next_fire_times(window, after=T0, count=10)
    assert fires == [T0 + timedelta(hours=1, minutes=m) for m in (0, 1, 2)]
    once = Schedule(at=T0 + timedelta(minutes=5))
    assert next_fire_times(once, after=T0, count=3) == [T0 + timedelta(minutes=5)]
    assert next_fire(once, after=T0 + timedelta(minutes=6)) is None


def test_first_fire_of_an_interval_job_is_the_next_whole_second():
    assert first_fire(Schedule(interval_sec=30), now=T0 + timedelta(milliseconds=400)) == (
        T0 + timedelta(seconds=1))


def test_missed_run_once_runs_the_latest_missed_and_moves_on():
    hourly = Schedule(cron="0 * * * *", timezone="UTC")
    due = T0
    now = T0 + timedelta(hours=3, minutes=10)
    plan = plan_catchup(hourly, due=due, now=now, grace_sec=60)
    assert plan.fire == T0 + timedelta(hours=3)
    assert plan.next_at == T0 + timedelta(hours=4)
    assert plan.skipped == 3


def test_missed_skip_runs_nothing_and_on_time_runs_the_due_one():
    hourly_skip = Schedule(cron="0 * * * *", timezone="UTC", missed="skip")
    plan = plan_catchup(hourly_skip, due=T0, now=T0 + timedelta(hours=2, minutes=1), grace_sec=60)
    assert plan.fire is None and plan.next_at == T0 + timedelta(hours=3)
    on_time = plan_catchup(hourly_skip, due=T0, now=T0 + timedelta(seconds=2), grace_sec=60)
    assert on_time.fire == T0 and on_time.next_at == T0 + timedelta(hours=1)


def test_jitter_is_stable_per_occurrence_and_bounded():
    a = jitter_for(job_id="j", occurrence=T0, jitter_sec=30)
    assert a == jitter_for(job_id="j", occurrence=T0, jitter_sec=30)
    values = {jitter_for(job_id="j", occurrence=T0 + timedelta(minutes=i), jitter_sec=30)
              for i in range(50)}
    assert all(0 <= v < 30 for v in values) and len(values) > 40
