"""A price review said as one sentence, in the reader's language.

"Turunkan harga PROD001 di Shopee dari Rp 159.900 ke Rp 127.900 (−20,0 %): pesaing
termurah Rp 134.900; menunggu persetujuan: run pertama aturan baru". Every figure comes
from the rules' decision stored with the review (current, proposed, floor, the rule that
set the floor and its percent), so the sentence cannot quote a limit the proposal breaks.
Reviews stored before those figures were kept still read as a sentence, with the floor.
"""

from __future__ import annotations

from typing import Any

from backend.core import numbers

__all__ = ["review_sentence", "money", "percent", "platform_name", "change_percent"]

_PLATFORMS = {"shopee": "Shopee", "tokopedia": "Tokopedia", "lazada": "Lazada",
              "tiktok": "TikTok Shop", "tiktok_shop": "TikTok Shop", "blibli": "Blibli",
              "website": "Website", "instagram_shop": "Instagram Shop",
              "facebook_shop": "Facebook Shop", "google_shopping": "Google Shopping",
              "priceza": "Priceza", "idealo": "Idealo", "whatsapp": "WhatsApp",
              "telegram": "Telegram", "email": "Email", "sms": "SMS"}  # fmt: skip


def platform_name(platform: str) -> str:
    return _PLATFORMS.get(platform, platform.replace("_", " ").title())


def money(value: float | int | None, *, lang: str) -> str:
    """``Rp 159.900`` (id) / ``Rp 159,900`` (en)."""
    return numbers.rupiah(value, lang=lang)


def percent(value: float, *, lang: str, signed: bool = True) -> str:
    """``−17,5 %`` (id) / ``−17.5%`` (en); ``value`` in percent."""
    text = numbers.percent(value, lang=lang, signed=True)
    return text if signed else text.lstrip("+" + numbers.MINUS)


def change_percent(review: dict[str, Any]) -> float | None:
    current, target = review.get("current_price"), review.get("target_price")
    if not current or target is None:
        return None
    return (float(target) - float(current)) / float(current) * 100


def _limit(review: dict[str, Any], *, lang: str) -> str:
    """The rule that set the floor, with its figure ("diskon maksimal 20 % dari Rp 159.900")."""
    rule, pct = review.get("floor_rule"), review.get("floor_percent")
    id_ = lang == "id"
    if rule == "margin" and pct is not None:
        return f"margin minimal {pct:g} %" if id_ else f"minimum margin {pct:g}%"
    if rule == "floor":
        return "harga minimum Anda" if id_ else "your price floor"
    if rule == "discount" and pct is not None:
        anchor = max(int(review.get("base_price") or 0), int(review.get("current_price") or 0))
        return (f"diskon maksimal {pct:g} % dari {money(anchor, lang=lang)}" if id_ else
                f"maximum discount {pct:g}% off {money(anchor, lang=lang)}")  # fmt: skip
    return ""


def _why(review: dict[str, Any], *, lang: str) -> str:
    """Why the change waits for a person."""
    id_ = lang == "id"
    held = review.get("held") or "rule"
    if held == "preview":
        return ("menunggu persetujuan: run pertama aturan baru hanya mengusulkan" if id_ else
                "waiting for approval: a new rule's first run only proposes")  # fmt: skip
    if held == "guard":
        return ("menunggu persetujuan: batas perubahan per run sudah tercapai" if id_ else
                "waiting for approval: this run's limit of changes was reached")  # fmt: skip
    if any("cost unknown" in str(r) for r in review.get("reasons") or []):
        return ("biaya produk tidak diketahui, margin minimal tidak bisa diperiksa" if id_ else
                "the product's cost is unknown, so the minimum margin cannot be checked")
    floor = money(review.get("floor_price"), lang=lang)
    limit = _limit(review, lang=lang)
    limit = f" ({limit})" if limit else ""
    strategy = review.get("strategy_price")
    if strategy is not None:
        return (f"strategi memberi {money(strategy, lang=lang)}, di bawah batas bawah "
                f"{floor}{limit}" if id_ else f"the strategy gives "
                f"{money(strategy, lang=lang)}, under the floor {floor}{limit}")  # fmt: skip
    return (f"usulan dibatasi batas bawah {floor}{limit}" if id_ else
            f"proposal held at the floor {floor}{limit}")  # fmt: skip


def review_sentence(review: dict[str, Any], *, lang: str) -> str:
    """The whole review in one sentence (see the module docstring)."""
    id_ = lang == "id"
    sku, where = review.get("sku", ""), platform_name(str(review.get("platform", "")))
    account = review.get("account")
    if account and account != "default":  # a second shop: say which ("Shopee (toko-b)")
        where = f"{where} ({account})"
    current, target = review.get("current_price"), review.get("target_price")
    change = change_percent(review)
    if change is None or round(change, 1) == 0:
        head = (f"Pertahankan harga {sku} di {where} di {money(current, lang=lang)}" if id_ else
                f"Keep the price of {sku} on {where} at {money(current, lang=lang)}")
    else:
        verb = ("Turunkan" if change < 0 else "Naikkan") if id_ else (
            "Lower" if change < 0 else "Raise")  # fmt: skip
        head = (f"{verb} harga {sku} di {where} dari {money(current, lang=lang)} ke "
                f"{money(target, lang=lang)} ({percent(change, lang=lang)})" if id_ else
                f"{verb} the price of {sku} on {where} from {money(current, lang=lang)} to "
                f"{money(target, lang=lang)} ({percent(change, lang=lang)})")  # fmt: skip
    lowest = review.get("lowest_competitor")
    market = (f"pesaing termurah {money(lowest, lang=lang)}" if id_ else
              f"cheapest competitor {money(lowest, lang=lang)}") if lowest else (
              "tidak ada pesaing yang punya stok" if id_ else "no competitor in stock")
    return f"{head}: {market}; {_why(review, lang=lang)}"
