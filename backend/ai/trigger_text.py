"""An event trigger said in words, Indonesian or English: "setiap pesanan dibayar",
"3 jam setelah pesanan dibuat, bila belum dibayar", "stok di bawah 5". The planner's
proposal, the job editor and the jobs list say a trigger the same way.
"""

from __future__ import annotations

from typing import Any

__all__ = ["describe_trigger", "EVENT_WORDS"]

# event -> (Indonesian, English): what happens, said after "setiap" / "every time"
EVENT_WORDS: dict[str, tuple[str, str]] = {
    "order.created": ("pesanan dibuat", "an order is placed"),
    "order.paid": ("pesanan dibayar", "an order is paid"),
    "order.cancelled": ("pesanan dibatalkan", "an order is cancelled"),
    "stock.low": ("stok menipis", "stock runs low"),
    "price.competitor_changed": ("harga kompetitor berubah", "a competitor changes a price"),
    "social.mention": ("ada mention di media sosial", "the brand is mentioned on social media"),
    "webhook": ("webhook bertanda tangan masuk", "a signed webhook arrives"),
}


def _hours(seconds: int, lang: str) -> str:
    if seconds % 3600 == 0:
        n = seconds // 3600
        return f"{n} jam" if lang == "id" else f"{n} hour{'s' if n != 1 else ''}"
    n = max(1, round(seconds / 60))
    return f"{n} menit" if lang == "id" else f"{n} minute{'s' if n != 1 else ''}"


def _options(trigger: dict[str, Any], lang: str) -> list[str]:
    id_ = lang == "id"
    out = []
    if trigger.get("platforms"):
        shown = ", ".join(str(p) for p in trigger["platforms"])
        out.append(f"di {shown}" if id_ else f"on {shown}")
    if trigger.get("event") == "stock.low":
        n = trigger.get("threshold", 5)
        out.append(f"stok ≤ {n}" if id_ else f"stock ≤ {n}")
    if trigger.get("min_change_percent"):
        n = trigger["min_change_percent"]
        out.append(f"perubahan ≥ {n}%" if id_ else f"change ≥ {n}%")
    if trigger.get("keywords"):
        words = ", ".join(trigger["keywords"][:5])
        out.append(f"kata kunci: {words}" if id_ else f"keywords: {words}")
    if trigger.get("filter"):
        pairs = ", ".join(f"{k} = {v}" for k, v in trigger["filter"].items())
        out.append(f"filter: {pairs}")
    return out


def describe_trigger(trigger: dict[str, Any] | None, *, lang: str) -> str:
    """``{"event": "order.paid"}`` -> "setiap pesanan dibayar" / "every time an order is
    paid"; a ``delay_sec`` -> "3 jam setelah pesanan dibuat"."""
    if not trigger or not trigger.get("event"):
        return ""
    event = str(trigger["event"])
    words = EVENT_WORDS.get(event, (event, event))
    what = words[0] if lang == "id" else words[1]
    delay = int(trigger.get("delay_sec") or 0)
    if delay:
        text = (f"{_hours(delay, lang)} setelah {what}" if lang == "id"
                else f"{_hours(delay, lang)} after {what}")  # fmt: skip
        if event == "order.created":
            text += ", bila belum dibayar" if lang == "id" else ", if it is still unpaid"
    else:
        text = f"setiap {what}" if lang == "id" else f"every time {what}"
    options = _options(trigger, lang)
    return text + (f" ({'; '.join(options)})" if options else "")
