"""A run's error, a step's and the platform errors in its log lines read as words in the
reader's language; the raw text (a platform's words, an exception) stays beside them."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from backend.core.failures import failure_text, log_text
from backend.core.messages import message


@pytest.mark.parametrize(("error", "error_type", "indonesian", "english"), [
    ("shopee: ConnectError: [Errno 111] Connection refused", "TransientError",
     "shopee: platform tidak bisa dihubungi", "shopee: the platform could not be reached"),
    ("lazada: IllegalAccessToken: the token is invalid", "AuthFailed",
     "lazada: kredensial akun ditolak; periksa akunnya di Pengaturan → Konektor",
     "lazada: the account's credentials were refused; check the account under Settings → "
     "Connectors"),
    ("tokopedia: HTTP 502 from the gateway", "TransientError",
     "tokopedia: platform sedang bermasalah (HTTP 502)",
     "tokopedia: the platform is having trouble (HTTP 502)"),
    ("shopee: too many requests", "RateLimited",
     "shopee: terlalu banyak panggilan; platform meminta menunggu",
     "shopee: too many calls; the platform asked to wait"),
    ("timed out after 600000 ms in step 'fetch'", "Timeout",
     "waktu habis setelah 600 detik", "timed out after 600 s"),
    ("cancelled by user", "Cancelled", "dibatalkan oleh pengguna", "cancelled by a user"),
    ("KeyError: 'price'", "KeyError",
     "galat tak terduga di dalam program", "an unexpected error in the program"),
])  # fmt: skip
def test_errors_read_as_words(error: str, error_type: str, indonesian: str,
                              english: str) -> None:  # fmt: skip
    assert failure_text(error, lang="id", error_type=error_type) == indonesian
    assert failure_text(error, lang="en", error_type=error_type) == english


def test_a_step_error_without_its_class_is_read_from_its_text() -> None:
    # Step errors and log parameters keep the class in front ("AuthFailed: shopee: ...").
    assert failure_text("AuthFailed: shopee: partner key refused", lang="id").startswith(
        "shopee: kredensial akun ditolak")
    assert failure_text(None, lang="id") == "" and failure_text("", lang="en") == ""


def test_a_log_line_words_its_error_and_keeps_the_raw_text() -> None:
    stored = message("log.platform_error", platform="shopee",
                     error="TransientError: shopee: HTTP 503 Service Unavailable")
    text, detail = log_text(stored, lang="id")
    assert text == "shopee: platform sedang bermasalah (HTTP 503)"  # the platform once
    assert detail == "TransientError: shopee: HTTP 503 Service Unavailable"
    sent = message("log.delivery_failed", channel="email", to="ceo@company.com",
                   error="Rejected: email: 550 mailbox unavailable")
    assert log_text(sent, lang="id")[0] == (
        "email ke ceo@company.com gagal: email: platform menolak isi permintaan")
    # A line without an error is as before; an unkeyed error line (a traceback) is worded.
    assert log_text(message("progress.done"), lang="id") == ("selesai", "")
    text, detail = log_text("ValueError: bad\nTraceback (most recent call last): …",
                            lang="id", level="error")
    assert text == "galat tak terduga di dalam program" and detail.startswith("ValueError")


def test_the_run_page_shows_the_words_first_and_the_raw_text_second() -> None:
    from spio_ui.pages.run_detail_state import run_view

    moment = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
    run = SimpleNamespace(
        id=7, job_id="prices", workflow="price_intelligence", status="failed",
        outcome=None, outcome_reason=None, progress=0.4, progress_message="", trigger="manual",
        attempt=3, max_attempts=3, started_at=moment, finished_at=moment, result=None,
        error="shopee: ConnectError: [Errno 111] Connection refused",
        error_type="TransientError")
    step = SimpleNamespace(name="fetch", status="failed", attempts=3, started_at=moment,
                           finished_at=moment,
                           error="TransientError: shopee: ConnectError: refused")
    detail = SimpleNamespace(run=run, steps=[step], logs=[], artifacts=[])
    view = run_view(detail, lang="id")
    assert view["error"] == "shopee: platform tidak bisa dihubungi"
    assert view["error_detail"] == run.error
    assert view["steps"][0]["error"] == "shopee: platform tidak bisa dihubungi"
    assert view["steps"][0]["detail"] == step.error
    assert run_view(detail, lang="en")["error"] == "shopee: the platform could not be reached"


def test_files_and_platforms_are_named_as_people_know_them() -> None:
    from spio_ui.pages.run_detail_state import file_kind
    from spio_ui.pages.settings_connectors import _platform_word

    assert [file_kind(t) for t in (
        "application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "text/csv", "application/json", "image/webp", None)] == [
        "pdf", "excel", "csv", "json", "image", "other"]
    assert _platform_word("google_analytics", "id") == "Google Analytics"
    assert _platform_word("fx", "id") == "Kurs mata uang"
    assert _platform_word("fx", "en") == "Exchange rates"
    assert _platform_word("tiktok_shop", "en") == "TikTok Shop"


def test_a_dry_run_that_failed_words_its_error_and_keeps_the_raw_text() -> None:
    from spio_ui.pages.automation_dry_run import dry_run_view

    step = SimpleNamespace(name="fetch", status="failed", attempts=1, duration_sec=1.5,
                           error="AuthFailed: shopee: partner key refused")
    result = SimpleNamespace(run_id=9, status="failed", progress=0.3, message="",
                             duration_sec=2.0, error="shopee: partner key refused",
                             steps=[step], outputs=None, artifacts=[])
    view = dry_run_view(result, lang="id")
    assert view["dry_error"] == "shopee: terjadi galat"  # no class known: only "where"
    assert view["dry_error_detail"] == "shopee: partner key refused"
    assert view["dry_steps"][0]["error"].startswith("shopee: kredensial akun ditolak")
    assert view["dry_steps"][0]["detail"] == step.error
