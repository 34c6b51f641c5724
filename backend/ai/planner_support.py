"""What a plan asks for that the workflows cannot do yet, said as assumptions.

The planner keeps what the seller asked for (a YouTube watch, Bukalapak listings, a
price report as Excel) rather than quietly dropping it, and says plainly which part
will not happen until a connector or feature exists.
"""

from __future__ import annotations

from typing import Any

from backend.ai.planner_reading import Said

__all__ = ["unsupported"]

_SOCIAL_FEEDS = ("twitter", "instagram", "facebook", "tiktok")
_CATALOG = ("shopee", "tokopedia", "lazada", "tiktok_shop", "tiktok", "blibli", "instagram_shop",
            "facebook_shop", "website", "google_shopping", "priceza", "idealo")  # fmt: skip
_MARKETS = ("shopee", "tokopedia", "lazada", "tiktok", "blibli")


def _said(field: str, what_id: str, what_en: str) -> Said:
    return (field, f"belum didukung: {what_id}", f"not supported yet: {what_en}")


def unsupported(kind: str, inputs: dict[str, Any]) -> list[Said]:
    """A note for each part of ``inputs`` the ``kind`` workflow cannot serve yet."""
    out: list[Said] = []
    if kind == "crisis_monitor":
        other = sorted({a["platform"] for a in inputs.get("accounts", [])
                        if a["platform"] not in _SOCIAL_FEEDS})  # fmt: skip
        if other:
            names = ", ".join(other)
            out.append(_said("platforms", f"{names} belum bisa dibaca pemantau (hanya Twitter/X, "
                             "Instagram, Facebook, TikTok); akun itu gagal sampai konektornya "
                             "ada", f"the monitor cannot read {names} yet (only Twitter/X, "
                             "Instagram, Facebook, TikTok); those accounts fail until a "
                             "connector exists"))  # fmt: skip
        if inputs.get("watch_posts"):
            n = inputs["watch_posts"]
            out.append(_said("content", f"batas {n} postingan disimpan, tetapi pemantau membaca "
                             "semua postingan baru", f"the limit of {n} posts is kept, but the "
                             "monitor reads every new post"))  # fmt: skip
    elif kind == "catalog_sync":
        other = [p for p in inputs.get("platforms", []) if p not in _CATALOG]
        if other:
            out.append(_said("platforms", f"{', '.join(other)} belum punya konektor katalog",
                             f"{', '.join(other)} has no catalog connector yet"))  # fmt: skip
    elif kind == "price_intelligence":
        other = [p for p in inputs.get("marketplaces", []) if p not in _MARKETS]
        if other:
            out.append(_said("platforms", f"{', '.join(other)} belum punya konektor harga",
                             f"{', '.join(other)} has no price connector yet"))  # fmt: skip
        files = [f for f in inputs.get("report_formats", []) if f not in ("excel", "dashboard")]
        if files:
            out.append(_said("formats", f"laporan harga berupa pesan ringkasan, file JSON dan "
                             f"Excel; {', '.join(files).upper()} belum dibuat", "the price report "
                             f"is a summary message, a JSON file and Excel; "
                             f"{', '.join(files).upper()} is not made yet"))  # fmt: skip
    return out
