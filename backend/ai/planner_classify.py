"""Which of the five workflows a prompt asks for, or None when none does.

A prompt that asks for harmful work or work outside the five (``planner_refusal``) is
refused first. Everything else is scored by weighted cues; quoted phrases, hashtags and
addresses are left out first so a keyword like 'refund' cannot steer the choice.
"""

from __future__ import annotations

import re

from backend.ai.planner_refusal import plain_text, refusal

__all__ = ["classify", "refusal", "CUES", "scores"]

# The seller's own shops and site, as the other side of "the same price as ..."
_OWN = (r"(?:(?:our|my|kita|kami)\s+)?(?:shopee|tokopedia|lazada|blibli|tiktok shop|website|web|"
        r"webstore|toko online|online store)\b")
_SHOP = (r"shopee|tokopedia|lazada|blibli|tiktok shop|instagram shop|facebook shop|"
         r"google shopping|google merchant|merchant center|priceza|idealo|website|webstore")
_ALL_SHOPS = (r"(?:semua|all|seluruh)\s+(?:our\s+|my\s+)?(?:toko|channel|marketplace|kanal|"
              r"stores?|shops?|channels?|marketplaces?|toko online)")
# "not competitor monitoring", "bukan pantau kompetitor": what the seller does NOT want
_NEGATED = re.compile(
    r"\b(?:not|no|bukan|tanpa|without|ga|gak|nggak|tidak)\s+(?:\w+\s+){0,1}(?:kompetitor|"
    r"competitors?|pesaing|saingan|rivals?)(?:\s+(?:monitoring|pricing|prices?|harga))?\b"
)
# Cue (regex on normalised text) -> weight, per workflow; the highest total wins.
CUES: dict[str, dict[str, float]] = {
    "price_intelligence": {
        r"kompetitor|competitor|pesaing|\brivals?\b|saingan|harga pasar|market price|"
        r"competitive|kompetitif|bersaing|price intelligence|"
        r"price monitor\w*|price track\w*|price check|price[- ]watch\w*|pricing|"
        r"perbandingan harga": 3,
        r"\b(?:pantau|monitor|track|cek|check|awasi|bandingkan|bandingin|perbandingan|compare|watch|intip|"
        r"lihat)\w*\s+"
        r"(?:\w+\s+){0,2}(?:harga|hrg|prices?)(?:nya)?\b": 3,
        r"reprice|repricing|undercut|auto[- ]?adjust": 3,
        r"\b(?:jadi|be|stay|tetap|selalu|always|masih|still)\s+(?:yang\s+|the\s+)?"
        r"(?:termurah|paling murah|"
        r"cheapest|lowest)": 3,
        r"\bmatch(?:ing)? (?:the )?(?:cheapest|lowest)\b": 3,
        r"match(?:ing)? (?:the )?lowest|samain harga|termurah|"
        r"cheapest|lowest|harga terendah|\bmargin\b|lebih murah|cheaper|paling murah|"
        r"toko lain|toko sebelah|seller lain|penjual lain|other sellers|other (?:shops|stores)": 2,
        # what competitors do, in a report, is a price watch's report (reports read own data)
        r"\bbenchmark\w*": 3,
        r"(?:kompetitor|competitors?|pesaing|rivals?)\b.{0,80}\b(?:reports?|"
        r"laporan)\b|\b(?:reports?|laporan)\b.{0,80}\b(?:kompetitor|competitors?|pesaing|"
        r"rivals?)\b": 3,
        r"\bharga(?:nya)?\b|\bhrg\b|\bprices?\b": 1,
    },
    "catalog_sync": {
        r"\b(?:di-?)?sync\w*|(?:di)?sinkron\w*|selaraskan|samakan ke|\bpush\w*(?! notif)|\bfeed\b|"
        r"(?:di)?publish\w*|(?:di-?)?upload\w*|\bdipasang|\bdiunggah|\bditayangkan|"
        r"unggah|\bpasang\w*\s+(?:\w+\s+){0,3}(?:produk|products?|katalog|barang|listing|foto)|"
        r"\blist (?:them|our|my|all)|go live|tayangkan|\bimport\w*|\bimpor\b|"
        r"\blist\s+(?:\S+\s+){0,3}(?:skus?|products?|items?|catalog\w*)\b|"
        r"\bcopy\b|\bsalin\w*|\bduplicate\b|\bclone\b|\bpindahkan|\bmigra\w+|"
        r"\breplicat\w+|\bmirror\w*|\b(?:di|men)?distribusi\w*|\bdistribut\w+|\bcross-?post\w*|"
        r"\blive on (?:shopee|tokopedia|lazada|tiktok shop|blibli|instagram shop|facebook shop|"
        r"google shopping|our website|the website)|"
        r"\blisting(?:kan)?\s+(?:\w+\s+)?(?:produk|barang|products?|items?)\b|"
        r"\b(?:update|perbarui|sync)\w*\s+(?:them|it|semua(?:nya)?|everything)\s+(?:on|di|in|"
        r"across|ke|to)\b": 3,
        r"\b(?:update|perbarui|ubah|ganti|edit|rewrite|tulis ulang|optimasi|optimi[sz]e)\w*\s+"
        r"(?:\w+\s+){0,2}(?:deskripsi|descriptions?|judul|titles?|foto|photos?|gambar|images?|"
        r"listings?|katalog|catalog)": 3,
        r"\brefresh\w*|\bperbarui\b|\bkeep\b.{0,30}\b(?:updated|in sync|synced)": 1.5,
        r"\b(?:kirim|push|sebar|terapkan|apply)\w*\s+(?:\w+\s+){0,2}(?:harga|stok|stock|prices?)\b"
        r".{0,30}\b(?:ke|to)\s+(?:semua\s+|all\s+)?(?:marketplace|toko|channel|shopee|tokopedia|"
        r"lazada|blibli|tiktok|website|store)": 3,
        r"katalog|catalog|listing": 2,
        r"\bstok(?:nya)?\b|\bstock\b|inventory|inventaris|restock": 2,
        r"\b(?:di|me|meny)?(?:samakan|samain|selaraskan|sesuaikan|seragamkan|sinkronin|"
        r"balance|equali[sz]e|align)\w*\s+(?:\w+\s+){0,2}(?:stok|stock|inventory|qty)\b": 3,
        # stock that differs between the seller's own shops, to be made the same
        r"\b(?:stok|stock|inventory)\w*\b[^.;]{0,60}\b(?:beda|berbeda|selisih|differ\w*|"
        r"out of sync|mismatch\w*)\b": 3,
        r"\b(?:produk|products?|katalog|catalog|skus?|items?)\w*\s+(?:\S+\s+){0,3}(?:ke|to|onto)\s+"
        r"(?:shopee|tokopedia|lazada|tiktok shop|blibli|priceza|idealo|google shopping|"
        r"instagram shop|facebook shop|website)": 2.5,
        r"\b(?:put|place|get|make)\s+(?:\w+\s+){0,5}(?:products?|items?|catalog\w*|listings?|"
        r"collection|pieces|line|range|arrivals)\s+(?:on|onto|live)\b": 3,
        r"\b(?:update|ubah|ganti|change|adjust|raise|naik\w*|perbarui|memperbarui|revisi|"
        r"sesuaikan)\w*\s+(?:(?!kompetitor|competitor|"
        r"pesaing|rival)\w+\s+){0,4}(?:harga|stok|prices?|stock)\b|\bubah harga|\bganti harga|"
        r"\bnaik\w* harga|\bsamakan harga (?:di|ke)\b|"
        r"\bturun\w* harga semua|change (?:my |our |the )?prices|harga baru|new prices|"
        r"\bprice changes\b": 3,
        r"\bsesuai (?:file |data )?(?:excel|spreadsheet|sheet|master|"
        r"gudang|database)|"
        r"master (?:sheet|spreadsheet|data)|di excel|from (?:a |the |my |our )?(?:file |sheet|"
        r"excel|csv|spreadsheet)|dari (?:file )?(?:excel|spreadsheet|csv|sheet)": 2,
        r"\bfoto|photos?|gambar|images?|webp|resize|compress|kompres|deskripsi|descriptions?|"
        r"judul|titles?|\bseo\b|copywrit": 1.5,
        r"produk baru|new products|new collection|koleksi baru|new items|new arrivals": 1.5,
        # stock named beside the seller's own shops: what the shops show is to be kept right
        rf"^(?!.*\b(?:reports?|laporan|rekap|summary|ringkasan)\b).*?(?:"
        rf"\b(?:re)?(?:stok|stock|inventory|inventaris)\w*\b[^.;]{{0,80}}\b(?:{_SHOP}|"
        rf"{_ALL_SHOPS})\b|\b(?:{_SHOP}|{_ALL_SHOPS})\b[^.;]{{0,60}}\b(?:stok|stock|inventory)\b)":
        2,
        r"\bsame (?:products?|listings?|catalog\w*|items?|stock)\b|\b(?:produk|listing|katalog)\w*"
        r"\s+(?:yang\s+)?sama\b": 3,
        r"\bexport\w*\s+(?:\S+\s+){0,3}(?:catalog\w*|katalog|products?|produk|listings?|feed)\b|"
        rf"\b(?:launch|rilis|luncurkan|get|bring)\w*\s+(?:\S+\s+){{0,5}}(?:on|onto|di|ke)\s+"
        rf"(?:our\s+)?(?:{_SHOP})\b": 3,
        r"\bharga\b\s+(?:\S+\s+){0,3}(?:turun\w*|naik\w*|dinaikkan|diturunkan)\s+\d+(?:[.,]\d+)?"
        r"\s*%": 3,
        # a store-wide price change: the seller's own prices, pushed out
        r"\b(?:turun\w*|naik\w*|lower\w*|raise\w*|reduce\w*|increase\w*|mark ?down|cut)\s+"
        r"(?:\w+\s+){0,3}(?:harga|prices?)\b(?!\s+(?:kompetitor|competitor|pesaing))|"
        r"\b(?:diskon|discount|potongan|disc)\s+\d+(?:[.,]\d+)?\s*%\s+"
        r"(?:untuk |buat |for |on |ke )?(?:semua|all|seluruh)\s+(?:\w+\s+)?"
        r"(?:produk|products|items|barang|sku)": 3,
        # one own shop's prices made the same as another own shop's (no competitor named)
        rf"^(?!.*(?:kompetitor|competitor|pesaing|saingan|rival|termurah|cheapest|lowest)).*?"
        rf"(?:\b(?:samain|samakan|sesuaikan|selaraskan|seragamkan)\s+harga\b[^.;]{{0,60}}\b"
        rf"(?:sama|dengan|kayak|kaya|seperti|ikut\w*|mengikuti)\s+(?:harga\s+)?(?:yang\s+)?"
        rf"(?:di\s+)?{_OWN}|\b(?:harga|prices?)\b[^.;]{{0,60}}\b(?:sama|same|match\w*|identical)"
        rf"\s+(?:kayak|kaya|dengan|seperti|as|to|with)?\s*(?:the\s+)?(?:harga|prices?)?\s*"
        rf"(?:yang\s+)?(?:di|on|in)?\s*{_OWN})": 4,
    },
    "campaign": {
        r"\bkirim\w*|\bsend\b|sebar\w*|\bemail (?:our|all|semua|ke)|\bnotify\b|\binform\b|"
        r"\bumumkan|kabarkan|\bngabarin|\bmengabari|\binfokan|"
        r"\bkasih (?:tau|tahu)\s+(?:ke\s+)?(?:semua\s+)?(?:pelanggan|customers?|pembeli|member|"
        r"buyers?)|\bingatkan|\bingetin|\blet (?:our |my |all )?customers know|"
        r"\btell (?:our|all|my) customers|"
        r"\b(?:message|text|dm|whatsapp|wa|sms|email)\s+(?:our|my|all|the|every|semua|para)\b|"
        r"\blet\s+(?:our\s+|my\s+|all\s+|the\s+)?(?:\S+\s+){0,3}(?:customers?|subscribers?|"
        r"members?|buyers?|followers?|resellers?)\s+know\b": 1.5,
        # a message to buyers: whatever it carries (a catalogue, a price list), it is sent
        # (never "clients": an agency sends its client reports)
        r"\b(?:send|kirim\w*|email|whatsapp|sms|text|blast|messages?|notif\w*)\s+(?:\S+\s+){0,3}"
        r"(?:customers?|"
        r"pelanggan|buyers?|pembeli|resellers?|members?|subscribers?|konsumen)\b": 2,
        r"broadcast|\bblast\w*": 2.5,
        r"promo|campaign|kampanye|diskon|discount|voucher|\bkode\b|\bcode\b|\d+% off|\bsale\b": 2,
        r"pelanggan|customers?|pembeli|subscribers?|member|audiens|audience|reseller|"
        r"\bbuyers?\b|\bshoppers?\b|konsumen|\bklien\b|\bclients?\b|"
        r"dropshipper|followers?|pengikut|\bsegment\w*|\bsegmen\b": 2,
        r"newsletter|ucapan|greeting|selamat|thank[- ]?you|terima kasih|makasih|reminder|"
        r"pengingat|abandoned|keranjang|survey|survei|pengumuman|announce\w*|\btips\b|"
        r"ulang tahun|ultah|birthday|natal|christmas|lebaran|valentine|new year|tahun baru|"
        r"launch|re-?engage|win[- ]?back|checkout|\bremind\w*|unpaid|belum bayar|"
        r"follow[- ]?up|\bnotice\b|pemberitahuan|announcement": 2.5,
        r"personali": 1.5,
    },
    "bi_report": {
        r"laporan|\breport\b|reports|rekap|ringkasan|summary|digest|snapshot|recap": 3,
        r"dashboard|dasbor": 3,
        r"\b(?:yesterday'?s?|today'?s?|kemarin|hari ini|last week'?s?|minggu lalu|bulan lalu|"
        r"last month'?s?)\s+(?:sales|penjualan|orders|pesanan|revenue|omzet|omset|numbers|figures)|"
        r"\b(?:send|email|kirim\w*)\s+(?:me|saya|aku|gw|ke saya)\b.{0,40}\b(?:sales|orders?|"
        r"revenue|omzet|omset|penjualan|pesanan|figures|numbers|angka)\b": 3,
        r"\bpdf\b|excel|\bkpis?\b|spreadsheet": 2,
        r"\bads\b|iklan|\bdata\b|metrics?|metrik": 1,
        r"penjualan|\bsales\b|omzet|revenue|pendapatan|\borders?\b|pesanan|profit|p&l|laba|"
        r"traffic|trafik|pengunjung|visitors?|conversions?|konversi|spend|biaya iklan|"
        r"performance|performa|roas|\bbi\b": 1.5,
        r"analytics|\bcrm\b": 1,
        r"terlaris|best[- ]?sellers?|top[- ]selling|paling laku": 1.5,
        r"p&l|profit (?:and|&) loss|laba[- ]rugi|\bad ?spend|\bads spend|biaya iklan|\broas\b": 2,
        # a file sent on a rhythm is a report ("monthly excel to finance@...")
        r"\b(?:daily|weekly|monthly|harian|mingguan|bulanan)\s+(?:\w+\s+){0,1}(?:pdf|excel|xlsx|"
        r"csv|spreadsheet)\b": 3,
        r"follower (?:growth|counts?)|\bengagement (?:rate|report)|\bfollower growth\b": 1.5,
        r"\b(?:how many|how much|berapa)\s+(?:\w+\s+){0,2}(?:orders?|pesanan|sales|penjualan|"
        r"visitors?|pengunjung|revenue|omzet|omset)\b|\b(?:which|what|apa|mana)\s+(?:\w+\s+){0,2}"
        r"(?:sold|laku|terjual)\b|\b(?:omzet|omset|penjualan|sales|revenue|orders?|pesanan)\b"
        r"[^.;]{0,40}\b(?:kemarin|yesterday|minggu lalu|last week|bulan lalu|last month)\b": 3,
        r"\bgrafik|\bcharts?\b|\bgraphs?\b|\b(?:sales|penjualan|omzet|omset|revenue|orders|"
        r"pesanan)\s+(?:\w+\s+)?(?:daily|harian|mingguan|bulanan|weekly|monthly)\b": 2,
        r"\b(?:daily|weekly|monthly|harian|mingguan|bulanan)\s+(?:\w+\s+){0,2}(?:sales|penjualan|"
        r"omzet|omset|revenue|orders|pesanan|kpis?|numbers|figures|performance|performa)\b": 2,
        r"\b(?:ke|to)\s+(?:email\s+|wa\s+|whatsapp\s+)?(?:bos|boss|atasan|owner|direktur|"
        r"manajer|manager|investor)\b": 1.5,
    },
    "crisis_monitor": {
        r"mention|menyebut|\bsebut|\bnyebut\w*|\bdisebut|\bngomongin|\bomongin|\bmembicarakan|"
        r"\bdibicarakan|\btalk(?:ing)? about|\bsaying about": 2.5,
        # watching a name or handle on a social network
        r"\b(?:pantau|monitor|awasi|awasin|watch|track|cek|check)\w*\b[^.;]{0,60}\b"
        r"(?:instagram(?! shop)|\big\b(?! shop)|twitter|\bx\b|tiktok(?! shop| ads)|"
        r"facebook(?! shop| ads)|\bfb\b(?! shop| ads)|youtube|\byt\b|sosmed|medsos|social media|"
        r"media sosial)": 2,
        r"(?<![\w.])@\w{3,}": 1,
        r"sentimen|sentiment": 4,
        r"krisis|crisis|viral|complain\w*|komplain|keluhan|negatif|negative|ngejelekin|"
        r"\btrending\b|\bboycott\w*|\bboikot\w*|"
        r"social listening|\blistening\b|"
        r"jelek|trashing|bad reviews?|bintang 1|1-star|rating jelek|spike|lonjakan|melonjak|"
        r"\bhate\b|nyinyir|hujat|bashing|badmouth\w*|trash[- ]talk\w*|menjelekkan|jelek2in|"
        r"jelek-jelekin|\b[12]\s*(?:(?:or|atau|/|-|&|and)\s*[12]\s*)?-?\s*(?:stars?|bintang)\b": 3,
        r"hashtag|#\w|keyword|kata kunci|\bbrand\b|merek|reputasi|reputation": 1.5,
        r"media sosial|social media|sosmed|medsos|twitter|instagram|\bx\b|tiktok|youtube|"
        r"facebook|online|\big\b|\bfb\b|\byt\b": 1,
        r"\b(?:watch|pantau|monitor|awasi|listen|track|check|cek)\w*\b|keep an eye on": 1,
        r"review|ulasan|komentar|comments?|\bratings?\b": 1.5,
        r"what (?:people|customers|buyers|netizens?|users) (?:say|are saying|think|post)|"
        r"apa kata (?:orang|netizen|pelanggan|pembeli)|\bomongan\b|\bobrolan\b|\bbuzz\b|"
        r"\bchatter\b": 3,
        r"auto[- ]?repl\w*|balas otomatis|bales otomatis|auto-?respon\w*": 2,
        r"alert|notif|kabari|kabarin|\bping\b|let me know|tell me|\bflag\w*": 1,
    },
}
_CUES_RE = {kind: [(re.compile(p), w) for p, w in cues.items()] for kind, cues in CUES.items()}
_MIN_SCORE = 2.5


def scores(t: str) -> dict[str, float]:
    """Each workflow's cue weight in normalised text ``t``."""
    plain = _NEGATED.sub(" ", plain_text(t))
    return {kind: sum(w for p, w in cues if p.search(plain)) for kind, cues in _CUES_RE.items()}


def classify(t: str) -> str | None:
    """The workflow normalised text ``t`` asks for, or None (refuse)."""
    if refusal(t):
        return None
    found = scores(t)
    best = max(found, key=lambda k: found[k])
    return best if found[best] >= _MIN_SCORE else None
