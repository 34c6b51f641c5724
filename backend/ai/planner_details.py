"""Workflow details a prompt may add beyond the core facts: image size, tone, "without
AI", "stock only", report period, alert thresholds, social handles.

Both planner engines read these from the prompt the same way (the LLM's structured answer
carries only the core facts of a :class:`~backend.ai.planner_reading.Reading`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from backend.ai.planner_extract import handles
from backend.ai.planner_text import normalize

__all__ = ["Details", "details"]


@dataclass(slots=True)
class Details:
    """Optional details; empty values mean "not said"."""

    image_size: tuple[int, int] | None = None
    image_quality: int | None = None
    image_format: str | None = None
    tone: str | None = None
    no_ai: bool = False
    no_images: bool = False
    no_auto_reply: bool = False
    auto_reply: bool = False
    only_stock: bool = False
    only_price: bool = False
    translate: bool = False
    period: str | None = None
    spike_threshold: float | None = None
    negative_threshold: float | None = None
    volume_threshold: int | None = None
    handles: list[str] = field(default_factory=list)
    text: str = ""
    more_platforms: bool = False  # "Shopee dan marketplace lainnya": some left unnamed


def details(text: str) -> Details:
    """The details ``text`` (a prompt as typed) states."""
    t = normalize(text)
    out = Details(handles=handles(text), text=text)
    size = re.search(r"(\d{3,4})\s*[x×]\s*(\d{3,4})", t) or re.search(r"(\d{3,4})\s*px\b", t)
    if size:
        width = int(size.group(1))
        out.image_size = (width, int(size.group(2)) if size.lastindex == 2 else width)
    quality = re.search(r"(?:kualitas|quality|q)\s*(\d{2,3})\b", t)
    if quality and int(quality.group(1)) <= 100:
        out.image_quality = int(quality.group(1))
    fmt = re.search(r"\b(webp|jpe?g|png)\b", t)
    if fmt:
        out.image_format = "jpeg" if fmt.group(1).startswith("jp") else fmt.group(1)
    for tone, pattern in (("friendly_urgent", r"urgent|mendesak|fomo|terbatas"),
                          ("formal", r"formal|resmi|sopan"),
                          ("friendly", r"friendly|ramah|santai|casual|akrab")):  # fmt: skip
        if re.search(pattern, t):
            out.tone = tone
            break
    out.no_ai = bool(re.search(r"(?:tanpa|without|no|jangan pakai)\s+ai\b", t))
    out.no_images = bool(re.search(r"(?:tanpa|without|no|kecuali)\s+(?:gambar|images?|foto)", t))
    out.no_auto_reply = bool(re.search(r"(?:tanpa|without|no|jangan)\s+(?:auto[- ]?(?:reply|"
                                       r"response|balas)|balas otomatis)", t))  # fmt: skip
    out.auto_reply = bool(re.search(r"auto[- ]?repl|balas otomatis|bales otomatis|"
                                    r"auto[- ]?respon", t))  # fmt: skip
    out.only_stock = bool(re.search(r"(?:hanya|cuma|only)\s+(?:update\s+)?(?:stok|stock|"
                                    r"inventory)|(?:stok|stock|inventory)\s+(?:saja|aja|only)|"
                                    r"\bupdate stok\b(?!.*harga)|\bsync stok\b(?!.*harga)", t))
    out.only_price = bool(re.search(r"(?:hanya|cuma|only)\s+(?:update\s+)?(?:harga|prices?)|"
                                    r"(?:harga|prices?)\s+(?:saja|aja|only)|"
                                    r"\b(?:update|ubah|naik\w*|turun\w*|change|lower\w*|raise\w*|"
                                    r"reduce\w*|increase\w*|perbarui)\s+(?:\w+\s+){0,2}"
                                    r"(?:harga|prices?)\b(?!.*(?:stok|stock|foto|photo))|"
                                    r"\b(?:diskon|discount|potongan)\s+\d+\s*%\s+(?:untuk\s+|for\s+)?"
                                    r"(?:semua|all)\b(?!.*(?:stok|stock|foto|photo))", t))
    out.only_price = out.only_price and not out.only_stock
    out.more_platforms = bool(re.search(
        r"\b(?:marketplace|toko|channel|platform|sosmed|medsos)\w* (?:lain(?:nya)?|lain-lain)\b|"
        r"\bother (?:marketplaces|channels|stores|shops|platforms|networks)\b|\bdll\b|\betc\b|"
        r"\band more\b|\bdan lain-lain\b|\bdsb\b|\btermasuk\b|\bincluding\b|"
        r"\ball[- ](?:sales[- ])?(?:channels?|marketplaces?|platforms?|stores?|shops?)\b|"
        r"\ball (?:my|our|the) (?:\w+ )?(?:channels|marketplaces|platforms|stores|shops)\b|"
        r"\bsemua (?:marketplace|channel|kanal|toko|platform|olshop|sosmed|medsos)", t))
    out.translate = bool(re.search(r"terjemah|translate|bahasa inggris", t))
    out.period = ("today" if re.search(r"hari ini|today", t) else
                  "last_week" if re.search(r"minggu lalu|last week|mingguan|weekly", t) else
                  "last_month" if re.search(r"bulan (?:lalu|ini)|last month|bulanan|monthly|"
                                            r"this month", t) else None)  # fmt: skip
    spike = re.search(r"(\d+(?:[.,]\d+)?)\s*(?:x|kali(?: lipat)?)\b(?! sehari)", t)
    if spike and float(spike.group(1).replace(",", ".")) > 1:
        out.spike_threshold = float(spike.group(1).replace(",", "."))
    negative = re.search(r"(?:negatif|negative)\D{0,45}?(\d{1,3})\s*%|(\d{1,3})\s*%\s*(?:negatif|"
                         r"negative)", t)  # fmt: skip
    if negative:
        out.negative_threshold = int(negative.group(1) or negative.group(2)) / 100
    volume = re.search(r"(\d+)\s*(?:mention|sebutan)", t)
    if volume:
        out.volume_threshold = int(volume.group(1))
    return out
