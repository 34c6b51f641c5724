"""Facts a prompt states: counts, platforms, channels, recipients, formats, keywords.

Each extractor reads normalised text (``planner_text.normalize``) or, where case and
punctuation matter (emails, quoted keywords), the prompt as typed, and returns plain
values; which of them a workflow uses is the builders' business.
"""

from __future__ import annotations

import re

from backend.ai.planner_reading import Counts, Recipient
from backend.ai.planner_text import NUMBER, parse_number

__all__ = [
    "counts",
    "product_count_guess",
    "platform_mentions",
    "channels",
    "recipients",
    "formats",
    "keywords",
    "handles",
    "parse_number",
    "EMAIL",
]

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\d+])(\+?62|0)\s?(8\d{1,3})((?:[\s.-]?\d{2,5}){1,4})(?![\d])")
_CHAT = re.compile(
    r"(?<![\w-])(-100\d{5,13})\b|\b(?:chat(?:\s*id)?|chat_id|group|grup|channel id|id)"
    r"(?:nya)?\s*(?::|=|is|adalah|nya)?\s*(-?\d{5,15})\b"
)
_HANDLE = re.compile(r"(?<![\w@.])@([A-Za-z0-9_.]{2,30})")
_NOUNS = {
    "products": r"produk\w*|products?|items?|skus?|listings?|barang|brg|prods?|biji|artikel|"
                r"pieces|pcs|(?:new )?arrivals|varian|variants?|"
                r"best[- ]?sellers?|bestsellers?|best-selling items",
    "recipients": r"pelanggan|customers?|pembeli|subscribers?|kontak|contacts?|members?|"
                  r"orang|users?|newsletter list|email list|mailing list|nomor|buyers?|resellers?|"
                  r"dropshippers?|agen|followers?|pengikut",
    "competitors": r"kompetitor|competitors?|pesaing|rivals?|sellers? lain|other sellers|"
                   r"toko lain|toko pesaing|toko kompetitor|other (?:shops|stores)|saingan",
    "platforms": r"marketplaces?|platforms?|channels?|stores?|toko online|kanal|olshop|e-?commerce|"
                 r"(?:sosmed|medsos|media sosial|social (?:media|networks?)|social platforms?)"
                 r"(?!\s+(?:accounts?|akun|posts?|postingan|handles?))",
    "posts": r"postingan|posts?|konten|videos?",
}  # fmt: skip
_NOT_FILLER = (
    r"tiap|setiap|every|per|jam|menit|detik|hari|minggu|bulan|ke|to|via|di|on|untuk|for|dari|"
    r"from|semua|all|yang|yg|dengan|dgn|lewat|and|dan|at|in|sama|sm|vs|versus|cek|check|pantau|"
    r"monitor|track|kirim|send|watch|atau|or|x"
)
_FILLER = rf"(?:(?!(?:{_NOT_FILLER}|{'|'.join(_NOUNS.values())})\b)[a-z&-]+\s+){{0,2}}?"
_TIME_BEFORE = re.compile(r"(?:\bjam|\bpukul|\bat|@|\btiap|\bsetiap|\bevery|\bper)\s*$")


def counts(t: str) -> Counts:
    """Numbers the prompt states, by what they count."""
    found: dict[str, int] = {}
    for key, nouns in _NOUNS.items():
        for match in re.finditer(rf"(?<![\w.,/-]){NUMBER}(?:\s*|-)\+?\s*"
                                 rf"(?:of (?:our|my|the|your) )?{_FILLER}(?:{nouns})\b",
                                 t):  # fmt: skip
            value = int(parse_number(match.group(1), match.group(2)))
            if _TIME_BEFORE.search(t[: match.start()]):
                continue
            if value >= 1 and not re.match(r"\s*(?:%|x\b|star|bintang)", t[match.end(1):]):
                found.setdefault(key, value)
                break
        if key not in found:
            after = re.search(rf"\b(?:{nouns})(?:nya)?[\s(:±~]*(?:(?:aku|saya|kami|kita|gw|gue|"
                              rf"my|our)\s+)?(?:(?:cuma|hanya|cuman|only|just|ada)\s+)?"
                              rf"(?:ada|sekitar|kurang lebih|total|"
                              rf"sebanyak|sejumlah|around|about|approx\.?)?[\s(:±~]*{NUMBER}"
                              rf"(?!\s*(?:%|menit|jam|hari|x\b|bulan|minggu))", t)  # fmt: skip
            if after and key == "products":
                found[key] = int(parse_number(after.group(1), after.group(2)))
    if "products" not in found:  # "our Shopee listings ..., all 420 of them"
        them = re.search(rf"\b(?:listings?|products?|items?|skus?|produk|catalog\w*)\b[^.;]{{0,40}}"
                         rf"\b(?:all|semua)\s+{NUMBER}\s+of them\b", t)  # fmt: skip
        if them:
            found["products"] = int(parse_number(them.group(1), them.group(2)))
    if "recipients" not in found:
        listed = re.search(rf"\b(?:list|subscribers?|pelanggan|customers?|kontak|contacts?|"
                           rf"members?)\s+(?:of|sebanyak|sejumlah|total|:)\s*{NUMBER}", t)
        if listed:
            found["recipients"] = int(parse_number(listed.group(1), listed.group(2)))
    if "platforms" not in found:
        stores = re.search(r"\ball\s+(\d+)\s+of\s+(?:my|our)\s+(?:stores|shops|channels)", t)
        if stores:
            found["platforms"] = int(stores.group(1))
    return Counts(**found)


_GUESS = re.compile(
    rf"\b(?:harga|hrg|prices? (?:of|for)|for|untuk|upload|sync|sinkron\w*|pasang|push|publish|"
    rf"pantau|monitor|track|cek|check|awasi)\s+(?:my |our |the |top )?{NUMBER}\s+"
    rf"(?!(?:menit|minutes?|jam|hours?|detik|seconds?|hari|days?|minggu|weeks?|bulan|months?|"
    rf"marketplace|kompetitor|competitors?|toko|platforms?|channels?|pelanggan|customers?|x)\b)"
    rf"[a-z][a-z-]+"
)


def product_count_guess(t: str) -> int | None:
    """'harga 30 serum kami' -> 30: a count of things watched or pushed, named by what they
    are rather than 'produk' (read only when no product count was stated)."""
    match = _GUESS.search(t)
    if not match:
        return None
    value = int(parse_number(match.group(1), match.group(2)))
    return value if value >= 1 else None


# Mentions of a platform, raw (workflow-free); longest names first so "tiktok shop" wins.
_PLATFORM_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"\btiktok ?shop\b", "tiktok_shop"),
    (r"\btiktok ?ads\b|\biklan tiktok\b", "tiktok_ads"),
    (r"\b(?:facebook|fb|meta) ?ads\b|\biklan (?:facebook|fb|meta)\b", "facebook_ads"),
    (r"\bgoogle ?ads\b|\badwords\b|\biklan google\b", "google_ads"),
    (r"\b(?:instagram|ig) ?shop(?:ping)?\b", "instagram_shop"),
    (r"\b(?:facebook|fb|meta) ?shop\b|\bfacebook marketplace\b", "facebook_shop"),
    (r"\bgoogle ?shopping\b|\bmerchant cent(?:er|re)\b|\bgoogle merchant\b", "google_shopping"),
    (r"\bgoogle ?analytics\b|\bga4\b|\banalytics\b|\banalitik\b", "google_analytics"),
    (r"\bshopee\b", "shopee"), (r"\btokopedia\b", "tokopedia"), (r"\blazada\b", "lazada"),
    (r"\bblibli\b", "blibli"), (r"\bbukalapak\b", "bukalapak"), (r"\bpriceza\b", "priceza"),
    (r"\bidealo\b", "idealo"), (r"\bcrm\b", "crm"),
    (r"\b(?:our |my |own |the )?(?:website|webstore|web store|web toko|situs|own site|online "
     r"store kita|toko online sendiri|shopify|woocommerce|web)\b(?! ?(?:hosting|design|desain))"
     r"|(?<!semua )(?<!all )\btoko online (?:kami|kita|saya|sendiri)\b|"
     r"(?<!all )\bour (?:own )?(?:online )?store\b|"
     r"\bonline store (?:kami|kita)\b",
     "website"),
    (r"\bgoogle (?:sheets?|drive|docs?|meet|calendar)\b|\bgmail\b", "-"),
    (r"\btwitter\b|\bx\.com\b", "twitter"),
    (r"(?:(?<=\bdi )|(?<=\bon )|(?<=\bwatch )|(?<=\bke )|(?<=\bpada )|(?<=\bin )|(?<=\bdan )|"
     r"(?<=\band )|(?<=& )|(?<=, )|(?<=: )|(?<=\()|(?<=\bsm )|(?<=\bsama )|(?<=\bmonitor )|"
     r"(?<=\bpantau )|(?<=\bacross )|(?<=\bfrom )|(?<=\bdari )|(?<=\bawasi )|(?<=\bcek )|"
     r"(?<=\bcheck )|(?<=\btrack )|(?<=\blisten on )|(?<=\bwatch for )|(?<=\bpantau di ))"
     r"x(?![\w-])|^x(?=[ /])|\bx(?=/)", "twitter"),
    (r"\binstagram\b|\big\b", "instagram"), (r"\bfacebook\b|\bfb\b|\bmeta\b", "facebook"),
    (r"\btiktok\b", "tiktok"), (r"\byoutube\b|\byt\b", "youtube"),
    (r"\bgoogle\b", "google"),
)  # fmt: skip
_PLATFORM_RE = tuple((re.compile(p), name) for p, name in _PLATFORM_PATTERNS)


def platform_mentions(t: str) -> list[tuple[int, str]]:
    """``[(position, name)]`` of every platform named, in order; overlaps go to the longest."""
    hits = sorted(
        ((m.start(), -(m.end() - m.start()), m.end(), name)
         for pattern, name in _PLATFORM_RE for m in pattern.finditer(t)),
    )  # fmt: skip
    taken: list[tuple[int, int]] = []
    out: list[tuple[int, str]] = []
    for start, _, end, name in hits:
        if any(a <= start < b or a < end <= b for a, b in taken):
            continue
        taken.append((start, end))
        if name != "-":  # a Google product that is not a platform ("Google Sheets")
            out.append((start, name))
    return sorted(out)


_CHANNEL_PATTERNS = (
    (r"\bwhatsapp\b", "whatsapp"), (r"\btelegram\b", "telegram"),
    (r"\bemails?\b|\bemailed\b|\bmail\b|\binbox\b", "email"),
    (r"\bsms\b|\btext messages?\b|\btext(?:ing)?\s+(?:all|our|my|every|them|each|\d)", "sms"),
)  # fmt: skip


def channels(t: str) -> list[str]:
    """Message channels named, in order of first mention."""
    hits = sorted((m.start(), name) for p, name in _CHANNEL_PATTERNS for m in re.finditer(p, t))
    return list(dict.fromkeys(name for _, name in hits))


def _phone(country: str, prefix: str, rest: str) -> str | None:
    digits = prefix + re.sub(r"\D", "", rest)
    return f"+62{digits}" if 9 <= len(digits) <= 13 else None


def recipients(text: str, t: str) -> list[Recipient]:
    """People the prompt names as receivers: emails, phones (+62...), Telegram chats."""
    found: list[Recipient] = [Recipient(channel="email", address=e) for e in EMAIL.findall(text)]
    no_email = EMAIL.sub(" ", text)
    low = no_email.lower()
    for m in _PHONE.finditer(no_email):
        phone = _phone(m.group(1), m.group(2), m.group(3))
        if phone is None:
            continue
        before = low[max(0, m.start() - 40) : m.start()]
        sms = before.rfind("sms") > max(before.rfind("wa"), before.rfind("whatsapp"))
        found.append(Recipient(channel="sms" if sms else "whatsapp", phone=phone))
    for m in _CHAT.finditer(low):
        chat = m.group(1) or m.group(2)
        if not chat or ("telegram" not in t and not chat.startswith("-100")):
            continue
        if not any(r.phone and chat.lstrip("-") in r.phone for r in found):
            if not re.fullmatch(r"0?8\d+", chat):
                found.append(Recipient(channel="telegram", chat_id=chat))
    for m in re.finditer(r"(?:telegram|tele|channel|grup|group)\s+(?:\w+\s+)?(@[a-z0-9_]{4,32})",
                         low):  # fmt: skip
        found.append(Recipient(channel="telegram", chat_id=m.group(1)))
    # "kirim ke tele 123123123": a bare id right after the Telegram word (never a phone)
    for m in re.finditer(r"\btelegram\s+(?:(?:ke|to|chat|grup|group|id|:)\s*){0,2}(-?\d{5,15})\b",
                         t):  # fmt: skip
        chat = m.group(1)
        if not re.match(r"-?(?:0|62)8", chat):
            found.append(Recipient(channel="telegram", chat_id=chat))
    unique: dict[tuple[str, str], Recipient] = {}
    for r in found:
        unique.setdefault((r.channel, r.address or r.phone or r.chat_id or ""), r)
    return list(unique.values())


def formats(t: str) -> list[str]:
    """Report formats named: pdf, excel, dashboard."""
    out = []
    for name, pattern in (("pdf", r"\bpdf\b"), ("excel", r"\bexcel\b|\bxlsx?\b|\bspreadsheet\b|"
                                                         r"\bgoogle sheets?\b"),
                          ("dashboard", r"\bdashboard\b|\bdasbor\b")):  # fmt: skip
        if re.search(pattern, t):
            out.append(name)
    return out


_QUOTED = re.compile(r"(?:(?<=^)|(?<=[\s(:,/]))[\"“‘'`]([^\"“”‘’'\n`]{2,60}?)[\"”’'`]"
                     r"(?=[\s,.;:)!?/]|$)")  # fmt: skip
_HASHTAG = re.compile(r"(?<![\w#])#\w{2,60}")
_BRAND = re.compile(
    r"\b(?:brand|merek|merk|toko|mentions? of|about|soal|tentang|terkait|mengenai|sebut(?:an)?|"
    r"nyebut(?:in)?|menyebut(?:kan)?|disebut|mention)\s+(?:kami|kita|saya|our|my|aku|gw|akun)?"
    r"\s*,?\s*"
    r"([A-Z][\w&.-]*[a-z0-9][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,2})"
    r"|\b([A-Z][a-z0-9]+[A-Z][\w&.-]*)\s+(?:mentions?|sentiment|brand)\b"
    r"|\b(?:brand|merek|merk)\s+([a-z][a-z0-9&.-]{3,})(?=\s+(?:di|on|in|dan|and|&|,|tiap|setiap|"
    r"every|$))"
)


_LISTED = re.compile(
    r"\b(?:kata kunci|keywords?|mentions? of|menyebut|sebutan)\s*:?\s*([\w#@ ,&'.-]+?)"
    r"(?=\s+(?:di|on|in|at|lalu|then|tiap|setiap|every|kirim\w*|send|alert\w*|with|dengan|"
    r"jika|kalau|kalo|if|via|dan kirim|and send)\b|[.;]|$)",
    re.IGNORECASE,
)


_NOT_BRANDS = re.compile(
    r"^(?:our|my|the|kami|kita|saya|aku|sendiri|lokal|local|baru|new|ini|this|shopee|tokopedia|tokped|lazada|blibli|tiktok|instagram|"
    r"twitter|facebook|youtube|google|ig|fb|x)\b", re.IGNORECASE
)


# "We handle PR for 'Mama Bakery' - track #mamabakery": the agency's client, named before
# the tags it wants watched
_CLIENT = re.compile(r"\b(?:pr|public relations|clients?|klien|on behalf of|atas nama)\s+"
                     r"(?:for\s+|untuk\s+|kami\s+|our\s+)?$", re.IGNORECASE)


def keywords(text: str) -> list[str]:
    """Brands, hashtags, handles and phrases to watch: quoted, '#tags', '@names', 'brand
    NusaGadget', 'kata kunci kopiku, kopi susu'."""
    quoted = [(m.group(1).strip(), _CLIENT.search(text[: m.start()]) is not None)
              for m in _QUOTED.finditer(text)]  # fmt: skip
    found = [q for q, _ in quoted]
    inside = " ".join(found).lower()
    found += [h for h in _HASHTAG.findall(text) if h.lower() not in inside]
    found += [h for h in handles(text) if h.lower() not in inside and not re.search(
        rf"(?:telegram|tele|channel|grup|group)\s+(?:\w+\s+)?{re.escape(h)}", text, re.I)]
    brands = [(m.group(1) or m.group(2) or m.group(3)).rstrip(".,") for m in _BRAND.finditer(text)]
    found += [b for b in brands if not _NOT_BRANDS.match(b) and b.lower() not in inside]
    if not found:
        listed = _LISTED.search(EMAIL.sub(" ", text))
        if listed:
            parts = re.split(r",|\bdan\b|\band\b|\bor\b|\batau\b|&", listed.group(1))
            found += [p.strip(" .'") for p in parts
                      if 1 < len(p.strip(" .'")) and len(p.split()) <= 3]  # fmt: skip
    clients = {q for q, client in quoted if client and text.count(q) == 1}
    tags = [k for k in found if k not in clients]
    if clients and tags and all(k.startswith(("#", "@")) for k in tags):
        found = tags  # the hashtags to watch are listed: the client's name is not one of them
    unique: dict[str, str] = {}
    for k in found:
        if k and not EMAIL.fullmatch(k):
            unique.setdefault(k.lower(), k)
    return list(unique.values())


def handles(text: str) -> list[str]:
    """Social handles written as @name (never an email address)."""
    return ["@" + h.rstrip(".") for h in _HANDLE.findall(EMAIL.sub(" ", text))]
