"""Personalised campaign messages: segment, purchase history, tone, unique discount code.

Offline templates in Indonesian and English per tone and channel (SMS is cut to one
160-character part, email gets a subject); the LLM path writes the text itself and must
keep the code and the channel's length. Codes are derived from campaign + customer, so
a retried run sends the same code and the same words (exactly-once stays meaningful).
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from backend.ai.llm import ask_llm
from backend.core.config import Settings

__all__ = ["Message", "discount_code", "personalize_message", "TONES", "SMS_LIMIT"]

TONES = ("friendly_urgent", "friendly", "formal", "urgent")
SMS_LIMIT = 160
_LIMITS = {"sms": SMS_LIMIT, "whatsapp": 1024, "telegram": 4096, "email": 10_000}

# fmt: off
_OPEN = {
    ("id", "friendly_urgent"): "Hai {name}! {event} sudah dimulai dan stoknya terbatas 🔥",
    ("id", "friendly"): "Hai {name}, ada kabar gembira dari kami 😊",
    ("id", "formal"): "Yth. Bapak/Ibu {name},",
    ("id", "urgent"): "{name}, {event} hanya sebentar lagi!",
    ("en", "friendly_urgent"): "Hi {name}! {event} is on and stock is limited 🔥",
    ("en", "friendly"): "Hi {name}, we have good news for you 😊",
    ("en", "formal"): "Dear {name},",
    ("en", "urgent"): "{name}, {event} ends soon!",
}
_SEGMENT = {
    ("id", "vip"): "Sebagai pelanggan VIP, kamu dapat akses lebih dulu.",
    ("id", "new"): "Selamat datang! Ini hadiah untuk belanja pertamamu.",
    ("id", "inactive"): "Sudah lama tidak mampir, kami kangen!",
    ("id", "regular"): "Terima kasih sudah jadi pelanggan setia kami.",
    ("en", "vip"): "As a VIP customer, you get early access.",
    ("en", "new"): "Welcome! Here is a gift for your first order.",
    ("en", "inactive"): "It has been a while, we miss you!",
    ("en", "regular"): "Thank you for being a loyal customer.",
}
_OFFER = {
    "id": "Diskon {discount} untuk {what}. Pakai kode {code}{until}.",
    "en": "{discount} off {what}. Use code {code}{until}.",
}
_NO_RANGE = {"id": "spesial", "en": "A special discount"}
_CLOSE = {
    ("id", "formal"): "Hormat kami, {shop}", ("en", "formal"): "Kind regards, {shop}",
    ("id", "friendly_urgent"): "Buruan sebelum kehabisan! {link}",
    ("en", "friendly_urgent"): "Hurry before it sells out! {link}",
}
# fmt: on


class Message(BaseModel):
    """One message for one customer on one channel."""

    text: str
    subject: str | None = None
    code: str
    channel: str
    engine: Literal["offline", "llm"] = "offline"
    fallback_reason: str | None = None


def discount_code(*, campaign: str, customer_id: str, prefix: str | None = None) -> str:
    """A code unique to (campaign, customer) and the same on every retry, e.g. BF26-Q7K2MX."""
    digest = hashlib.sha256(f"{campaign}\x00{customer_id}".encode()).digest()
    body = base64.b32encode(digest).decode()[:6]
    if prefix is None:
        words = [w for w in campaign.replace("-", " ").split() if w]
        letters = "".join(w[0] for w in words if w[0].isalpha())[:3].upper() or "SP"
        digits = "".join(c for c in campaign if c.isdigit())[-2:]
        prefix = letters + digits
    return f"{prefix}-{body}"


def _until(campaign: dict[str, Any], lang: str) -> str:
    end = campaign.get("end_date")
    if not end:
        return ""
    try:
        day = datetime.fromisoformat(str(end).replace("Z", "+00:00"))
    except ValueError:
        return ""
    return f" sampai {day:%d/%m}" if lang == "id" else f" until {day:%d %b}"


def _offline(
    customer: dict[str, Any],
    campaign: dict[str, Any],
    *,
    channel: str,
    tone: str,
    code: str,
    lang: str,
    shop: str,
    link: str,
) -> tuple[str, str | None]:
    name = str(customer.get("name") or ("Kak" if lang == "id" else "there")).split()[0]
    event = campaign.get("name") or "Promo"
    segment = customer.get("segment") or "regular"
    history = [str(p) for p in customer.get("purchases") or []]
    what = history[-1] if history else ("produk favoritmu" if lang == "id" else "your favourites")
    discount = campaign.get("discount_range") or _NO_RANGE[lang]
    parts = [
        _OPEN.get((lang, tone), _OPEN[(lang, "friendly")]).format(name=name, event=event),
        _SEGMENT.get((lang, segment), _SEGMENT[(lang, "regular")]),
        _OFFER[lang].format(discount=discount, what=what, code=code,
                            until=_until(campaign, lang)).replace("discount off", "discount on"),
        _CLOSE.get((lang, tone), "{link}").format(shop=shop, link=link).strip(),
    ]  # fmt: skip
    text = "\n".join(p for p in parts if p) if channel != "sms" else " ".join(parts[2:3])
    if channel == "sms":
        text = f"{name}: {text} {link}".strip()
    subject = (
        f"{event}: {discount} {'untuk' if lang == 'id' else 'for'} {name}"
        if channel == "email"
        else None
    )
    return text, subject


class _LLMAnswer(BaseModel):
    text: str = Field(min_length=10)
    subject: str | None = None


def personalize_message(
    *,
    customer: dict[str, Any],
    campaign: dict[str, Any],
    channel: str,
    tone: str = "friendly_urgent",
    language: str = "id",
    shop: str = "Toko Kami",
    link: str = "",
    use_ai: bool = False,
    settings: Settings | None = None,
) -> Message:
    """The message for ``customer``; ``customer`` has id, name, segment, purchases."""
    code = discount_code(campaign=str(campaign.get("name") or "campaign"),
                         customer_id=str(customer.get("id") or customer.get("name")))  # fmt: skip
    lang = "en" if language == "en" else "id"
    reason = None
    if use_ai:

        def parse(data: Any) -> _LLMAnswer:
            answer = _LLMAnswer.model_validate(data)
            if code not in answer.text:
                raise ValueError(f"the text must contain the discount code {code}")
            if len(answer.text) > _LIMITS.get(channel, 4096):
                raise ValueError(f"{channel} allows {_LIMITS.get(channel)} characters")
            return answer

        request = {"customer": customer, "campaign": campaign, "channel": channel,
                   "tone": tone, "language": lang, "discount_code": code, "shop": shop,
                   "link": link}  # fmt: skip
        answer, why = ask_llm(settings, system=_SYSTEM, payload=request, parse=parse)
        if answer is not None:
            return Message(text=answer.text, subject=answer.subject, code=code,
                           channel=channel, engine="llm")  # fmt: skip
        reason = f"{why}; used the offline templates"
    text, subject = _offline(customer, campaign, channel=channel, tone=tone, code=code,
                             lang=lang, shop=shop, link=link)  # fmt: skip
    if len(text) > _LIMITS.get(channel, 4096):
        text = text[: _LIMITS[channel] - 1].rstrip() + "…"
    return Message(text=text, subject=subject, code=code, channel=channel,
                   fallback_reason=reason)  # fmt: skip


_SYSTEM = (
    "TASK: copy_message\n"
    "Write one short marketing message for one customer of an Indonesian online shop. Use the "
    "customer's name, segment and purchase history, the requested tone and language, and "
    "include the discount_code exactly. SMS: at most 160 characters. Reply with JSON "
    '{"text": string, "subject": string or null (email only)}.'
)
