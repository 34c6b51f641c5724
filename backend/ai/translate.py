"""A small English -> Indonesian translator for product copy (titles, short descriptions).

Phrase table plus one grammar rule that matters in titles: Indonesian puts the noun first
("Men's Black Running Shoes" -> "Sepatu Lari Pria Hitam"). Words it does not know (brands,
model numbers, sizes) are kept as they are. The LLM path does full translation; this one
only has to be good enough to list a product.
"""

from __future__ import annotations

import re

__all__ = ["translate_en_id", "translate_title_en_id"]

# fmt: off
_PHRASES: dict[str, str] = {
    "made of": "terbuat dari", "made from": "terbuat dari", "perfect for": "cocok untuk",
    "suitable for": "cocok untuk", "great for": "cocok untuk", "ideal for": "ideal untuk",
    "daily use": "pemakaian sehari-hari", "everyday use": "pemakaian sehari-hari",
    "free shipping": "gratis ongkir", "available in": "tersedia dalam",
    "high quality": "berkualitas tinggi", "best seller": "terlaris", "new arrival": "produk baru",
    "limited edition": "edisi terbatas", "easy to clean": "mudah dibersihkan",
    "easy to use": "mudah digunakan", "long lasting": "tahan lama", "long-lasting": "tahan lama",
    "stainless steel": "baja tahan karat", "running shoes": "sepatu lari",
    "sports shoes": "sepatu olahraga", "t-shirt": "kaos", "t shirt": "kaos",
    "phone case": "casing HP", "power bank": "power bank", "water bottle": "botol minum",
    "face wash": "sabun cuci muka", "skin care": "perawatan kulit", "hand made": "buatan tangan",
    "handmade": "buatan tangan", "one size": "satu ukuran", "fast charging": "pengisian cepat",
    "non-slip": "anti selip", "anti-slip": "anti selip", "for men": "untuk pria",
    "for women": "untuk wanita", "for kids": "untuk anak", "with": "dengan", "and": "dan",
    "or": "atau", "for": "untuk", "the": "", "a": "", "an": "", "of": "", "in": "dalam",
    "is": "", "are": "", "very": "sangat", "this": "ini", "our": "kami", "your": "Anda",
    "you": "Anda", "comfortable": "nyaman", "lightweight": "ringan", "light": "ringan",
    "breathable": "menyerap keringat", "waterproof": "tahan air", "durable": "awet",
    "soft": "lembut", "strong": "kuat", "original": "original", "new": "baru",
    "premium": "premium", "elegant": "elegan", "stylish": "stylish", "simple": "simpel",
    "portable": "portabel", "wireless": "nirkabel", "adjustable": "bisa diatur",
    "foldable": "lipat", "small": "kecil", "large": "besar", "big": "besar", "mini": "mini",
    "thick": "tebal", "thin": "tipis", "warm": "hangat", "cool": "sejuk", "fresh": "segar",
    "natural": "alami", "organic": "organik", "halal": "halal", "men's": "pria", "mens": "pria",
    "men": "pria", "women's": "wanita", "womens": "wanita", "women": "wanita", "ladies": "wanita",
    "kids": "anak", "kid's": "anak", "children's": "anak", "baby": "bayi", "unisex": "unisex",
    "shoes": "sepatu", "shoe": "sepatu", "sneakers": "sneakers", "sandals": "sandal",
    "shirt": "kemeja", "dress": "gaun", "jacket": "jaket", "pants": "celana",
    "trousers": "celana", "shorts": "celana pendek", "skirt": "rok", "hat": "topi",
    "cap": "topi", "bag": "tas", "backpack": "ransel", "wallet": "dompet", "watch": "jam tangan",
    "glasses": "kacamata", "socks": "kaus kaki", "hijab": "hijab", "scarf": "syal",
    "bottle": "botol", "cup": "gelas", "mug": "mug", "plate": "piring", "bowl": "mangkuk",
    "spoon": "sendok", "pan": "wajan", "pot": "panci", "lamp": "lampu", "chair": "kursi",
    "table": "meja", "pillow": "bantal", "blanket": "selimut", "towel": "handuk",
    "soap": "sabun", "shampoo": "sampo", "perfume": "parfum", "cream": "krim",
    "charger": "charger", "cable": "kabel", "speaker": "speaker", "earphones": "earphone",
    "headphones": "headphone", "keyboard": "keyboard", "mouse": "mouse", "coffee": "kopi",
    "tea": "teh", "snack": "camilan", "chocolate": "cokelat", "black": "hitam",
    "white": "putih", "red": "merah", "blue": "biru", "navy": "navy", "green": "hijau",
    "yellow": "kuning", "pink": "merah muda", "purple": "ungu", "grey": "abu-abu",
    "gray": "abu-abu", "brown": "cokelat", "orange": "oranye", "gold": "emas",
    "silver": "perak", "cotton": "katun", "leather": "kulit", "wood": "kayu",
    "wooden": "kayu", "plastic": "plastik", "glass": "kaca", "metal": "logam", "silk": "sutra",
    "wool": "wol", "mesh": "mesh", "denim": "denim", "rubber": "karet", "size": "ukuran",
    "sizes": "ukuran",
    "color": "warna", "colour": "warna", "colors": "warna", "pack": "pak", "set": "set",
    "piece": "buah", "pieces": "buah", "pcs": "pcs", "sale": "promo", "discount": "diskon",
    "price": "harga", "quality": "kualitas", "style": "gaya", "design": "desain",
    "gift": "hadiah", "home": "rumah", "kitchen": "dapur", "office": "kantor",
    "outdoor": "luar ruangan", "indoor": "dalam ruangan", "travel": "perjalanan",
    "sport": "olahraga", "sports": "olahraga", "running": "lari", "casual": "kasual",
    "formal": "formal", "summer": "musim panas", "everyday": "sehari-hari", "comfort": "nyaman",
}
_NOUNS = frozenset({
    "sepatu", "sepatu lari", "sepatu olahraga", "sandal", "kaos", "kemeja", "gaun", "jaket",
    "celana", "celana pendek", "rok", "topi", "tas", "ransel", "dompet", "jam tangan",
    "kacamata", "kaus kaki", "hijab", "syal", "botol", "botol minum", "gelas", "mug", "piring",
    "mangkuk", "sendok", "wajan", "panci", "lampu", "kursi", "meja", "bantal", "selimut",
    "handuk", "sabun", "sabun cuci muka", "sampo", "parfum", "krim", "charger", "kabel",
    "speaker", "earphone", "headphone", "keyboard", "mouse", "kopi", "teh", "camilan",
    "casing HP", "power bank", "sneakers",
})
_GENDER = frozenset({"pria", "wanita", "anak", "bayi", "unisex"})
_COLORS = frozenset({"hitam", "putih", "merah", "biru", "navy", "hijau", "kuning", "merah muda",
                     "ungu", "abu-abu", "cokelat", "oranye", "emas", "perak"})
_MATERIALS = frozenset({"katun", "kulit", "kayu", "plastik", "kaca", "logam", "sutra", "wol",
                        "denim", "karet", "baja tahan karat", "mesh"})
_ADJECTIVES = frozenset({"nyaman", "ringan", "menyerap keringat", "tahan air", "awet", "lembut",
                         "kuat", "baru", "elegan", "simpel", "portabel", "nirkabel", "tebal",
                         "tipis", "hangat", "alami", "organik", "berkualitas tinggi"})
# fmt: on
_KEYS = sorted(_PHRASES, key=lambda k: (-len(k.split()), -len(k)))
_PATTERN = re.compile(
    r"(?<![\w'])(" + "|".join(re.escape(k) for k in _KEYS) + r")(?![\w'])", re.IGNORECASE
)


def _swap(match: re.Match[str]) -> str:
    return _PHRASES[match.group(1).lower()]


def _alternation(words: frozenset[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_HEADS = _alternation(_NOUNS | _MATERIALS)
_MODIFIER_FIRST = re.compile(
    rf"\b({_alternation(_ADJECTIVES | _MATERIALS | _COLORS)}) ({_HEADS})\b", re.IGNORECASE
)


def translate_en_id(text: str) -> str:
    """Phrase-by-phrase translation of a sentence; "breathable cotton" -> "katun ..."."""
    out = _PATTERN.sub(_swap, text)
    for _ in range(2):  # "stainless steel water bottle": material, then noun
        out = _MODIFIER_FIRST.sub(lambda m: f"{m.group(2)} {m.group(1)}", out)
    out = re.sub(r"\s{2,}", " ", out).strip()
    out = re.sub(r"\s+([,.!?;:])", r"\1", out)
    return re.sub(r"(^|[.!?]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), out)


def translate_title_en_id(title: str) -> str:
    """A product title, reordered the Indonesian way: noun, who for, qualities, colour."""
    pieces: list[str] = []
    pos = 0
    for match in _PATTERN.finditer(title):
        pieces += title[pos : match.start()].split()
        if _PHRASES[match.group(1).lower()]:
            pieces.append(_PHRASES[match.group(1).lower()])
        pos = match.end()
    pieces += title[pos:].split()
    pieces = [p.removeprefix("untuk ") for p in pieces]
    translated = set(_PHRASES.values()) | {p.removeprefix("untuk ") for p in _PHRASES.values()}
    lead = 0
    while lead < len(pieces) and pieces[lead] not in translated:
        lead += 1  # a brand and model name come first and stay first
    brand, pieces = pieces[:lead], pieces[lead:]
    tail: list[str] = []
    if "ukuran" in pieces:  # "size 42" stays together, at the end
        at = pieces.index("ukuran")
        tail, pieces = pieces[at : at + 2], pieces[:at] + pieces[at + 2 :]
    nouns = [p for p in pieces if p in _NOUNS]
    gender = [p for p in pieces if p in _GENDER]
    colors = [p for p in pieces if p in _COLORS]
    qualities = [p for p in pieces if p in translated and p not in (*nouns, *gender, *colors)]
    others = [p for p in pieces if p not in translated]
    ordered = brand + nouns + gender + qualities + colors + others + tail
    words = " ".join(ordered).split()
    return " ".join(w if w.isupper() or any(c.isdigit() for c in w) else w.capitalize()
                    for w in words)  # fmt: skip
