"""A prompt made easy to read: lowercase, numbers as digits, common typos and slang mended.

Sellers write "dua ribu lima ratus produk", "two hundred and fifty", "10rb", "4.5k",
"shoppe", "tokped", "bsk", "tgl". :func:`normalize` turns these into one spelling so the
readers need one pattern per fact; :func:`parse_number` reads a number with either
thousands separator.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["normalize", "parse_number", "words_to_digits", "NUMBER"]

# A number as written: "10.000", "10,000", "1,5", "10rb", "4.5k", "2 juta".
NUMBER = (r"(\d{1,3}(?:[.,]\d{3})+(?![\d])|\d+(?:[.,]\d+)?)\s*(rb|ribu|k|jt|juta|thousand|"
          r"million)?(?:an)?(?![a-z])")
_SCALE = {"rb": 1_000, "ribu": 1_000, "k": 1_000, "jt": 1_000_000, "juta": 1_000_000,
          "thousand": 1_000, "million": 1_000_000}
_SCALE_WORDS = {"ribu", "juta", "thousand", "million", "ratus", "hundred"}

# fmt: off
_UNITS = {
    "nol": 0, "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6,
    "tujuh": 7, "delapan": 8, "sembilan": 9, "sepuluh": 10, "sebelas": 11,
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_FIXED = {"seratus": 100, "seribu": 1000, "sejuta": 1_000_000}
# fmt: on
_WORD = (
    r"(?:seratus|seribu|sejuta|sepuluh|sebelas|nol|satu|dua|tiga|empat|lima|enam|tujuh|"
    r"delapan|sembilan|belas|puluh|ratus|ribu|juta|zero|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|"
    r"nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|"
    r"million)"
)
_RUN = re.compile(rf"\b{_WORD}(?:(?:\s+|-)(?:and\s+)?{_WORD})*\b")

# Typos and short forms -> one spelling (word-bounded, on lowercase text).
_MENDS: tuple[tuple[str, str], ...] = (
    (r"\bshop+e+\b|\bshope\b|\bshoppee\b|\bsopi\b", "shopee"),
    (r"\btoko ?pedia\b|\btokped\b|\btoped\b", "tokopedia"),
    (r"\blazda\b|\blzd\b|\blazad\b", "lazada"),
    (r"\btiktok ?shop\b|\btik ?tok ?shop\b|\btts\b", "tiktok shop"),
    (r"\btik tok\b", "tiktok"),
    (r"\bbli ?bli\b", "blibli"),
    (r"\bbsk\b|\bbesoknya\b", "besok"),
    (r"\btgl\.?(?=\s|\d)", "tanggal"),
    (r"\bhr\b(?= ini| senin| selasa| rabu| kamis| jumat| sabtu| minggu)|(?<=tiap )hr\b|"
     r"(?<=setiap )hr\b|(?<=per )hr\b", "hari"),
    # chat short forms, so each reader needs one spelling
    (r"\bhrg\b", "harga"), (r"\bbrg\b", "barang"), (r"\byg\b", "yang"), (r"\bdgn\b", "dengan"),
    (r"\butk\b|\bbwt\b", "untuk"), (r"\bblm\b", "belum"), (r"\bbln\b", "bulan"),
    (r"\bmgg\b|\bmg\b(?= depan| ini| lalu)", "minggu"), (r"\bsblm\b", "sebelum"),
    (r"\bkpd\b", "kepada"), (r"\bdr\b", "dari"),
    (r"\bjum'?at\b", "jumat"),
    (r"\bmnt\b", "menit"),
    (r"\bdtk\b", "detik"),
    (r"\bst(?:e|n)?ngh\b|\bstgh\b|\bsetgh\b", "setengah"),
    (r"\bsetengah jam\b|\bhalf an hour\b|\bhalf-hour\b|\b1/2 jam\b|½ jam", "30 menit"),
    (r"\b1/2 hour\b|\bhalf(?: an)? hour\b", "30 minutes"),
    (r"\bhalf-hourly\b|\bhalf hourly\b", "every 30 minutes"),
    (r"\b1/4 jam\b|\bseperempat jam\b", "15 menit"),
    (r"\bquarter of an hour\b|\bquarter-hour\b", "15 minutes"),
    (r"\bmalem\b|\bmlm\b", "malam"), (r"\bpgi\b", "pagi"), (r"\bsre\b", "sore"),
    (r"\bpagi2\b", "pagi"),
    (r"\ban hour\b", "1 hour"),
    (r"\btwice a day\b|\btwice daily\b", "2x sehari"),
    # "seminggu 2x", "sehari 3 kali": the count after the period
    (r"\bseminggu (\d) ?(?:x|kali)\b", r"\1x seminggu"),
    (r"\bsehari (\d) ?(?:x|kali)\b", r"\1x sehari"),
    (r"\bsejam\b", "1 jam"),
    (r"\bthrice a day\b", "3x sehari"),
    (r"\b(\d) ?(?:x|kali|times) (?:sehari|a day|per day|daily)\b", r"\1x sehari"),
    (r"\btwice (?:an|a|1|per|every) hour\b|"
     r"\b2 ?(?:x|kali|times) (?:sejam|an hour|1 hour|per hour|per jam)\b", "every 30 minutes"),
    (r"\b(?:three times|3 ?(?:x|kali|times)) (?:sejam|an hour|1 hour|per hour|per jam)\b",
     "every 20 minutes"),
    (r"\b(?:four times|4 ?(?:x|kali|times)) (?:sejam|an hour|1 hour|per hour|per jam)\b",
     "every 15 minutes"),
    (r"\bonce a day\b|\bsekali sehari\b|\bsehari sekali\b", "1x sehari"),
    (r"\be-mail\b|\be mail\b|\bsurel\b|\bimel\b|\bemial\b|\bemai\b", "email"),
    (r"\bwhats ?app?\b|\bw\.a\.?(?=\s|$)|\bwatsap+\b|\bwasap\b|\bwhatsap+\b", "whatsapp"),
    (r"\bwa\b", "whatsapp"),
    (r"\btele\b|\btelegram\b|\btelegaram\b|\btelgram\b|\btg\b", "telegram"),
    (r"\btwit+er\b|\btwiter\b", "twitter"),
    (r"\binsta\b|\binstagarm\b|\binstagram\b", "instagram"),
    (r"\byoutub\b|\byou tube\b", "youtube"),
    (r"\bgoogle shop+ing\b", "google shopping"),
    (r"\btokop\w{0,2}dia\b|\btokopedi\b|\btokpd\b", "tokopedia"),
    (r"\bplgn\b|\bpelang+an\b|\bplanggan\b", "pelanggan"),
    (r"\bcust\b|\bcustomer2\b", "customer"),
    (r"\blapran\b|\blaporn\b|\blap\.", "laporan"),
    (r"\bjm\b(?=\s*\d)", "jam"),
    (r"\bstiap\b|\bstp\b|\btiapp\b", "setiap"),
    (r"\btiap2\b|\btiap-tiap\b", "tiap"),
    (r"\bsetiap2\b", "setiap"),
    (r"\bmenit2\b", "menit"),
    (r"\bkompetitor\b|\bkompetitior\b|\bkompetiter\b", "kompetitor"),
)
_HALF_PAST = re.compile(r"\b(jam|pukul|pkl)\s+setengah\s+(\d{1,2})\b(?![.:]\d)")
_MENDS_RE = tuple((re.compile(p), r) for p, r in _MENDS)
_PAST_TO = re.compile(r"\b(half|quarter) (past|to) (\d{1,2})(?![\d.:])")


def _clock_of(m: re.Match[str]) -> str:
    hour = int(m.group(3))
    if m.group(2) == "to":
        return f"{(hour - 1) % 24 or 12}:45" if m.group(1) == "quarter" else m.group(0)
    return f"{hour}:{30 if m.group(1) == 'half' else 15}"


def _value_of(words: list[str]) -> int | None:
    """Indonesian or English number words -> the number ("tiga ratus lima puluh" = 350)."""
    total = hundreds = last = 0
    for word in words:
        if word == "and":
            continue
        if word in _UNITS:
            last += _UNITS[word]
        elif word == "belas":
            last += 10
        elif word == "puluh":
            last *= 10
        elif word in ("ratus", "hundred"):
            hundreds += max(last, 1) * 100
            last = 0
        elif word in _FIXED and _FIXED[word] == 100:
            hundreds += 100
        elif word in _FIXED or word in ("ribu", "thousand", "juta", "million"):
            scale = 1000 if word in ("ribu", "thousand", "seribu") else 1_000_000
            total += (1 if word in _FIXED else max(hundreds + last, 1)) * scale
            hundreds = last = 0
        else:
            return None
    return total + hundreds + last


def words_to_digits(text: str) -> str:
    """'dua ribu lima ratus produk' -> '2500 produk'; 'two hundred and fifty' -> '250'."""
    text = re.sub(r"\ba (hundred|thousand)\b", r"one \1", text)

    def one(match: re.Match[str]) -> str:
        raw = match.group(0)
        words = [w for w in re.split(r"[\s-]+", raw) if w]
        if set(words) <= _SCALE_WORDS and re.search(r"\d\s*$", text[: match.start()]):
            return raw  # "8 ribu": a digit with its scale, read by NUMBER
        value = _value_of(words)
        return raw if value is None else str(value)

    return _RUN.sub(one, text)


@lru_cache(maxsize=512)  # one prompt is read by several readers; text in, text out
def normalize(text: str) -> str:
    """Lowercase ``text`` with numbers as digits and typos mended; spacing made single."""
    # "GA" in capitals is Google Analytics; lowercase "ga" is Indonesian for "not".
    text = re.sub(r"\bGA4?\b", "google analytics", text)
    t = " ".join(text.lower().replace("’", "'").replace("‘", "'").split())
    t = words_to_digits(t)
    # "jam setengah 8" is half past seven (Indonesian counts the half toward the next hour)
    t = _HALF_PAST.sub(lambda m: f"{m.group(1)} {(int(m.group(2)) - 1) % 24}.30", t)
    # "half past 9", "quarter past 9", "quarter to 9": English counts from the hour named
    t = _PAST_TO.sub(_clock_of, t)
    for pattern, repl in _MENDS_RE:
        t = pattern.sub(repl, t)
    return t


def parse_number(text: str, unit: str | None = None) -> float:
    """'10.000' and '10,000' -> 10000; '1,5' -> 1.5; '10rb' -> 10000; '4.5k' -> 4500."""
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", text):
        value = float(re.sub(r"[.,]", "", text))
    else:
        value = float(text.replace(",", "."))
    return value * _SCALE.get(unit or "", 1)
