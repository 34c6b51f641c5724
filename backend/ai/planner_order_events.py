"""Campaigns that answer an order instead of a clock: "kirim ucapan terima kasih via WA
setiap ada pesanan dibayar" (a thank-you per paid order) and "ingatkan pembeli yang
belum bayar setelah 3 jam" (a reminder for a cart left unpaid N hours).

Read only when the prompt names no schedule: "abandoned cart reminder tiap 2 jam" is a
campaign that runs on a clock to the abandoned-cart segment, as before. A reminder
without a number of hours waits :data:`DEFAULT_REMINDER_HOURS` (said as an assumption).
"""

from __future__ import annotations

import re
from typing import Any

from backend.ai.planner_reading import Said
from backend.domain.triggers import MAX_DELAY_SEC

__all__ = ["order_event", "reminder_hours", "order_campaign", "stock_on_orders",
           "order_stock_sync", "DEFAULT_REMINDER_HOURS"]

DEFAULT_REMINDER_HOURS = 3

_ORDER = r"(?:pesanan|order|orderan|pembelian|transaksi|checkout|pembayaran|payment)"
_PAID = r"(?:di ?bayar|dibayarkan|terbayar|lunas|paid|masuk|diterima|received|confirmed)"
_WHEN = (r"\b(?:setiap|tiap|tiap kali|begitu|ketika|saat|setelah|sesudah|kalau|jika|bila|"
         r"when(?:ever)?|every time|each time|once|after|as soon as|for each|for every|"
         r"per|otomatis|automatically)\b")  # fmt: skip
_PAID_ORDER = re.compile(
    rf"{_ORDER}\w*(?:\s+\S+){{0,3}}?\s+(?:sudah |telah |is |was |gets |get |been )*{_PAID}\b"
    rf"|\b{_PAID}\s+{_ORDER}")
_THANKS = re.compile(r"terima ?kasih|makasih|thank|receipt|struk|kuitansi|invoice|nota|"
                     r"konfirmasi|confirmation")
_UNPAID = re.compile(
    r"belum (?:di ?)?(?:bayar|dibayar|lunas|checkout)|blm (?:di ?)?bayar|unpaid|not (?:yet )?"
    r"paid|(?:keranjang|cart)\w*(?:\s+\S+){0,3}?\s+(?:di ?tinggal|tertinggal|ditinggalkan|"
    r"abandon\w*|left)|abandon\w* (?:cart|keranjang|checkout)")
_REMIND = re.compile(r"ingat|reminder|remind|follow ?up|nudge|tagih")
_HOURS = re.compile(r"(\d+(?:[.,]\d+)?)\s*(jam|hours?|hrs?|h|menit|minutes?|mins?)\b")


def order_event(text: str) -> str | None:
    """``order.paid`` (a thank-you or receipt per paid order), ``order.created`` (a
    reminder for an order left unpaid), or None. ``text`` is normalized."""
    if _UNPAID.search(text) and (_REMIND.search(text) or _HOURS.search(text)):
        return "order.created" if re.search(_WHEN, text) or _HOURS.search(text) else None
    if _THANKS.search(text) and _PAID_ORDER.search(text) and re.search(_WHEN, text):
        return "order.paid"
    return None


_STOCK = re.compile(r"\b(?:stok|stock|inventory|inventori|persediaan)\b")
_ON_ORDER = re.compile(
    r"\b(?:setiap|tiap|tiap kali|whenever|every time|each time|when|saat|ketika|begitu|"
    r"for every|for each|on every|on each)\s+(?:ada\s+|an?\s+|there is an?\s+)?(?:yang\s+)?"
    r"(?:pesanan|order|orderan|terjual|sold|penjualan|sale|transaksi)"
    r"|\b(?:pesanan|order|orderan)\s+(?:masuk|baru|comes in|is placed|arrives)")


def stock_on_orders(text: str) -> bool:
    """A catalog sync asked to move stock as orders come ("update stok ke semua
    marketplace setiap ada pesanan"), not on a clock. ``text`` is normalized."""
    return bool(_STOCK.search(text) and _ON_ORDER.search(text))


def order_stock_sync(inputs: dict[str, Any], *, said: list[Said]) -> dict[str, Any]:
    """Make a built catalog sync the real-time stock job: its trigger (returned), its
    inputs and what was assumed."""
    said[:] = [s for s in said if s[0] not in ("schedule", "images", "content")]
    inputs.update(flow_group="stock_sync", flow_max_active_runs=8, allow_overlap=True,
                  pressure_priority="high")
    said.append(("schedule", "stok dipindah setiap ada pesanan (pesanan dibuat), ke semua "
                 "platform sekaligus; pesanan yang dibatalkan perlu job kedua dengan pemicu "
                 "'pesanan dibatalkan'", "stock moves with every order placed, on every "
                 "platform at once; cancelled orders need a second job triggered by 'order "
                 "cancelled'"))  # fmt: skip
    return {"event": "order.created"}


def reminder_hours(text: str) -> float | None:
    """How long after the order a reminder waits, when the prompt says it."""
    found = _HOURS.search(text)
    if found is None:
        return None
    value = float(found.group(1).replace(",", "."))
    return value / 60 if found.group(2).startswith("m") else value


_QUIET = {"start": "21:00", "end": "08:00"}
_GENERIC_NAMES = ("Kampanye Promo", "Promo Campaign")
_NAMES = {True: ("Ucapan Terima Kasih Pesanan", "Order Thank-You"),
          False: ("Pengingat Pembayaran", "Payment Reminder")}


def order_campaign(inputs: dict[str, Any], *, event: str, hours: float | None, lang: str,
                   said: list[Said]) -> dict[str, Any]:  # fmt: skip
    """Make a built campaign an order-triggered one: its trigger (returned), its inputs
    and what was assumed (``said``, the audience defaults replaced by the buyer)."""
    said[:] = [s for s in said if s[0] not in ("audience", "recipients", "window", "content")]
    inputs.pop("personalization", None)
    said.append(("content", "isi pesan: templat yang disetujui WhatsApp dengan nama pembeli, "
                 "nomor pesanan dan tautan toko", "message: a WhatsApp-approved template with "
                 "the buyer's name, the order number and a link to the shop"))  # fmt: skip
    said.append(("recipients", "penerima: pembeli pesanan itu, satu pesan per pesanan di kanal "
                 "yang ia izinkan", "recipient: the order's buyer, one message per order on a "
                 "channel they consented to"))  # fmt: skip
    inputs.pop("audience", None)
    # Orders arrive one by one and each waits for its message: a flow of their own, not
    # the marketing team's single slot that a big campaign holds for an hour.
    inputs.update(flow_group="order_messages", flow_max_active_runs=4, allow_overlap=True,
                  pressure_priority="high", quiet_hours=dict(_QUIET))
    thanks = event == "order.paid"
    if inputs["campaign"].get("name") in _GENERIC_NAMES:
        inputs["campaign"]["name"] = _NAMES[thanks][0 if lang == "id" else 1]
    said.append(("schedule", "tidak dikirim pukul 21:00–08:00; pesanan di jam itu dikirim "
                 "08:00", "nothing is sent 21:00–08:00; orders in those hours are answered "
                 "at 08:00"))  # fmt: skip
    trigger: dict[str, Any] = {"event": event}
    if thanks:
        inputs["order_message"] = "thank_you"
        return trigger
    inputs["order_message"] = "cart_reminder"
    if hours is None:
        hours = DEFAULT_REMINDER_HOURS
        said.append(("schedule", f"pengingat dikirim {hours} jam setelah pesanan dibuat bila "
                     "belum dibayar", f"the reminder goes {hours} hours after the order is "
                     "placed if it is still unpaid"))  # fmt: skip
    trigger["delay_sec"] = max(60, min(MAX_DELAY_SEC, round(hours * 3600)))
    return trigger
