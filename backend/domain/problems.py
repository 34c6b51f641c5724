"""What is wrong with a job spec, as a message key and parameters, in both languages.

The spec's validators (cron, schedule, trigger) raise :func:`problem`: a pydantic error
whose text is the English sentence the API answers and whose context carries the key and
parameters, so the editor can say the same in the reader's language. The table is merged
into ``backend.core.message_catalog`` (this layer is below it and cannot import it).

A parameter may itself be a keyed message (``{"key": ..., "params": ...}``, see
:func:`word`): it is rendered in the same language, so "hour" reads "jam" in Indonesian.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

from pydantic_core import PydanticCustomError

__all__ = ["SPEC_PROBLEMS", "PROBLEM_TYPE", "problem", "english", "word"]

# The pydantic error type of every keyed problem (``backend.jobs.validation`` reads it).
PROBLEM_TYPE = "spio_problem"

# key: (Indonesian, English)
SPEC_PROBLEMS: dict[str, tuple[str, str]] = {
    # cron fields, named inside the sentences below
    "word.minute": ("menit", "minute"),
    "word.hour": ("jam", "hour"),
    "word.day-of-month": ("tanggal", "day-of-month"),
    "word.month": ("bulan", "month"),
    "word.day-of-week": ("hari", "day-of-week"),
    "cron.fields": (
        "cron perlu 5 bagian (menit jam tanggal bulan hari), ada {count}; atau tulis "
        "dengan kata, mis. \"setiap 10 menit\"",
        "cron needs 5 fields (minute hour day-of-month month day-of-week), got {count}",
    ),
    "cron.fields_seconds": (
        "cron perlu 5 bagian (menit jam tanggal bulan hari), ada {count}; bagian detik "
        "tidak didukung",
        "cron needs 5 fields (minute hour day-of-month month day-of-week), got {count} "
        "(a seconds field is not supported)",
    ),
    "cron.not_a_part": (
        "bagian {field} '{part}' bukan angka, rentang, daftar atau langkah",
        "{field} field '{part}' is not a number, range, list or step",
    ),
    "cron.zero_step": (
        "bagian {field} '{part}' punya langkah 0", "{field} field '{part}' has a step of 0"),
    "cron.not_a_name": (
        "bagian {field} '{part}' bukan angka atau nama yang dikenal",
        "{field} field '{part}' is not a number or a known name",
    ),
    "cron.out_of_range": (
        "{field} harus {low}-{high}, bukan {value} di '{part}'",
        "{field} must be {low}-{high}, got {value} in '{part}'",
    ),
    "cron.backwards": (
        "rentang {field} '{part}' terbalik (awal lebih besar dari akhir)",
        "{field} range '{part}' runs backwards",
    ),
    "cron.invalid": (
        "'{expr}' bukan ekspresi cron yang benar", "'{expr}' is not a valid cron expression"),
    # the schedule and the retry policy
    "spec.unknown_zone": (
        "zona waktu '{zone}' tidak dikenal (pakai nama IANA, mis. Asia/Jakarta)",
        "unknown time zone '{zone}' (use an IANA name)",
    ),
    "spec.one_trigger": (
        "isi tepat satu dari interval_sec, cron atau at",
        "give exactly one of interval_sec, cron or at",
    ),
    "spec.one_trigger_many": (
        "isi tepat satu dari interval_sec, cron atau at (terisi: {given})",
        "give exactly one of interval_sec, cron or at (got {given})",
    ),
    "spec.backoff_range": (
        "setiap jeda ulang harus antara 0 dan 604800 detik (7 hari)",
        "each backoff must be between 0 and 604800 seconds",
    ),
    "spec.unknown_workflow": (
        "alur kerja '{workflow}' tidak dikenal; yang dikenal: {known}",
        "unknown workflow '{workflow}'; known workflows: {known}",
    ),
    "spec.trigger_and_schedule": (
        "trigger berisi jadwal dan schedule juga diisi: pakai salah satu",
        "trigger holds a schedule and schedule is given too: keep one of them",
    ),
    "spec.language": (
        "bahasa harus 'id' (Indonesia) atau 'en' (Inggris), bukan '{value}'",
        "language must be 'id' (Indonesian) or 'en' (English), not '{value}'",
    ),
    # event triggers
    "trigger.unknown_event": (
        "peristiwa '{event}' tidak dikenal; yang dikenal: {known}",
        "unknown event '{event}'; known events: {known}",
    ),
    "trigger.filter_key": (
        "kunci filter '{key}' harus nama isian seperti 'status' atau 'customer.city'",
        "filter key '{key}' must be a field name like 'status' or 'customer.city'",
    ),
    "trigger.filter_empty": (
        "filter '{key}': daftar kosong tidak cocok dengan apa pun",
        "filter '{key}': an empty list matches nothing",
    ),
    "trigger.entry_length": (
        "setiap isian harus 1 sampai 100 karakter", "each entry must be 1 to 100 characters"),
    "trigger.option_only_for": (
        "{option} hanya berlaku untuk {events}, bukan untuk {event}",
        "{option} applies only to {events}, not to {event}",
    ),
    "trigger.webhook_platforms": (
        "platforms tidak berlaku untuk webhook (pengirimnya hanya satu)",
        "platforms does not apply to webhook (it has one sender)",
    ),
}


def word(name: str) -> dict[str, Any]:
    """A parameter that is itself a text in the table (``word("hour")``)."""
    return {"key": f"word.{name}", "params": {}}


class _English(string.Formatter):
    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, Mapping) and isinstance(value.get("key"), str):
            return english(value["key"], dict(value.get("params") or {}))
        return super().format_field(value, format_spec)


def english(key: str, params: Mapping[str, Any]) -> str:
    """The problem's English sentence (what the API answers)."""
    return _English().vformat(SPEC_PROBLEMS[key][1], (), dict(params))


def problem(key: str, /, **params: Any) -> PydanticCustomError:
    """Raise from a validator: English text for the API, key and params for the UI."""
    if key not in SPEC_PROBLEMS:
        raise KeyError(f"no spec problem {key!r}")
    # pydantic fills ``{name}`` of its context into the text: the names are unlikely
    # to appear in a sentence (a user's value is quoted inside it at most).
    return PydanticCustomError(PROBLEM_TYPE, english(key, params),
                               {"spio_key": key, "spio_params": params})
