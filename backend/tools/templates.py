"""Message templates in Indonesian and English with ``{name}`` placeholders.

A template renders to a subject and a body per language; for WhatsApp it also names the
pre-approved platform template and the order of its body parameters (``{{1}}``,
``{{2}}``...), so one call sends the right thing on every channel. Missing values are an
error that names them, never a message with ``{discount}`` printed in it.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import Any

from backend.core.errors import ErrorItem, InvalidInput

__all__ = ["Template", "MessageTemplate", "TEMPLATES", "render", "placeholders"]


@dataclass(frozen=True, slots=True)
class MessageTemplate:
    """One template: texts per language and its WhatsApp counterpart."""

    name: str
    subject: dict[str, str]
    body: dict[str, str]
    whatsapp_params: tuple[str, ...] = ()  # placeholder names in {{1}}, {{2}}... order


@dataclass(frozen=True, slots=True)
class Template:
    """A request to send template ``name`` with ``params`` in language ``lang``."""

    name: str
    params: dict[str, Any] = field(default_factory=dict)
    lang: str = "id"


def _t(name: str, subject: tuple[str, str], body: tuple[str, str], wa: tuple[str, ...]) -> Any:
    return MessageTemplate(
        name, {"id": subject[0], "en": subject[1]}, {"id": body[0], "en": body[1]}, wa
    )


TEMPLATES: dict[str, MessageTemplate] = {
    t.name: t
    for t in (
        _t(
            "promo",
            ("{campaign} untuk {name}", "{campaign} for {name}"),
            (
                "Halo {name}! {campaign}: diskon {discount} khusus untukmu. "
                "Belanja sekarang: {link}",
                "Hi {name}! {campaign}: {discount} off just for you. Shop now: {link}",
            ),
            ("name", "campaign", "discount", "link"),
        ),
        _t(
            "price_alert",
            ("Harga {product} berubah", "{product} price changed"),
            (
                "Harga {product} di {platform} sekarang {price} (sebelumnya {old_price}).",
                "{product} on {platform} is now {price} (was {old_price}).",
            ),
            ("product", "platform", "price", "old_price"),
        ),
        _t(
            "report_ready",
            ("Laporan {report} siap", "{report} report ready"),
            (
                "Laporan {report} untuk {period} sudah siap: {link}",
                "The {report} report for {period} is ready: {link}",
            ),
            ("report", "period", "link"),
        ),
        _t(
            "crisis_alert",
            ("PERINGATAN: {topic}", "ALERT: {topic}"),
            (
                "Peringatan {severity}: {topic}. {summary} Lihat: {link}",
                "{severity} alert: {topic}. {summary} See: {link}",
            ),
            ("severity", "topic", "summary", "link"),
        ),
        _t(
            "order_update",
            ("Pesanan {order_id}", "Order {order_id}"),
            (
                "Halo {name}, pesanan {order_id} kamu {status}.",
                "Hi {name}, your order {order_id} is {status}.",
            ),
            ("name", "order_id", "status"),
        ),
        _t(
            "order_thanks",
            ("Terima kasih, {name}", "Thank you, {name}"),
            (
                "Terima kasih {name}! Pesanan {order_id} di {platform} sudah dibayar dan "
                "segera kami kirim. Belanja lagi: {link}",
                "Thank you {name}! Your order {order_id} on {platform} is paid and on its "
                "way soon. Shop again: {link}",
            ),
            ("name", "order_id", "platform", "link"),
        ),
        _t(
            "cart_reminder",
            ("Pesanan {order_id} menunggu", "Order {order_id} is waiting"),
            (
                "Halo {name}, pesanan {order_id} di {platform} belum dibayar. "
                "Selesaikan di sini sebelum stoknya habis: {link}",
                "Hi {name}, your order {order_id} on {platform} is not paid yet. "
                "Finish it here before it sells out: {link}",
            ),
            ("name", "order_id", "platform", "link"),
        ),
    )
}


def placeholders(text: str) -> list[str]:
    """The ``{names}`` a text uses, in order of appearance."""
    return [f for _, f, _, _ in string.Formatter().parse(text) if f]


def render(template: Template) -> tuple[str, str, tuple[str, ...]]:
    """Subject, body and the WhatsApp parameters of ``template`` in its language."""
    known = TEMPLATES.get(template.name)
    if known is None:
        raise InvalidInput(
            [ErrorItem("template", f"unknown template {template.name!r}")],
        )
    lang = template.lang if template.lang in known.body else "id"
    subject, body = known.subject[lang], known.body[lang]
    values = {k: str(v) for k, v in template.params.items()}
    missing = sorted(
        {p for p in placeholders(subject) + placeholders(body) if p not in values}
        | {p for p in known.whatsapp_params if p not in values}
    )
    if missing:
        raise InvalidInput(
            [ErrorItem(f"template.params.{m}", "missing value") for m in missing],
            message=f"template {template.name!r} needs {', '.join(missing)}",
        )
    params = tuple(values[p] for p in known.whatsapp_params)
    return subject.format_map(values), body.format_map(values), params
