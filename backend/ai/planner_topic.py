"""What a campaign announces and to whom: its event, its name, its audience, its period.

A campaign is named after what it announces ("Promo Black Friday 2027", "Ucapan Selamat
Natal", "Newsletter Mingguan", "Diskon 25%"), never after the prompt's first words.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from backend.ai.planner_when import dates

__all__ = ["EVENTS", "event_day", "audience", "topic", "promo_period"]

# (pattern, Indonesian name, English name, fixed month/day or None)
EVENTS: tuple[tuple[str, str, str, tuple[int, int] | None], ...] = (
    (r"black\s*friday", "Black Friday", "Black Friday", None),
    (r"cyber\s*monday", "Cyber Monday", "Cyber Monday", None),
    (r"harbolnas|\b12[./]12\b|double twelve", "Harbolnas 12.12", "12.12", (12, 12)),
    (r"\b11[./]11\b|single'?s day", "11.11", "11.11", (11, 11)),
    (r"\b10[./]10\b", "10.10", "10.10", (10, 10)),
    (r"\b9[./]9\b", "9.9", "9.9", (9, 9)),
    (r"\bnatal\b|christmas|xmas", "Natal", "Christmas", (12, 25)),
    (r"tahun baru|new year", "Tahun Baru", "New Year", (1, 1)),
    (r"valentine", "Valentine", "Valentine's Day", (2, 14)),
    (r"ramadh?an", "Ramadan", "Ramadan", None),
    (r"lebaran|idul fitri|eid", "Lebaran", "Eid", None),
    (r"gajian|payday", "Gajian", "Payday", None),
    (r"akhir tahun|year[- ]end", "Akhir Tahun", "Year-End", None),
)
_AUDIENCES = (
    ("vip", r"\bvip\b|pelanggan setia|loyal|member gold|gold member|top spender|high[- ]value|"
            r"best customers|pelanggan terbaik"),
    ("new", r"pelanggan baru|new (?:customers?|buyers?|members?)|pembeli baru|customer baru|"
            r"first[- ]time"),
    ("dormant", r"belum (?:belanja|order|beli)|tidak aktif|inactive|lama (?:tidak|ga|gak|nggak|"
                r"gk|g) (?:order|belanja|beli)|dormant|lapsed|haven'?t (?:bought|ordered|"
                r"purchased)|win[- ]?back|re-?engage"),
    ("abandoned_cart", r"abandon\w*|keranjang|left (?:items|products) in (?:their|the) cart|"
                       r"checkout tapi belum bayar|belum bayar|unpaid|\bcart\b"),
    ("birthday", r"ulang tahun|ultah|birthday"),
    ("recent_buyers", r"pembeli bulan ini|beli dalam \d+ hari|bought in the last|recent "
                      r"(?:buyers|customers)|(?:sudah|udah|udh|pernah) (?:belanja|beli)|"
                      r"who (?:bought|purchased)|semua pembeli|yang beli"),
    ("subscribers", r"subscribers?|newsletter list|mailing list|email list|\bmembers?\b"),
    ("all", r"semua pelanggan|all (?:our |my )?customers|seluruh pelanggan|everyone|"
            r"semua customer|all (?:our )?subscribers|\bsemua\b"),
)  # fmt: skip
_TOPICS = (
    (r"newsletter", "Newsletter", "Newsletter"),
    (r"survey|survei|kuesioner", "Survei Kepuasan", "Satisfaction Survey"),
    (r"abandon\w*|keranjang|checkout tapi belum bayar|belum bayar|\bcart\b",
     "Pengingat Keranjang", "Cart Reminder"),
    (r"ulang tahun|ultah|birthday", "Ucapan Ulang Tahun", "Birthday Greeting"),
    (r"pengumuman|announce\w*|libur|tutup|closed", "Pengumuman Toko", "Store Announcement"),
    (r"terima ?kasih|makasih|thank", "Ucapan Terima Kasih", "Thank-You Message"),
    (r"\btips\b", "Tips", "Tips"),
    (r"new collection|koleksi baru|launch|peluncuran|produk baru", "Koleksi Baru",
     "New Collection Launch"),
    (r"gratis ongkir|free shipping|ongkir", "Voucher Gratis Ongkir", "Free Shipping Voucher"),
    (r"voucher|kupon|coupon", "Voucher", "Voucher"),
    (r"bundling|bundle", "Promo Bundling", "Bundle Promo"),
    (r"flash sale", "Flash Sale", "Flash Sale"),
    (r"reminder|pengingat", "Pengingat", "Reminder"),
)  # fmt: skip
_GREETING = re.compile(r"ucapan|greeting|selamat|wish\w*|happy")


def _thanksgiving(year: int) -> date:
    first = date(year, 11, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 21)


def event_day(pattern_name: str, fixed: tuple[int, int] | None, today: date) -> date | None:
    """The next day of a named event (None when it moves with a calendar we do not keep)."""
    for year in (today.year, today.year + 1):
        if pattern_name in ("Black Friday", "Cyber Monday"):
            extra = 1 if pattern_name == "Black Friday" else 4
            day = _thanksgiving(year) + timedelta(days=extra)
        elif fixed is not None:
            day = date(year, *fixed)
        else:
            return None
        if day >= today:
            return day
    return None


def audience(t: str) -> str | None:
    """The campaign's segment, or None when the prompt names no one."""
    if not re.search(r"pelanggan|customers?|pembeli|buyers?|subscribers?|members?|audien|"
                     r"kontak|contacts?|\blist\b|everyone|semua|orang|user", t):  # fmt: skip
        return None
    for name, pattern in _AUDIENCES:
        if re.search(pattern, t):
            return name
    return "all"


def topic(t: str, *, lang: str, discount: float | None, today: date,
          ) -> tuple[str | None, str | None, date | None]:  # fmt: skip
    """(name, event, event day) of what a campaign announces; name None when vague."""
    for pattern, name_id, name_en, fixed in EVENTS:
        if not re.search(pattern, t):
            continue
        day = event_day(name_id, fixed, today)
        year = f" {day.year}" if day else ""
        name = name_id if lang == "id" else name_en
        if _GREETING.search(t) and not re.search(r"promo|diskon|discount|sale|voucher", t):
            label = f"Ucapan {name}" if lang == "id" else f"{name} Greeting"
            return label + year, name_id, day
        return (f"Promo {name}{year}" if lang == "id" else f"{name} Promo{year}"), name_id, day
    for pattern, name_id, name_en in _TOPICS:
        if re.search(pattern, t):
            name = name_id if lang == "id" else name_en
            return name + (f" {discount:g}%" if discount else ""), None, None
    if discount:
        return (f"Diskon {discount:g}%" if lang == "id" else f"{discount:g}% Off"), None, None
    promo = re.search(r"\bpromo\s+(?!(?:ke|to|via|untuk|for|diskon|lewat|di|buat)\b)"
                      r"([a-z][a-z0-9 ]{2,24}?)(?=\s+(?:ke|to|via|untuk|for|lewat|di|buat|"
                      r"tiap|setiap|besok|dengan|with)\b|[,.]|$)", t)  # fmt: skip
    if promo and not re.search(r"\d", promo.group(1)):
        return f"Promo {promo.group(1).strip().title()}", None, None
    return None, None, None


def promo_period(t: str, *, now: datetime) -> tuple[date, date] | None:
    """The promo's own period when the prompt gives one as a range ("20-25 Desember")."""
    for mention in dates(t, now=now):
        if mention.last is not None:
            return mention.day, mention.last
    return None
