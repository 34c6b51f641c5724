"""The message templates the sandbox's WhatsApp Business Account has approved.

A template message names an approved template in one of its languages and fills its
body's ``{{1}}``, ``{{2}}``... exactly: the Cloud API refuses an unknown name or
language with 132001 ("Template name does not exist in the translation") and a wrong
number of body parameters with 132000, both as an HTTP 400 at send. Approving more
takes ``POST /_admin/whatsapp/templates``; ``GET /{version}/{waba_id}/message_templates``
lists them as the Graph API does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = ["ApprovedTemplate", "default_whatsapp_templates", "template_problem", "as_graph"]

_PLACEHOLDER = re.compile(r"\{\{(\d+)\}\}")


@dataclass(frozen=True, slots=True)
class ApprovedTemplate:
    """One approved template in one language."""

    name: str
    language: str
    body: str
    category: str = "MARKETING"

    @property
    def param_count(self) -> int:
        return len(set(_PLACEHOLDER.findall(self.body)))

    def render(self, params: list[str]) -> str:
        return _PLACEHOLDER.sub(lambda m: params[int(m.group(1)) - 1], self.body)


def _both(name: str, id_body: str, en_body: str, category: str) -> list[ApprovedTemplate]:
    return [ApprovedTemplate(name, "id", id_body, category),
            ApprovedTemplate(name, "en", en_body, category)]  # fmt: skip


def default_whatsapp_templates() -> dict[tuple[str, str], ApprovedTemplate]:
    """What the sandbox WABA has approved: Meta's sample plus the shop's own, in
    Indonesian and English (``(name, language) -> template``)."""
    approved = [
        ApprovedTemplate("hello_world", "en_US", "Hello World", "UTILITY"),
        *_both("promo", "Halo {{1}}! {{2}}: diskon {{3}} khusus untukmu. Belanja: {{4}}",
               "Hi {{1}}! {{2}}: {{3}} off just for you. Shop now: {{4}}", "MARKETING"),
        *_both("price_alert", "Harga {{1}} di {{2}} sekarang {{3}} (sebelumnya {{4}}).",
               "{{1}} on {{2}} is now {{3}} (was {{4}}).", "UTILITY"),
        *_both("report_ready", "Laporan {{1}} untuk {{2}} sudah siap: {{3}}",
               "The {{1}} report for {{2}} is ready: {{3}}", "UTILITY"),
        *_both("crisis_alert", "Peringatan {{1}}: {{2}}. {{3}} Lihat: {{4}}",
               "{{1}} alert: {{2}}. {{3}} See: {{4}}", "UTILITY"),
        *_both("order_update", "Halo {{1}}, pesanan {{2}} kamu {{3}}.",
               "Hi {{1}}, your order {{2}} is {{3}}.", "UTILITY"),
        *_both("order_thanks", "Terima kasih {{1}}! Pesanan {{2}} di {{3}} sudah dibayar dan "
               "segera kami kirim. Belanja lagi: {{4}}", "Thank you {{1}}! Your order {{2}} on "
               "{{3}} is paid and on its way soon. Shop again: {{4}}", "UTILITY"),
        *_both("cart_reminder", "Halo {{1}}, pesanan {{2}} di {{3}} belum dibayar. Selesaikan "
               "di sini sebelum stoknya habis: {{4}}", "Hi {{1}}, your order {{2}} on {{3}} is "
               "not paid yet. Finish it here before it sells out: {{4}}", "MARKETING"),
    ]  # fmt: skip
    return {(t.name, t.language): t for t in approved}


def template_problem(
    approved: dict[tuple[str, str], ApprovedTemplate], tpl: dict[str, Any]
) -> tuple[int, str] | tuple[ApprovedTemplate, list[str]]:
    """``(code, message)`` of the Cloud API's refusal, or the template and its body
    parameters when the message may go."""
    name = str(tpl.get("name") or "")
    language = str((tpl.get("language") or {}).get("code") or "")
    known = approved.get((name, language))
    if known is None:
        return 132001, (
            f"(#132001) Template name does not exist in the translation: {name} ({language})"
        )
    params: list[str] = []
    for comp in tpl.get("components") or []:
        # Component types are read without regard to case ("body", or "BODY" as pywa
        # and the template management API spell them).
        if isinstance(comp, dict) and str(comp.get("type") or "").lower() == "body":
            for param in comp.get("parameters") or []:
                if isinstance(param, dict):
                    params.append(str(param.get("text", "")))
    if len(params) != known.param_count:
        return 132000, (
            "(#132000) Number of parameters does not match the expected number of params: "
            f"body: number of localizable_params ({len(params)}) does not match the expected "
            f"number of params ({known.param_count})"
        )
    return known, params


def as_graph(approved: dict[tuple[str, str], ApprovedTemplate]) -> list[dict[str, Any]]:
    """The templates as ``GET /{waba_id}/message_templates`` lists them."""
    return [
        {
            "name": t.name,
            "language": t.language,
            "status": "APPROVED",
            "category": t.category,
            "id": str(1_000_000 + i),
            "components": [{"type": "BODY", "text": t.body}],
        }
        for i, t in enumerate(approved.values())
    ]
