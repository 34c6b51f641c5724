"""Texts runs write for users (progress, log lines) are keys + parameters, shown in the
reader's language with that locale's numbers; every key the code writes exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from backend.core.message_catalog import MESSAGES
from backend.core.messages import message, message_texts, render_message

ROOT = Path(__file__).resolve().parents[2]


def test_a_progress_text_follows_the_reader() -> None:
    stored = message("progress.catalog_images", imaged=391, total=1000, listed=2500,
                     items=10000)  # fmt: skip
    assert render_message(stored, "id") == "gambar 391/1.000 produk, 2.500/10.000 listing"
    assert render_message(stored, "en") == (
        "images of 391/1,000 products, 2,500/10,000 listings")
    assert message_texts(message("progress.done")) == {"id": "selesai", "en": "done"}


def test_plain_text_and_nothing_show_as_they_are() -> None:
    assert render_message("HTTP 503 from shopee", "id") == "HTTP 503 from shopee"
    assert render_message(None, "en") == "" and render_message("", "id") == ""
    assert render_message('{"key": "no.such", "params": {}}', "en") == "no.such"


def test_mappings_and_reasons_render_in_the_language() -> None:
    stored = message("log.campaign_planned", planned=1200, customers=1500,
                     by_channel={"whatsapp": 1000, "email": 200}, skipped=300)  # fmt: skip
    assert render_message(stored, "id") == (
        "1.200 dari 1.500 pelanggan mendapat pesan (whatsapp 1.000, email 200); "
        "tidak disertakan: 300")
    # The reasons of a run that did nothing are messages too.
    reason = message("campaign_none_sent", planned=5, failed=5)
    assert render_message(reason, "en") == "0 of 5 messages sent (5 failed)"


def test_an_unknown_key_is_refused_when_written() -> None:
    with pytest.raises(KeyError):
        message("progress.no_such_thing")


def test_both_languages_have_the_same_fields() -> None:
    for key, (indonesian, english) in MESSAGES.items():
        fields = [set(re.findall(r"\{(\w+)", text)) for text in (indonesian, english)]
        assert fields[0] == fields[1], key
        assert indonesian.strip() and english.strip(), key


def test_every_key_the_code_writes_exists() -> None:
    written = set()
    pattern = re.compile(r"""\bmessage\(\s*["']([a-z_]+\.[a-z_.]+)["']""")
    for path in (ROOT / "backend").rglob("*.py"):
        written.update(pattern.findall(path.read_text()))
    assert len(written) > 25  # progress texts and log lines of every workflow
    assert sorted(written - MESSAGES.keys()) == []


def test_errors_shown_in_the_ui_speak_the_readers_language() -> None:
    from backend.core.errors import Conflict, NotFound, Unavailable
    from backend.core.messages import error_text

    exists = Conflict("job 'x' already exists (use PUT to replace it)", key="error.job_exists",
                      params={"job": "x"})  # fmt: skip
    assert error_text(exists, "id").startswith("Job x sudah ada.")
    assert "PUT" not in error_text(exists, "en") and "already exists" in error_text(exists, "en")
    assert error_text(NotFound("no artifact 7"), "id") == "Tidak ditemukan."
    assert error_text(Unavailable("database unavailable: X"), "en").startswith("The database")
    assert error_text(RuntimeError("boom"), "id").startswith("Terjadi galat tak terduga")


def test_field_problems_are_worded_in_the_readers_language() -> None:
    from backend.core.errors import InvalidInput
    from backend.jobs.validation import parse_spec
    from spio_ui.components.errors import error_rows

    spec = {"job_id": "x", "type": "price_monitor", "retry_policy": {"max_retry": -1}}
    with pytest.raises(InvalidInput) as caught:
        parse_spec(spec)
    rows = {lang: {r["path"]: r["message"] for r in error_rows(caught.value, lang=lang)}
            for lang in ("id", "en")}  # fmt: skip
    assert rows["id"]["retry_policy.max_retry"] == "minimal 0"
    assert rows["en"]["retry_policy.max_retry"] == "must be at least 0"
    # The API keeps pydantic's own English.
    assert "greater than or equal to 0" in caught.value.body()["errors"][0]["message"]
