"""Text normalisation for social posts and reviews written in Indonesian, English or both.

People write "gak bagus bgt!!!", "bagusss 😍", "recommended seller 👍". Before scoring,
this module lowercases, splits words from emoji and punctuation, maps common slang and
abbreviations to one spelling, and notes emphasis (elongated letters, ALL CAPS, "!!!").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Token", "SLANG", "tokenize", "collapse_repeats"]

# Spelling variants -> one canonical form. Written for this project from everyday usage.
# fmt: off
SLANG: dict[str, str] = {
    # negation
    "gak": "tidak", "ga": "tidak", "gk": "tidak", "nggak": "tidak", "ngga": "tidak",
    "enggak": "tidak", "engga": "tidak", "tdk": "tidak", "tak": "tidak", "ndak": "tidak",
    "kagak": "tidak", "g": "tidak", "gx": "tidak", "gaada": "tidak ada", "gada": "tidak ada",
    "blm": "belum", "blum": "belum", "bkn": "bukan", "jgn": "jangan",
    # intensifiers
    "bgt": "banget", "bngt": "banget", "bgtt": "banget", "pol": "banget", "poll": "banget",
    "sngt": "sangat", "amat": "sangat",
    # everyday words
    "yg": "yang", "dgn": "dengan", "dg": "dengan", "utk": "untuk", "untk": "untuk",
    "krn": "karena", "karna": "karena", "jg": "juga", "sy": "saya", "aku": "saya",
    "gw": "saya", "gue": "saya", "sdh": "sudah", "udh": "sudah", "udah": "sudah",
    "dah": "sudah", "tp": "tapi", "tpi": "tapi", "tetapi": "tapi", "namun": "tapi",
    "bgs": "bagus", "mntp": "mantap", "mantab": "mantap", "mantul": "mantap",
    "mksh": "makasih", "makasi": "makasih", "thx": "thanks", "tks": "thanks",
    "trims": "makasih", "tq": "thanks", "ty": "thanks", "knp": "kenapa", "napa": "kenapa",
    "gmn": "gimana", "gmana": "gimana", "bgmn": "bagaimana", "brp": "berapa",
    "kpn": "kapan", "dmn": "dimana", "lg": "lagi", "lgi": "lagi", "aja": "saja",
    "sm": "sama", "bs": "bisa", "bsa": "bisa", "cpt": "cepat", "cepet": "cepat",
    "lmbt": "lambat", "lelet": "lambat", "lemot": "lambat", "brg": "barang",
    "barangnya": "barang", "pengirimannya": "pengiriman", "kurirnya": "kurir",
    "penjualnya": "penjual", "sellernya": "seller", "tokonya": "toko", "adminnya": "admin",
    "produknya": "produk", "harganya": "harga", "kualitasnya": "kualitas", "ok": "oke",
    "okay": "oke", "okey": "oke", "recomended": "recommended", "rekomended": "recommended",
    "rekomen": "recommended", "recommend": "recommended", "rekomendasi": "recommended",
    "recommended!": "recommended", "respon": "respons", "fast": "fast", "mantaap": "mantap",
    "kecewaa": "kecewa", "dtg": "datang", "nyampe": "sampai", "nyampai": "sampai",
    "sampe": "sampai", "smp": "sampai", "dikirim2": "dikirim", "bener": "benar",
    "bnr": "benar", "emg": "memang", "emang": "memang", "bnyk": "banyak", "byk": "banyak",
    "sdikit": "sedikit", "dikit": "sedikit", "pdhl": "padahal", "trus": "terus",
    "trs": "terus", "kalo": "kalau", "klo": "kalau", "kl": "kalau", "bkin": "bikin",
    "abis": "habis", "bener2": "benar", "u": "you", "ur": "your", "pls": "please",
    "plz": "please", "dont": "don't", "doesnt": "doesn't", "didnt": "didn't",
    "isnt": "isn't", "wasnt": "wasn't", "cant": "can't", "wont": "won't", "im": "i'm",
    "ngecewain": "mengecewakan", "ngecewakan": "mengecewakan", "kecewain": "mengecewakan",
    "ancur": "hancur", "bobrok": "buruk", "jelek2": "jelek", "parahh": "parah",
    "mahal2": "mahal", "murah2": "murah", "wkwk": "wkwk", "wkwkwk": "wkwk",
    "anjir": "anjir", "anjay": "anjay", "btw": "btw", "cs": "cs",
}

# fmt: on

# Words, numbers with %, emoticons, emoji (one code point each, plus modifiers), ?/!.
_TOKEN = re.compile(
    r"[:;=8xX][\-o']?[\)\(dDpP\]\[/\\|]+|<3"  # emoticons such as :) :-( ;D <3
    r"|[a-zA-Z\u00c0-\u024f]+(?:['’-][a-zA-Z]+)*\d*"  # words, don't, cepat-cepat
    r"|\d+(?:[.,]\d+)*%?"  # numbers, 10.000, 20%
    r"|[!?]+"  # emphasis and questions
    r"|[,.;]"  # clause breaks (they stop negation)
    r"|[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B50\u2764]"  # emoji
)
_REPEATS = re.compile(r"(\w)\1{2,}")
_CACHE_LIMIT = 100_000


@dataclass(slots=True, frozen=True)
class Token:
    """One unit of text: its canonical form and the emphasis it carried."""

    text: str
    raw: str
    caps: bool = False
    elongated: bool = False


def collapse_repeats(word: str, *, keep: int = 2) -> str:
    """'bagusss' -> 'baguss' (keep=2) or 'bagus' (keep=1)."""
    return _REPEATS.sub(lambda m: m.group(1) * keep, word)


def _canonical(word: str, lexicon: dict[str, float] | None) -> tuple[str, bool]:
    low = word.lower()
    if low in SLANG:
        return SLANG[low], False
    if not _REPEATS.search(low):
        return low, False
    two = collapse_repeats(low, keep=2)
    one = collapse_repeats(low, keep=1)
    for candidate in (two, one):
        if candidate in SLANG:
            return SLANG[candidate], True
        if lexicon is not None and candidate in lexicon:
            return candidate, True
    return one, True


def _word_tokens(raw: str, lexicon: dict[str, float] | None) -> tuple[Token, ...]:
    if "-" in raw and (lexicon is None or raw.lower() not in lexicon):
        # Reduplication ("cepat-cepat", "mahal-mahal") means the word itself.
        head, _, tail = raw.partition("-")
        if head.lower() == tail.lower():
            raw = head
    canon, elongated = _canonical(raw, lexicon)
    if " " in canon:
        return tuple(Token(part, raw) for part in canon.split())
    return (Token(canon, raw, caps=raw.isupper() and len(raw) > 2, elongated=elongated),)


def tokenize(
    text: str,
    *,
    lexicon: dict[str, float] | None = None,
    cache: dict[str, tuple[Token, ...]] | None = None,
) -> list[Token]:
    """Split ``text`` into canonical tokens; ``lexicon`` helps undo elongation. ``cache``
    (the caller's, always used with the same ``lexicon``) keeps each word's tokens:
    words repeat across posts."""
    tokens: list[Token] = []
    for raw in _TOKEN.findall(text):
        if not raw[0].isalpha():
            tokens.append(Token(raw, raw))
            continue
        found = cache.get(raw) if cache is not None else None
        if found is None:
            found = _word_tokens(raw, lexicon)
            if cache is not None:
                if len(cache) >= _CACHE_LIMIT:
                    cache.clear()
                cache[raw] = found
        tokens.extend(found)
    return tokens
