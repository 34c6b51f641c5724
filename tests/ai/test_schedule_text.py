"""Schedules said in words and typed in words: the cron describer in both languages, and
the words it writes read back by the planner's reader as the same schedule."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from backend.ai.planner_words import describe_schedule
from backend.ai.schedule_text import read_schedule_text, schedule_field_text

NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)

SAID = [
    ({"cron": "*/10 * * * *"}, "setiap 10 menit", "every 10 minutes"),
    ({"cron": "0 */2 * * *"}, "setiap 2 jam", "every 2 hours"),
    ({"cron": "15 * * * *"}, "setiap jam pada menit ke-15", "every hour at minute 15"),
    ({"cron": "0 7 * * *"}, "setiap hari pukul 07:00", "every day at 07:00"),
    ({"cron": "0 9 * * 1-5"}, "setiap hari kerja (Senin–Jumat) pukul 09:00",
     "every weekday (Monday–Friday) at 09:00"),
    ({"cron": "30 8 * * 1,3"}, "setiap Senin, Rabu pukul 08:30",
     "every Monday, Wednesday at 08:30"),
    ({"cron": "0 10 * * 6-7"}, "setiap Sabtu, Minggu pukul 10:00",
     "every Saturday, Sunday at 10:00"),
    ({"cron": "0 9 1 * *"}, "setiap tanggal 1 pukul 09:00", "on day 1 of every month at 09:00"),
    ({"cron": "0 9 L * *"}, "setiap akhir bulan pukul 09:00",
     "at the end of every month at 09:00"),
    ({"cron": "0 9 24 11 *"}, "setiap tahun tanggal 24 November pukul 09:00",
     "every year on 24 November at 09:00"),
    ({"interval_sec": 300}, "setiap 5 menit", "every 5 minutes"),
    ({"interval_sec": 3600}, "setiap jam", "every hour"),
    ({"cron": "5 4 * * sun"}, "jadwal cron '5 4 * * sun'", "cron schedule '5 4 * * sun'"),
]  # fmt: skip


@pytest.mark.parametrize(("schedule", "id_", "en"), SAID)
def test_each_schedule_in_words_in_both_languages(schedule, id_, en) -> None:
    assert describe_schedule(schedule, lang="id") == id_
    assert describe_schedule(schedule, lang="en") == en


@pytest.mark.parametrize("cron", ["0 7 * * *", "0 9 * * 1-5", "0 9 1 * *", "0 9 L * *",
                                  "0 9 24 11 *", "30 8 * * 1,3", "0 7,19 * * *"])
def test_the_words_read_back_as_the_same_schedule(cron) -> None:
    schedule = {"cron": cron, "timezone": "Asia/Jakarta"}
    for lang in ("id", "en"):
        words = schedule_field_text(schedule, lang=lang, now=NOW)
        assert not words.startswith("cron:"), words
        assert read_schedule_text(words, current=schedule, now=NOW).schedule == schedule


def test_typed_words_keep_the_jobs_zone_and_expert_forms_still_work() -> None:
    current = {"cron": "0 6 * * *", "timezone": "Asia/Makassar", "jitter_sec": 30}
    read = read_schedule_text("every monday 9am", current=current, now=NOW)
    assert read.schedule == {"cron": "0 9 * * 1", "timezone": "Asia/Makassar", "jitter_sec": 30}
    read = read_schedule_text("setiap hari jam 7 WIB", current=current, now=NOW)
    assert read.schedule is not None and read.schedule["timezone"] == "Asia/Jakarta"
    assert read_schedule_text("interval_sec: 90", current=None, now=NOW).schedule == {
        "interval_sec": 90}
    assert read_schedule_text("0 6 * * *", current=None, now=NOW).schedule == {"cron": "0 6 * * *"}
    bad = read_schedule_text("sesuka hati", current=current, now=NOW)
    assert bad.schedule is None and "tidak dipahami" in bad.message("id")
    assert "not understood" in bad.message("en")
