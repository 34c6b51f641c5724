"""Time expressions: each is read right, or read and said as an assumption (issue 18.2)."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from backend.ai.planner import plan_offline
from backend.ai.planner_schedule import parse_schedule
from backend.ai.planner_words import describe_schedule
from backend.core.errors import InvalidInput
from tests.ai.planner_eval.scoring import load

NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)  # Monday 10:00 WIB, the writers' clock


@pytest.mark.parametrize(
    ("text", "want", "exact"),
    [
        # exact readings
        ("tiap hari jam 7 malam", {"cron": "0 19 * * *"}, True),
        ("every night at 11", {"cron": "0 23 * * *"}, True),
        ("at midnight every night", {"cron": "0 0 * * *"}, True),
        ("tiap malam jam 12", {"cron": "0 0 * * *"}, True),
        ("tengah malam setiap hari", {"cron": "0 0 * * *"}, True),
        ("Every morning at 7", {"cron": "0 7 * * *"}, True),
        ("tiap jam 7an tiap hari", {"cron": "0 7 * * *"}, True),
        ("tiap hari jam 9 pagi dan jam 9 malam", {"cron": "0 9,21 * * *"}, True),
        ("every weekday at 9am", {"cron": "0 9 * * 1-5"}, True),
        ("tiap Minggu jam 1 pagi", {"cron": "0 1 * * 0"}, True),
        ("Tiap tanggal 1 (Jan, Apr, Jul, Okt) jam 9 pagi", {"cron": "0 9 1 1,4,7,10 *"}, True),
        ("setiap hari kecuali Minggu jam 8", {"cron": "0 8 * * 1,2,3,4,5,6"}, True),
        ("tiap 3 hari sekali", {"interval_sec": 259200}, True),
        ("per 2 jam", {"interval_sec": 7200}, True),
        ("tiap setengah jam", {"interval_sec": 1800}, True),
        ("besok jam 10 pagi", {"at": "2026-12-08T10:00:00+07:00"}, True),
        ("lusa jam 10 pagi", {"at": "2026-12-09T10:00:00+07:00"}, True),
        ("minggu depan hari senin jam 10", {"at": "2026-12-14T10:00:00+07:00"}, True),
        ("hari ini jam 3 sore", {"at": "2026-12-07T15:00:00+07:00"}, True),
        ("tanggal 24 November jam 9 pagi", {"at": "2027-11-24T09:00:00+07:00"}, True),
        ("end of month, 6pm", {"at": "2026-12-31T18:00:00+07:00"}, True),
        ("kirim 2 jam lagi", {"at": "2026-12-07T12:00:00+07:00"}, True),
        ("besok jam setengah 8 malam", {"at": "2026-12-08T19:30:00+07:00"}, True),
        ("tiap hari jam 9 & jam 4 sore", {"cron": "0 9,16 * * *"}, True),
        ("dua kali sehari jam 9 dan jam 9 malam", {"cron": "0 9,21 * * *"}, True),
        ("interval 1 menit", {"interval_sec": 60}, True),
        ("twice an hour", {"interval_sec": 1800}, True),
        ("3 hari lagi jam 10 pagi", {"at": "2026-12-10T10:00:00+07:00"}, True),
        ("in 2 days at 9pm", {"at": "2026-12-09T21:00:00+07:00"}, True),
        ("setiap 2 minggu sekali hari Senin jam 8 pagi",
         {"interval_sec": 1209600, "start_at": "2026-12-14T08:00:00+07:00"}, True),
        ("last day of every month at 5pm", {"cron": "0 17 L * *"}, False),
        # a day of the month without "monthly" is that one day; with it, every month
        ("email our resellers on the 20th at 9am", {"at": "2026-12-20T09:00:00+07:00"}, True),
        ("monthly on the 20th at 9am", {"cron": "0 9 20 * *"}, True),
        ("this month's totals on the last day of the month at 4pm",
         {"at": "2026-12-31T16:00:00+07:00"}, True),
        # a weekday beside its date, a weekday of next week, a time before another
        ("this Saturday the 12th at 8pm", {"at": "2026-12-12T20:00:00+07:00"}, True),
        ("next Wednesday the 9th at 10am", {"at": "2026-12-09T10:00:00+07:00"}, True),
        ("Thursday next week at 3pm", {"at": "2026-12-17T15:00:00+07:00"}, True),
        ("promo mulai lusa jam 8 malam, kirim 30 menit sebelumnya",
         {"at": "2026-12-09T19:30:00+07:00"}, True),
        # English clock words, lists and dates
        ("tomorrow at quarter to 8 pm", {"at": "2026-12-08T19:45:00+07:00"}, True),
        ("every day at quarter past 9pm", {"cron": "15 21 * * *"}, True),
        ("on the 1st and 15th at 9am", {"cron": "0 9 1,15 * *"}, True),
        ("each quarter on the 1st at 9am", {"cron": "0 9 1 1,4,7,10 *"}, True),
        ("Mon/Wed/Fri at 9am", {"cron": "0 9 * * 1,3,5"}, True),
        ("daily @ 7pm", {"cron": "0 19 * * *"}, True),
        ("fortnightly on Mondays at 9am",
         {"interval_sec": 1209600, "start_at": "2026-12-14T09:00:00+07:00"}, True),
        ("on 12/20 at 7pm", {"at": "2026-12-20T19:00:00+07:00"}, True),
        # chat Indonesian: the count after the period, a date with its time, days left out
        ("25/12 jam 7 malam", {"at": "2026-12-25T19:00:00+07:00"}, True),
        ("tiap sejam sekali", {"interval_sec": 3600}, True),
        ("tiap stgh jam", {"interval_sec": 1800}, True),
        ("tiap hari kecuali sabtu minggu jam 9 pagi", {"cron": "0 9 * * 1,2,3,4,5"}, True),
        # vague readings: a choice is made and said
        ("tiap pagi", {"cron": "0 7 * * *"}, False),
        ("tiap malam", {"cron": "0 20 * * *"}, False),
        ("tiap weekend", {"cron": "0 9 * * 0,6"}, False),
        ("tiap awal bulan", {"cron": "0 9 1 * *"}, False),
        ("weekly", {"cron": "0 9 * * 1"}, False),
        ("besok pagi", {"at": "2026-12-08T07:00:00+07:00"}, False),
        ("this weekend", {"at": "2026-12-12T09:00:00+07:00"}, False),
        ("2x sehari", {"interval_sec": 43200}, False),
        ("tiap malam minggu", {"cron": "0 20 * * 6"}, False),
        ("tiap malam Jumat jam 8", {"cron": "0 20 * * 4"}, True),
        ("tiap pertengahan bulan", {"cron": "0 9 15 * *"}, False),
        ("tiap dini hari", {"cron": "0 2 * * *"}, False),
        ("besok abis isya", {"at": "2026-12-08T19:30:00+07:00"}, False),
        ("send it EOD today", {"at": "2026-12-07T17:00:00+07:00"}, False),
        ("at lunchtime tomorrow", {"at": "2026-12-08T12:00:00+07:00"}, False),
        ("twice weekly", {"cron": "0 9 * * 1,4"}, False),
        ("seminggu 2x", {"cron": "0 9 * * 1,4"}, False),
        ("akhir minggu ini", {"at": "2026-12-12T09:00:00+07:00"}, False),
        ("every Monday first thing", {"cron": "0 7 * * 1"}, False),
        ("biweekly", {"interval_sec": 1209600, "start_at": "2026-12-14T09:00:00+07:00"}, False),
        # counts and windows that are not send times
        ("lebih dari 20 mention negatif dalam 1 jam", None, None),
        ("customers who haven't ordered in 90 days", None, None),
    ],
)
def test_time_expressions(text, want, exact):
    found = parse_schedule(text, now=NOW)
    if want is None:
        assert found is None, found
        return
    assert found is not None
    for key, value in want.items():
        assert found.schedule[key] == value, found.schedule
    assert found.exact is exact
    if not exact:
        assert found.notes, "a vague time must come with what was assumed"


def test_a_watch_asked_to_know_within_minutes_checks_that_often():
    found = parse_schedule("I want to know within 10 minutes when a rival changes prices",
                           now=NOW, recurring_default=True)  # fmt: skip
    assert found is not None and found.schedule["interval_sec"] == 600 and found.notes
    window = parse_schedule("alert if over 30 complaints within 1 hour", now=NOW,
                            recurring_default=True)  # fmt: skip
    assert window is None  # an alert's window, not how often to look
    stars = parse_schedule("flag any 1 or 2 star review within 30 minutes", now=NOW,
                           recurring_default=True)  # fmt: skip
    assert stars is not None and stars.schedule["interval_sec"] == 1800  # a rating, no count


def test_a_bare_hour_is_read_as_morning_and_said():
    found = parse_schedule("laporan harian jam 7", now=NOW, recurring_default=True)
    assert found is not None and found.schedule["cron"] == "0 7 * * *"
    assert any("07:00" in note[0] and "19:00" in note[0] for note in found.notes)


@pytest.mark.parametrize(
    "prompt",
    ["Kirim laporan penjualan tiap pagi ke email a@b.id", "pantau harga kompetitor tiap malam",
     "Send our VIP customers a thank-you email sometime this weekend",
     "Kirim ucapan terima kasih ke semua pembeli lewat email di akhir bulan",
     "laporan P&L tiap awal bulan pls", "laporan harian jam 7 ke a@b.id"],
)
def test_vague_times_become_schedule_assumptions_and_three_runs_in_words(prompt):
    result = plan_offline(prompt, now=NOW)
    assert "schedule" in {a.field for a in result.assumptions}
    assert 1 <= len(result.next_fires_text) <= 3
    assert all("WIB" in text for text in result.next_fires_text)


def test_schedules_in_words_both_languages():
    assert describe_schedule({"cron": "0 7 * * 1-5"}, lang="id") == (
        "setiap hari kerja (Senin–Jumat) pukul 07:00")
    assert describe_schedule({"interval_sec": 300}, lang="en") == "every 5 minutes"
    assert describe_schedule({"at": "2026-12-25T08:00:00+07:00"}, lang="id") == (
        "sekali, Jumat, 25 Desember 2026 pukul 08:00 WIB")
    assert "Run" in describe_schedule(None, lang="en")


def test_random_prompts_never_crash_the_planner():
    words = [w for case in load("dev.jsonl") for w in case["prompt"].split()]
    odd = ["jam 99", "tanggal 31 Februari", "tiap 0 menit", "every 99999999 days", "30/2",
           "diskon 150%", "😀", "'", "#", "@", "in 99999 hours", "tiap tanggal 31"]
    rng = random.Random(18)
    for _ in range(300):
        prompt = " ".join(rng.choice(words + odd) for _ in range(rng.randint(1, 20)))
        try:
            plan_offline(prompt, now=NOW)
        except InvalidInput:
            pass  # a refusal or an impossible value, said with its path: never a crash


def test_next_fires_in_words_follow_the_schedule_zone_and_language():
    from datetime import UTC, datetime

    from backend.ai.planner_words import next_fires_in_words
    from backend.domain.spec import Schedule

    daily = Schedule.model_validate({"cron": "0 7 * * *", "timezone": "Asia/Makassar"})
    after = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)  # 11:00 WITA: today's 07:00 has passed
    assert next_fires_in_words(daily, lang="id", after=after) == [
        "Selasa, 8 Desember 2026 pukul 07:00 WITA", "Rabu, 9 Desember 2026 pukul 07:00 WITA",
        "Kamis, 10 Desember 2026 pukul 07:00 WITA"]  # fmt: skip
    assert next_fires_in_words(daily, lang="en", after=after, count=1) == [
        "Tuesday 8 December 2026 at 07:00 WITA"]
    assert next_fires_in_words(None, lang="en", after=after) == []
