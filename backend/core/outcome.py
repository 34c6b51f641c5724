"""What a run that ended ``succeeded`` actually did: its work, or nothing, and why.

A campaign that sent 0 messages, a report with 0 rows, a sync that wrote 0 listings or a
monitor that read 0 posts did not fail, but it did none of the work it exists for. Its
workflow says so by returning ``{"nothing_done": NothingDone(...).as_dict(), ...}``; the
worker stores the run as ``succeeded`` with ``outcome = "nothing_done"`` and the reason,
and the UI shows it amber with that reason in the reader's language. A reason marked
``expected`` (the job was due to act: a campaign on its send day, a report of a day)
alerts like a failure; one that is not (nothing changed since the last sync) does not.

Reasons are a key and JSON parameters (``{"key", "params"}``, the shape of the UI's
structured messages), rendered here in Indonesian or English. A parameter is formatted
by its field's kind: ``{at:dt}`` a moment, ``{day:date}`` a day, ``{window:range}`` a
``[start, end]`` pair of moments shown as days ("26 Nov", "26–28 Nov").
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from backend.core import numbers

__all__ = ["NOTHING_DONE", "NothingDone", "nothing_done_of", "render_reason", "reason_texts",
           "REASONS", "format_params"]

NOTHING_DONE = "nothing_done"
_LANGS = ("id", "en")

# key: (Indonesian, English)
REASONS: dict[str, tuple[str, str]] = {
    "campaign_outside_window": (
        "waktu kirim {send_at:dt} di luar jendela kampanye {window:range}",
        "send time {send_at:dt} is outside the campaign window {window:range}",
    ),
    "campaign_no_audience": (
        "tidak ada pelanggan yang lolos segmen dan persetujuan ({customers} dibaca)",
        "no customer passed the segments and consent ({customers} read)",
    ),
    "campaign_already_sent": (
        "semua {planned} pesan sudah terkirim oleh run sebelumnya",
        "all {planned} messages were sent by an earlier run",
    ),
    "campaign_none_sent": (
        "0 dari {planned} pesan terkirim ({failed} gagal)",
        "0 of {planned} messages sent ({failed} failed)",
    ),
    "order_message_paid": (
        "pengingat tidak dikirim: pesanan {order} sudah dibayar",
        "no reminder sent: order {order} is already paid",
    ),
    "order_message_cancelled": (
        "pesan tidak dikirim: pesanan {order} dibatalkan",
        "no message sent: order {order} was cancelled",
    ),
    "order_message_no_consent": (
        "pembeli pesanan {order} tidak menyetujui satu pun kanal ({channels})",
        "the buyer of order {order} consented to none of the channels ({channels})",
    ),
    "order_message_already_sent": (
        "pesan untuk pesanan {order} sudah terkirim sebelumnya",
        "the message for order {order} was sent before",
    ),
    "report_no_rows": (
        "laporan {day:date} tidak berisi baris data (sumber: {sources})",
        "the report of {day:date} has no rows of data (sources: {sources})",
    ),
    "catalog_nothing_changed": (
        "tidak ada produk yang berubah sejak {since:dt}",
        "no product changed since {since:dt}",
    ),
    "catalog_nothing_synced": (
        "0 dari {listings} listing tersinkron: {failed} gagal",
        "0 of {listings} listings synced: {failed} failed",
    ),
    "crisis_no_posts": (
        "0 postingan dibaca dari {accounts} akun",
        "0 posts read from {accounts} account(s)",
    ),
    "pricing_no_offers": (
        "0 penawaran kompetitor terbaca untuk {products} produk di {markets} marketplace",
        "0 competitor offers read for {products} product(s) on {markets} marketplace(s)",
    ),
    "pricing_not_listed": (
        "tidak satu pun dari {products} produk terdaftar di {markets} marketplace",
        "none of the {products} product(s) is listed on the {markets} marketplace(s)",
    ),
}

_MONTHS = {
    "id": ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


@dataclass(frozen=True, slots=True)
class NothingDone:
    """Why a run did none of its work; ``expected``: it was due to act (alert)."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)
    expected: bool = True

    def as_dict(self) -> dict[str, Any]:
        """The stored reason: key, params, expected, and the English text (API, logs)."""
        out = {"key": self.key, "params": dict(self.params), "expected": self.expected}
        return {**out, "text": render_reason(out, "en")}


def nothing_done_of(result: Any) -> dict[str, Any] | None:
    """The reason a workflow's result carries, or None when the run did its work."""
    if not isinstance(result, Mapping):
        return None
    reason = result.get(NOTHING_DONE)
    if isinstance(reason, NothingDone):
        return reason.as_dict()
    if isinstance(reason, Mapping) and isinstance(reason.get("key"), str):
        return {"key": reason["key"], "params": dict(reason.get("params") or {}),
                "expected": bool(reason.get("expected", True)),
                "text": render_reason(reason, "en")}  # fmt: skip
    return None


def _moment(value: Any, tz: str | None) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    if tz and moment.tzinfo is not None:
        try:
            moment = moment.astimezone(ZoneInfo(tz))
        except (KeyError, ValueError):
            pass
    return moment


def _day(moment: datetime, lang: str, *, month: bool = True) -> str:
    name = _MONTHS[lang][moment.month - 1]
    return f"{moment.day} {name}" if month else str(moment.day)


class _Formatter(string.Formatter):
    def __init__(self, lang: str, tz: str | None) -> None:
        super().__init__()
        self.lang, self.tz = lang, tz

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec in ("num", "num1"):  # a count (or one decimal) in the locale's marks
            return _number(value, decimals=1 if format_spec == "num1" else 0, lang=self.lang)
        if format_spec in ("dt", "date"):
            moment = _moment(value, self.tz)
            if moment is None:
                return str(value)
            day = _day(moment, self.lang)
            return day if format_spec == "date" else f"{day} {moment:%H:%M}"
        if format_spec == "range" and isinstance(value, list | tuple) and len(value) == 2:
            start, end = (_moment(v, self.tz) for v in value)
            if start is None or end is None:
                return " – ".join(str(v) for v in value)
            if start.date() == end.date():
                return _day(start, self.lang)
            if (start.year, start.month) == (end.year, end.month):
                return f"{start.day}–{_day(end, self.lang)}"
            return f"{_day(start, self.lang)} – {_day(end, self.lang)}"
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        if isinstance(value, Mapping):  # {"whatsapp": 3, "email": 2} -> "whatsapp 3, email 2"
            return ", ".join(f"{k} {_number(v, decimals=0, lang=self.lang)}"
                             if isinstance(v, int | float) else f"{k} {v}"
                             for k, v in value.items())  # fmt: skip
        return super().format_field(value, "" if format_spec in ("dt", "date", "range")
                                    else format_spec)  # fmt: skip


def _number(value: Any, *, decimals: int, lang: str) -> str:
    try:
        return numbers.number(float(value), decimals=decimals, lang=lang)
    except (TypeError, ValueError):
        return str(value)


def format_params(template: str, params: Mapping[str, Any], *, lang: str,
                  tz: str | None = None) -> str:
    """``template`` filled with ``params`` for ``lang`` (a missing one leaves the template)."""
    try:
        return _Formatter(lang, tz).vformat(template, (), dict(params))
    except (KeyError, IndexError, ValueError):
        return template


def render_reason(reason: Mapping[str, Any] | None, lang: str) -> str:
    """The reason in ``lang`` (``id`` or ``en``); an unknown key shows as itself."""
    if not reason:
        return ""
    key = str(reason.get("key") or "")
    params = dict(reason.get("params") or {})
    pair = REASONS.get(key)
    if pair is None:
        return str(reason.get("text") or key)
    template = pair[_LANGS.index(lang) if lang in _LANGS else 0]
    try:
        return _Formatter(lang, params.get("tz")).vformat(template, (), params)
    except (KeyError, IndexError, ValueError):
        return str(reason.get("text") or template)


def reason_texts(reason: Mapping[str, Any] | None) -> dict[str, str]:
    """``{"id": ..., "en": ...}``: the UI keeps both and shows the reader's language,
    so switching language needs no reload."""
    return {lang: render_reason(reason, lang) for lang in _LANGS}
