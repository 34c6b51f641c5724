"""What sellers read: Indonesian numbers, Rupiah, percentages, durations, Jakarta time."""

from __future__ import annotations

from datetime import UTC, datetime

from spio_ui.formatting import (
    format_bytes,
    format_clock,
    format_datetime,
    format_duration,
    format_number,
    format_percent,
    format_rupiah,
)


def test_rupiah_uses_dots_for_thousands() -> None:
    assert format_rupiah(1_500_000) == "Rp 1.500.000"
    assert format_rupiah(149_999.6) == "Rp 150.000"
    assert format_rupiah(-2_500) == "-Rp 2.500"
    assert format_rupiah(None) == "–"


def test_numbers_and_percent_use_comma_decimals() -> None:
    assert format_number(1234567.891, decimals=2) == "1.234.567,89"
    assert format_percent(0.985) == "98,5 %"
    assert format_percent(None) == "–"


def test_durations_in_both_languages() -> None:
    assert format_duration(0.25) == "250 ms"
    assert format_duration(12.34) == "12,3 dtk"
    assert format_duration(12.34, lang="en") == "12.3 s"
    assert format_duration(245) == "4 mnt 05 dtk"
    assert format_duration(3900, lang="en") == "1 h 05 min"


def test_times_are_shown_in_jakarta() -> None:
    assert format_datetime(datetime(2026, 11, 26, 17, 5, tzinfo=UTC)) == "27-11-2026 00:05 WIB"
    naive_utc = datetime(2026, 1, 1, 0, 0, 30)
    assert format_datetime(naive_utc, with_seconds=True) == "01-01-2026 07:00:30 WIB"


def test_bytes() -> None:
    assert format_bytes(512) == "512 B"
    assert format_bytes(1536) == "1,5 KB"
    assert format_bytes(5 * 1024 * 1024) == "5,0 MB"


def test_english_uses_english_marks_everywhere() -> None:
    assert format_rupiah(126_900, lang="en") == "Rp 126,900"
    assert format_rupiah(126_900) == "Rp 126.900"
    assert format_percent(1.0, lang="en") == "100.0%" and format_percent(1.0) == "100,0 %"
    assert format_percent(-0.258, lang="en", signed=True) == "\u221225.8%"
    assert format_percent(0.05, signed=True) == "+5,0 %"
    assert format_number(1234567.891, decimals=2, lang="en") == "1,234,567.89"
    assert format_bytes(1536, lang="en") == "1.5 KB"


def test_times_follow_the_jobs_zone() -> None:
    moment = datetime(2026, 11, 26, 17, 5, tzinfo=UTC)
    assert format_datetime(moment, tz="Asia/Makassar") == "27-11-2026 01:05 WITA"
    assert format_datetime(moment, tz="Asia/Jayapura") == "27-11-2026 02:05 WIT"
    assert format_datetime(moment, tz="Europe/Berlin") == "26-11-2026 18:05 UTC+01:00"
    assert format_datetime(moment, tz="Not/AZone") == "27-11-2026 00:05 WIB"
    assert format_clock(moment) == "00:05:00"
    assert format_clock(moment.timestamp(), tz="Asia/Makassar") == "01:05:00"


def test_one_set_of_rules_for_the_ui_and_the_services() -> None:
    from backend.services.price_review_text import money, percent

    assert money(126_900, lang="id") == format_rupiah(126_900) == "Rp 126.900"
    assert money(126_900, lang="en") == format_rupiah(126_900, lang="en") == "Rp 126,900"
    assert percent(-8.8, lang="id") == format_percent(-0.088, signed=True) == "\u22128,8 %"
    assert percent(-8.8, lang="en") == format_percent(-0.088, lang="en") == "\u22128.8%"
