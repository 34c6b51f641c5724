"""Facts a prompt states: counts, platforms, channels, pricing rules, recipients, keywords.

Each extractor reads lowercase text and returns plain values; the planner decides what
they mean for the workflow it picked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from backend.ai import planner_vocab as vocab

__all__ = ["Facts", "extract_facts", "parse_number"]

_NUM = r"(\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d+)?)\s*(rb|ribu|k|jt|juta|m)?\b"
_SCALE = {"rb": 1_000, "ribu": 1_000, "k": 1_000, "jt": 1_000_000, "juta": 1_000_000,
          "m": 1_000_000}  # fmt: skip
_NOUNS = {
    "products": r"produk|products?|items?|sku|barang",
    "customers": r"pelanggan|customers?|pembeli|kontak|contacts?|subscribers?|member",
    "accounts": r"akun|accounts?",
    "platforms": r"platforms?|kanal penjualan",
    "marketplaces": r"marketplaces?|e-?commerce",
    "competitors": r"kompetitor|competitors?|pesaing",
    "sources": r"sources?|sumber(?: data)?",
}
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w-])(\+?62\d{8,13}|08\d{8,12})\b")
_CHAT = re.compile(r"(?<![\w])(-100\d{6,13})\b")
_HANDLE = re.compile(r"(?<![\w@])@([a-z0-9_.]{2,30})")
_QUOTED = re.compile(r"[\"“”']([^\"“”']{2,60})[\"“”']")


def parse_number(text: str, unit: str | None = None) -> float:
    """'10.000' and '10,000' -> 10000; '1,5' -> 1.5; '10rb' -> 10000; '2 juta' -> 2e6."""
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", text):
        value = float(re.sub(r"[.,]", "", text))
    else:
        value = float(text.replace(",", "."))
    return value * _SCALE.get(unit or "", 1)


@dataclass(slots=True)
class Facts:
    """Everything the extractors found; empty values mean "not said"."""

    counts: dict[str, int] = field(default_factory=dict)
    platforms: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    undercut_percent: float | None = None
    match_lowest: bool = False
    monitor_only: bool = False
    min_margin_percent: float | None = None
    max_discount_percent: float | None = None
    discount_range: str | None = None
    rate_per_minute: int | None = None
    formats: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    chat_ids: list[str] = field(default_factory=list)
    handles: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    tone: str | None = None
    image_size: tuple[int, int] | None = None
    image_quality: int | None = None
    image_format: str | None = None
    negations: set[str] = field(default_factory=set)
    mentions_ai: bool = False


def _counts(t: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for key, nouns in _NOUNS.items():
        match = re.search(rf"{_NUM}\s*\+?\s*(?:\w+\s)?(?:{nouns})\b", t)
        if match:
            found[key] = int(parse_number(match.group(1), match.group(2)))
    return found


def _ordered(t: str, aliases: dict[str, str]) -> list[str]:
    hits = sorted(
        (m.start(), -m.end(), name)
        for pattern, name in aliases.items()
        for m in re.finditer(pattern, t)
    )
    seen: list[str] = []
    taken: list[tuple[int, int]] = []
    for start, neg_end, name in hits:
        # "tiktok shop" also matches "tiktok": the longest match at a position wins.
        if any(a <= start < b for a, b in taken):
            continue
        taken.append((start, -neg_end))
        if name not in seen:
            seen.append(name)
    return seen


def _percent(t: str, pattern: str) -> float | None:
    """The first percentage ``pattern`` captures (an int when whole)."""
    match = re.search(pattern, t)
    if not match:
        return None
    value = float(match.group(1).replace(",", "."))
    return int(value) if value.is_integer() else value


def extract_facts(text: str) -> Facts:
    """Read every fact the offline planner understands from ``text``."""
    t = text.lower()
    no_email_t = _EMAIL.sub(" ", t)
    facts = Facts(counts=_counts(no_email_t))
    facts.platforms = _ordered(no_email_t, vocab.PLATFORM_ALIASES)
    facts.channels = _ordered(no_email_t, vocab.CHANNEL_ALIASES)
    pct = r"(\d+(?:[.,]\d+)?)\s*(?:%|persen|percent)"
    facts.undercut_percent = _percent(
        t,
        rf"(?<!jangan )(?<!jgn )(?<!don't )(?<!not )"
        rf"(?:turunkan|turunin|potong|undercut|lower|cut|kurangi|lebih murah)"
        rf"(?:(?!margin|diskon|discount)\D){{0,30}}?{pct}",
    ) or _percent(t, rf"{pct}\s*(?:lebih murah|di ?bawah|below|under|cheaper)")
    facts.match_lowest = bool(re.search(r"samakan|match(?:ing)? the lowest|sama dengan", t))
    facts.monitor_only = bool(
        re.search(
            r"hanya (?:pantau|monitor)|cuma (?:pantau|monitor)|jangan ubah harga|"
            r"(?:monitor|track) only|do not (?:change|adjust)|don't (?:change|adjust)",
            t,
        )
    )
    facts.min_margin_percent = _percent(
        t, rf"margin\s*(?:minimal|minimum|min\.?|paling sedikit|at least|of at least)?\s*{pct}"
    ) or _percent(t, rf"(?:minimum|min\.?|minimal)\s*margin\s*(?:of\s*)?{pct}")
    facts.max_discount_percent = (
        _percent(
            t,
            rf"(?:diskon|discount|potongan)\s*(?:maksimal|maksimum|max\.?|paling besar|at most|"
            rf"up to|hingga|sampai)\s*{pct}",
        )
        or _percent(t, rf"(?:maximum|max\.?|maksimal)\s*(?:diskon|discount)\s*(?:of\s*)?{pct}")
        or _percent(t, rf"(?:up to|hingga|sampai|maks\.?|max\.?)\s*{pct}\s*(?:diskon|discount|off)")
    )
    span = re.search(
        r"(?:diskon|discount|potongan|off)?\s*(\d{1,2})\s*(?:-|–|sampai|s/d|to)\s*"
        r"(\d{1,2})\s*(?:%|persen)",
        t,
    )
    if span:
        facts.discount_range = f"{span.group(1)}-{span.group(2)}%"
    rate = re.search(
        r"(\d[\d.,]*)\s*(?:pesan|messages?|msg|kirim(?:an)?)?\s*(?:/|per|tiap|"
        r"setiap|every|a)\s*(menit|minute|min|detik|second|jam|hour)\b",
        t,
    )
    if rate:
        per = {"menit": 1, "minute": 1, "min": 1, "detik": 1 / 60, "second": 1 / 60,
               "jam": 60, "hour": 60}[rate.group(2)]  # fmt: skip
        facts.rate_per_minute = max(1, round(parse_number(rate.group(1)) / per))
    facts.formats = [f for f, p in (("pdf", r"\bpdf\b"), ("excel", r"excel|xlsx|spreadsheet"),
                                    ("dashboard", r"dashboard|dasbor"), ("csv", r"\bcsv\b"))
                     if re.search(p, t)]  # fmt: skip
    facts.emails = _EMAIL.findall(text)
    facts.phones = _PHONE.findall(t)
    facts.chat_ids = _CHAT.findall(t)
    facts.handles = ["@" + h.rstrip(".") for h in _HANDLE.findall(no_email_t)]
    facts.keywords = [q.strip() for q in _QUOTED.findall(text)]
    kw = re.search(
        r"(?:kata kunci|keywords?|mentions? of|menyebut|tentang|about)\s*:?\s*"
        r"([\w#@ ,.-]+?)(?=\s+(?:di|on|in|lalu|then|tiap|setiap|every|kirim\w*|send|"
        r"alert\w*|with|dengan|jika|kalau|if)\b|[.;]|$)",
        text,
        flags=re.IGNORECASE,
    )
    if kw and not facts.keywords:
        parts = [k.strip(" .") for k in re.split(r",|\bdan\b|\band\b|\bor\b|\batau\b", kw.group(1))]
        facts.keywords = [k for k in parts if 1 < len(k) and len(k.split()) <= 3]
    for tone, pattern in (("friendly_urgent", r"urgent|mendesak|segera|fomo|terbatas"),
                          ("formal", r"formal|resmi|sopan"),
                          ("friendly", r"friendly|ramah|santai|casual|akrab")):  # fmt: skip
        if re.search(pattern, t):
            facts.tone = tone
            break
    size = re.search(r"(\d{3,4})\s*[x×]\s*(\d{3,4})", t)
    if size:
        facts.image_size = (int(size.group(1)), int(size.group(2)))
    quality = re.search(r"(?:kualitas|quality|q)\s*(\d{2,3})\b", t)
    if quality and int(quality.group(1)) <= 100:
        facts.image_quality = int(quality.group(1))
    fmt = re.search(r"\b(webp|jpe?g|png)\b", t)
    if fmt:
        facts.image_format = "jpeg" if fmt.group(1).startswith("jp") else fmt.group(1)
    for name, pattern in (("images", r"(?:tanpa|without|no|kecuali)\s+(?:gambar|images?|foto)"),
                          ("auto_response", r"(?:tanpa|without|no|jangan)\s+(?:auto[- ]?(?:reply|"
                                            r"response|balas)|balas otomatis)"),
                          ("ai", r"(?:tanpa|without|no)\s+ai\b")):  # fmt: skip
        if re.search(pattern, t):
            facts.negations.add(name)
    facts.mentions_ai = bool(re.search(r"\bai\b|\bllm\b|kecerdasan buatan|gpt", t))
    return facts
