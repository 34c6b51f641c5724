"""What the spec validator refuses is said in the reader's language in the editor (and
in the API for a caller whose Accept-Language asks for Indonesian); the API's default
English and its suggestions stay as they were."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from backend.core.errors import InvalidInput
from backend.jobs.validation import parse_spec
from spio_ui.components.errors import error_rows

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 12, 7, 5, 0, tzinfo=UTC)


def _refused(spec: dict[str, object]) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        parse_spec(spec, now=NOW)
    return caught.value


def _rows(exc: InvalidInput, lang: str) -> dict[str, str]:
    return {r["path"]: r["message"] for r in error_rows(exc, lang=lang)}


@pytest.mark.parametrize(("cron", "indonesian", "english"), [
    ("0 25 * * *", "jam harus 0-23, bukan 25 di '25'", "hour must be 0-23, got 25 in '25'"),
    ("setiap 10 menit", "cron perlu 5 bagian (menit jam tanggal bulan hari), ada 3",
     "cron needs 5 fields (minute hour day-of-month month day-of-week), got 3"),
    ("0 0 9 * * *", "bagian detik tidak didukung", "(a seconds field is not supported)"),
    ("*/0 * * * *", "bagian menit '*/0' punya langkah 0", "minute field '*/0' has a step of 0"),
    ("0 9 * foo *", "bagian bulan 'foo' bukan angka atau nama yang dikenal",
     "month field 'foo' is not a number or a known name"),
    ("0 9 * * 5-1", "rentang hari '5-1' terbalik", "day-of-week range '5-1' runs backwards"),
])  # fmt: skip
def test_a_cron_mistake_reads_in_both_languages(cron: str, indonesian: str,
                                                english: str) -> None:  # fmt: skip
    exc = _refused({"job_id": "x", "workflow": "noop", "schedule": {"cron": cron}})
    assert indonesian in _rows(exc, "id")["schedule.cron"]
    assert english in _rows(exc, "en")["schedule.cron"]
    item = exc.body()["errors"][0]
    assert english in item["message"] and item["code"].startswith("cron.")


def test_the_suggestion_stays_beside_the_words() -> None:
    spec = {"job_id": "bf", "workflow": "noop", "schedule": {"cron": "0 9 * * 11-24"}}
    exc = _refused(spec)
    row = error_rows(exc, lang="id")[0]
    assert row["message"] == "hari harus 0-7, bukan 11 di '11-24'"
    assert row["suggestion"] == "0 9 24 11 *"
    # The API's English keeps its "did you mean" as before.
    assert exc.body()["errors"][0]["message"].endswith("did you mean '0 9 24 11 *'?")


def test_a_schedule_given_as_trigger_keeps_its_words() -> None:
    exc = _refused({"job_id": "x", "workflow": "noop", "trigger": {"cron": "0 24 * * *"}})
    assert _rows(exc, "id")["trigger.cron"].startswith("jam harus 0-23")


@pytest.mark.parametrize(("spec", "path", "indonesian"), [
    ({"schedule": {"interval_sec": 60, "timezone": "Mars/Base"}}, "schedule.timezone",
     "zona waktu 'Mars/Base' tidak dikenal"),
    ({"schedule": {"interval_sec": 60, "cron": "0 9 * * *"}}, "schedule",
     "isi tepat satu dari interval_sec, cron atau at (terisi: interval_sec, cron)"),
    ({"retry_policy": {"backoff_sec": [-1]}}, "retry_policy.backoff_sec",
     "setiap jeda ulang harus antara 0 dan 604800 detik"),
    ({"workflow": "nope"}, "workflow", "alur kerja 'nope' tidak dikenal"),
    ({"trigger": {"event": "order.shipped"}}, "trigger.event", "peristiwa 'order.shipped'"),
    ({"trigger": {"event": "order.paid", "threshold": 3}}, "trigger",
     "threshold hanya berlaku untuk stock.low, bukan untuk order.paid"),
    ({"trigger": {"event": "webhook", "platforms": ["shopee"]}}, "trigger",
     "platforms tidak berlaku untuk webhook"),
    ({"inputs": {"language": "fr"}}, "inputs.language",
     "bahasa harus 'id' (Indonesia) atau 'en' (Inggris), bukan 'fr'"),
    ({"type": "no.such"}, "type", "tipe 'no.such' tidak dikenal"),
    ({"schedule": {"at": "2026-12-01T09:00:00+07:00"}}, "schedule.at",
     "schedule.at 2026-12-01T09:00:00+07:00 sudah lewat"),
])  # fmt: skip
def test_spec_problems_read_in_indonesian(spec: dict[str, object], path: str,
                                          indonesian: str) -> None:  # fmt: skip
    base: dict[str, object] = {"job_id": "x", "workflow": "noop"}
    if "type" in spec:
        base.pop("workflow")
    exc = _refused({**base, **spec})
    assert indonesian in _rows(exc, "id")[path]


def test_a_campaign_sent_outside_its_window_is_explained_with_its_fixes() -> None:
    spec = {"job_id": "bf", "workflow": "campaign", "schedule": {"cron": "0 9 * * *"},
            "inputs": {"campaign": {"start_date": "2027-01-10T00:00:00+07:00",
                                    "end_date": "2027-01-12T23:59:59+07:00"}}}  # fmt: skip
    exc = _refused({**spec, "schedule": {"at": "2027-01-20T09:00:00+07:00"}})
    english = {e["path"]: e["message"] for e in exc.body()["errors"]}
    assert english["schedule.at"] == (
        "schedule.at 2027-01-20T09:00:00+07:00 is outside the campaign window "
        "inputs.campaign.start_date..end_date (2027-01-10T00:00:00+07:00 – "
        "2027-01-12T23:59:59+07:00): the run would send nothing; send inside the window "
        "instead, e.g. at '2027-01-10T09:00:00+07:00'")
    assert english["inputs.campaign.end_date"].endswith(
        "; or end the window after the send: 2027-01-20T23:59:59+07:00")
    shown = _rows(exc, "id")
    assert shown["schedule.at"].startswith("schedule.at 2027-01-20T09:00:00+07:00 berada di "
                                           "luar periode kampanye")
    assert shown["schedule.at"].endswith("kirim di dalam periode saja, mis. at "
                                         "'2027-01-10T09:00:00+07:00'")
    assert shown["inputs.campaign.end_date"].endswith(
        "atau akhiri periode sesudah pengiriman: 2027-01-20T23:59:59+07:00")


# ("run" is a loan word the Indonesian UI uses too: "Run hari ini".)
_ENGLISH = re.compile(r"\b(must|the|is|not|field|got|never|give|each|unknown|applies|"
                      r"window|send|after|before|fires|or|of|a)\b")


def test_no_english_word_in_the_indonesian_problems() -> None:
    from backend.core.problem_catalog import PROBLEMS
    from backend.domain.problems import SPEC_PROBLEMS

    for key, (indonesian, _) in {**SPEC_PROBLEMS, **PROBLEMS}.items():
        # Field names (schedule.at, interval_sec) are the spec's own words: leave them out.
        words = re.sub(r"[\w.]*[._][\w.]*|'[^']*'|\"[^\"]*\"|\{\w+\}", " ", indonesian)
        assert not _ENGLISH.search(words), (key, indonesian)


def test_every_problem_key_is_raised_somewhere() -> None:
    from backend.core.problem_catalog import PROBLEMS
    from backend.domain.problems import SPEC_PROBLEMS

    code = "\n".join(p.read_text() for p in (ROOT / "backend").rglob("*.py"))
    for key in {**SPEC_PROBLEMS, **PROBLEMS}:
        if key.startswith("word."):
            continue
        assert f'"{key}"' in code.replace(f'"{key}": (', ""), key


def test_the_api_speaks_indonesian_when_asked(api) -> None:  # type: ignore[no-untyped-def]
    spec = {"job_id": "al", "workflow": "noop", "schedule": {"cron": "0 25 * * *"}}
    english = api.post("/jobs", json=spec).json()
    assert english["errors"][0]["message"] == "hour must be 0-23, got 25 in '25'"
    indonesian = api.post("/jobs", json=spec,
                          headers={"Accept-Language": "id-ID,id;q=0.9,en;q=0.8"}).json()
    assert indonesian["errors"][0]["message"] == "jam harus 0-23, bukan 25 di '25'"
    assert indonesian["errors"][0]["code"] == english["errors"][0]["code"] == "cron.out_of_range"
    assert indonesian["message"] == "schedule.cron: jam harus 0-23, bukan 25 di '25'"
    preferring_english = api.post("/jobs", json=spec,
                                  headers={"Accept-Language": "en-US,en;q=0.9,id;q=0.5"})
    assert preferring_english.json()["errors"][0]["message"].startswith("hour must")


def test_a_refusal_shown_as_one_sentence_speaks_the_readers_language() -> None:
    from backend.core.messages import error_text

    exc = _refused({"job_id": "x", "workflow": "noop", "schedule": {"cron": "0 25 * * *"}})
    assert error_text(exc, "id") == (
        "Isian belum benar: schedule.cron: jam harus 0-23, bukan 25 di '25'")


def test_a_bad_query_is_refused_in_the_callers_language(api) -> None:  # type: ignore[no-untyped-def]
    english = api.get("/jobs", params={"limit": "many"}).json()["errors"][0]
    indonesian = api.get("/jobs", params={"limit": "many"},
                         headers={"Accept-Language": "id"}).json()["errors"][0]
    assert english["path"] == indonesian["path"] == "limit"
    assert "integer" in english["message"]
    assert indonesian["message"] == "harus berupa bilangan bulat"


def test_values_nothing_could_store_are_named_in_the_readers_language() -> None:
    exc = _refused({"job_id": "x", "workflow": "noop",
                    "inputs": {"note": "a\x00b", "ratio": float("inf")}})
    shown = _rows(exc, "id")
    assert shown["inputs.note"] == "tidak boleh berisi karakter NUL"
    assert shown["inputs.ratio"] == "harus angka terhingga"
    assert {e["message"] for e in exc.body()["errors"]} == {
        "must not contain NUL characters", "must be a finite number"}
