"""Word lists the sentiment rules use: negation, intensity, contrast, intents, languages.

Indonesian lists were written for this project; English ones extend VADER's (imported
from the installed package, MIT) with the words shoppers use.
"""

from __future__ import annotations

import functools

__all__ = ["Rules", "load_rules"]


class Rules:
    """Frozen sets of cue words, built once (see :func:`load_rules`)."""

    def __init__(self) -> None:
        from vaderSentiment.vaderSentiment import BOOSTER_DICT, NEGATE

        # fmt: off

        # "kurang bagus" = not good; "tanpa cacat" = without defects.
        self.negators = frozenset(
            {"tidak", "bukan", "belum", "jangan", "kurang", "tanpa", "no", "not", "never",
             "nothing", "without", "nor", "n't"}
            | {w.replace("'", "") for w in NEGATE} | set(NEGATE)
        )
        # "tidak hanya bagus" = not only good: no negation.
        self.negation_breakers = frozenset({"hanya", "cuma", "cuman", "only", "just", "sekedar"})
        english_boost = {w for w, v in BOOSTER_DICT.items() if v > 0 and " " not in w}
        english_damp = {w for w, v in BOOSTER_DICT.items() if v < 0 and " " not in w}
        self.pre_boosters = frozenset(
            {"sangat", "super", "paling", "terlalu", "amat", "begitu", "sungguh", "benar",
             "bener", "sangatlah", "makin", "semakin", "tambah"} | english_boost
        )
        # Indonesian puts intensity after the word: "bagus banget", "jelek parah".
        self.post_boosters = frozenset(
            {"banget", "sekali", "parah", "pol", "abis", "bingits", "bener", "bgt"}
        )
        self.strong_post = frozenset({"banget", "sekali", "parah", "pol", "bingits"})
        self.dampers = frozenset(
            {"agak", "sedikit", "cukup", "lumayan", "rada", "kurang", "somewhat", "slightly"}
            | english_damp
        )
        self.contrast = frozenset({"tapi", "but", "however", "sayangnya", "unfortunately"})
        # Words that open a question even without "?" (yes/no openers need the "?").
        self.question_openers = frozenset(
            {"apa", "apakah", "kapan", "berapa", "bagaimana", "gimana", "kenapa", "mengapa",
             "dimana", "bisakah", "bolehkah", "adakah", "how", "what", "when", "where", "why",
             "which"}
        )
        # Cues that make even a neutral-sounding post a complaint.
        self.strong_complaint = frozenset(
            {"refund", "retur", "komplain", "complaint", "return", "kembalikan", "balikin"}
        )
        self.complaint_cues = frozenset(
            {"refund", "retur", "komplain", "rusak", "cacat", "penipu", "penipuan", "tipu",
             "nipu", "menipu", "ditipu", "palsu", "kecewa", "mengecewakan", "lambat", "telat",
             "terlambat", "belum", "hilang", "salah", "pecah", "bocor", "scam", "fraud",
             "broken", "late", "delayed", "missing", "damaged", "refunded", "return",
             "complaint", "worst", "fake", "never", "waiting", "wrong", "defective", "cancel",
             "batal", "kembalikan", "balikin", "uang", "kapok", "zonk", "sampah", "error",
             "lama", "respons", "dibalas", "disappointed", "luntur", "robek", "sobek", "bau",
             "jelek", "buruk", "kotor", "penyok", "ghosting", "defect", "cracked"}
        )
        self.praise_cues = frozenset(
            {"mantap", "bagus", "recommended", "puas", "makasih", "thanks", "thank", "love",
             "keren", "terbaik", "best", "great", "awesome", "excellent", "amazing", "perfect",
             "suka", "senang", "top", "sip", "amanah", "ramah", "cepat", "sukses", "good",
             "nice", "happy", "worth", "juara", "memuaskan", "sempurna"}
        )
        self.emotion_en: dict[str, tuple[str, ...]] = {
            **dict.fromkeys(
                ("angry", "furious", "hate", "worst", "terrible", "scam", "fraud", "ridiculous",
                 "annoyed", "annoying", "rude", "awful", "horrible", "useless", "wtf",
                 "pathetic", "unacceptable", "stupid", "liar", "fake", "outrageous", "mad"),
                ("anger",),
            ),
            **dict.fromkeys(
                ("sad", "disappointed", "disappointing", "unhappy", "sorry", "regret", "upset",
                 "heartbroken", "miss", "lost", "broken", "cry", "crying", "poor", "bad"),
                ("sadness",),
            ),
            **dict.fromkeys(
                ("happy", "love", "great", "awesome", "excellent", "glad", "perfect", "good",
                 "delighted", "satisfied", "thanks", "thank", "best", "nice", "fantastic",
                 "wonderful", "enjoy", "recommend", "beautiful", "fast"),
                ("joy",),
            ),
            **dict.fromkeys(
                ("wow", "surprised", "unexpected", "shocked", "omg", "whoa", "unbelievable",
                 "suddenly", "shocking", "astonished", "amazed"),
                ("surprise",),
            ),
        }
        self.id_markers = frozenset(
            {"yang", "dan", "di", "ke", "dari", "ini", "itu", "saya", "kamu", "tidak", "sudah",
             "belum", "banget", "sangat", "sekali", "tapi", "ada", "kok", "sih", "dong", "deh",
             "nya", "juga", "karena", "untuk", "dengan", "barang", "pesanan", "kirim",
             "sampai", "lagi", "saja", "kalau", "mau", "bisa", "harga", "toko", "penjual",
             "kurir", "pengiriman", "kak", "gan", "min", "beli", "udah", "aja", "terus",
             "pas", "buat", "atau", "jadi", "bukan", "jangan", "kapan", "berapa", "gimana"}
        )
        self.en_markers = frozenset(
            {"the", "is", "are", "was", "were", "and", "it", "this", "that", "my", "i", "you",
             "to", "of", "for", "very", "not", "but", "with", "have", "has", "be", "so", "a",
             "an", "in", "on", "at", "do", "does", "did", "will", "would", "can", "your",
             "order", "product", "seller", "delivery", "item", "arrived", "shipping", "me",
             "we", "they", "really", "just", "what", "when", "where", "why", "how", "from"}
        )

        # fmt: on


@functools.lru_cache(maxsize=1)
def load_rules() -> Rules:
    """The process-wide rule sets, built on first use."""
    return Rules()
