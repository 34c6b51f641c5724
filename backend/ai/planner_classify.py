"""Which of the five workflows a prompt asks for, or why none does.

Work outside the five (a thesis, a flight, a logo, taxes, shipping labels, buying from
suppliers, posting to a feed, a chatbot) and harmful requests (fake reviews, hacking,
mass reports, wiping data) are refused with one question naming what would make the
request plannable. Everything else is scored by weighted cues; quoted phrases, hashtags
and addresses are left out first so a keyword like 'refund' cannot steer the choice.
"""

from __future__ import annotations

import re

from backend.ai.planner_extract import EMAIL

__all__ = ["classify", "refusal", "CUES"]

_HARMFUL = re.compile(
    r"\bhack\w*|\bbobol\w*|\bretas\w*|\breview palsu|\bulasan palsu|\bfake (?:reviews?|accounts?|"
    r"followers?|ratings?)|\bakun(?:-akun| akun)? palsu|\breport massal|\bmass[- ]?report\w*|"
    r"\bbanned\b|\bget \w+ (?:store |shop |account )?banned|\btank (?:their|its|the) ratings?|"
    r"\b(?:turunkan|jatuhkan|rusak) rating (?:toko )?(?:kompetitor|pesaing)|\bspam\w*|"
    r"\bphishing|\bcuri\b|\bsteal\b|\bsabotase|\bsabotage|\bbreak into|\bbreaking into|"
    r"\bruin (?:their|its|the) (?:ratings?|reputation|shop|store)|\bjatuhkan (?:toko|reputasi)|"
    r"\bbeli (?:followers?|likes?|"
    r"views?|ulasan|review)|\bbuy (?:followers?|likes?|views?|reviews?)|\bbot (?:like|follow)|"
    r"\bdata pribadi|\bpersonal data|\bdoxx?|\bbought "
    r"(?:a |phone |email )?lists?|\bpurchased (?:a )?list|\bdata bocor|\bleaked|\bsadap|\bspy\b|"
    r"\bnomor (?:yang |yg )?(?:saya |aku |gw )?(?:di)?beli|\bmata-matai|"
    r"\b(?:buat|bikin|bikinin|buatkan|tulis|tuliskan|write)\s+(?:\d+\s+)?(?:fake\s+|palsu\s+|"
    r"positive\s+|positif\s+|bagus\s+)?(?:reviews?|ulasan|testimoni)\b|"
    r"\bfake\s+(?:\S+\s+){0,2}(?:reviews?|ratings?|ulasan)\b|"
    r"\b(?:reviews?|ulasan|ratings?|testimoni)\s+(?:\S+\s+){0,3}(?:palsu|bodong|fiktif|fake)\b|"
    r"\bakun\S*\s+(?:bodong|palsu|fake|tuyul|abal)\w*|"
    r"\b(?:turun\w*|jatuh\w*|rusak\w*|hancur\w*)\s+(?:\w+\s+){0,1}(?:rating|reputasi|ulasan)\s+"
    r"(?:\w+\s+){0,2}(?:kompetitor|pesaing|saingan|sebelah|orang lain|toko lain)\b|"
    # taking other people's contact data, or buying it
    r"\bscrap\w*\s+(?:\w+\s+){0,4}(?:phone|nomor|numbers?|emails?|kontak|contacts?|"
    r"customers?|pelanggan|pembeli|buyers?|followers?)|"
    r"\b(?:ambil|sedot|curi|colong|grab|harvest|collect|take|kumpul\w*)\w*\s+(?:\S+\s+){0,4}"
    r"(?:nomor|phone|numbers?|emails?|kontak|contacts?|data)\b.{0,50}\b(?:dari|from|of)\s+"
    r"(?:\S+\s+){0,2}(?:kompetitor|competitors?|pesaing|saingan|toko (?:lain|sebelah)|"
    r"other (?:shops?|stores?|sellers?))|"
    r"\b(?:beli|membeli|buy|buying|purchase)\w*\s+(?:\w+\s+){0,2}(?:leads?|database|"
    r"contact lists?|email lists?|phone numbers?|nomor hp|data (?:nomor|kontak|pelanggan))\b|"
    # attacks and bots against the marketplaces or other sellers
    r"\bddos\w*|\bdenial of service|\bbiar (?:down|tumbang|error)|\bauto-?buy|"
    r"\bauto-?checkout|\bwar checkout|\bbot\s+(?:\w+\s+){0,2}(?:checkout|beli|buy|war)\b|"
    # figures made up for a bank, an investor or a tax office
    r"\b(?:naik\w*|gelembung\w*|mark ?up|manipulasi|palsu\w*|inflate\w*|fake|cook)\s+"
    r"(?:\w+\s+){0,2}(?:angka\w*|numbers|figures|the books)\b|\blaporan (?:palsu|fiktif)|"
    r"\bfake (?:report|invoice|numbers|figures)"
)
_DESTRUCTIVE = re.compile(
    r"\b(?:delete|hapus|remove|wipe|erase)\b.{0,40}\b(?:data|history|riwayat|akun|accounts?|"
    r"orders?|pesanan|customers?|pelanggan)\b"
)
_REMOVAL = re.compile(r"\b(?:delete|hapus|remove|wipe|erase|takedown|take down|arsipkan)\b")
_OUTSIDE = re.compile(
    r"\bskripsi|\bthesis|\btesis\b|\bmakalah|\bessay|\bhomework|\bpr sekolah|\blogo\b|"
    r"\bdesain\b|\bdesign (?:a |my |our )?(?:logo|banner|poster)|"
    r"\b(?:bikin|buat|bangun|build|create|develop|bikinin|buatin|buatkan|bikinkan)\w*\s+(?:\w+\s+)?"
    r"(?:website|web|aplikasi|app|situs|landing page)\b|"
    r"\btiket pesawat|\bflights?\b|\bhotel\b|\bbook me\b|\bpesankan|\btransfer (?:saldo|uang|dana)|"
    r"\bsaldo\b|\brekening\b|\bpajak|\btax(?:es)?\b|\bspt\b|\blabel resi|\bresi\b|"
    r"\bshipping labels?|\bairway bill|\bawb\b|\bprint (?:labels?|invoices?)|\bsupplier|"
    r"\bpurchase order|\bauto-?order|\bkardus|\bpackaging|\bshipment|\blacak paket|\bkurir\b|"
    r"\bfoto profil|\bprofile (?:picture|photo)|\bchatbot|\bkolom diskusi|"
    r"\b(?:jawab|answer|balas)\w* (?:\w+ )?(?:semua )?(?:pertanyaan|questions|chat)\b|"
    r"\b(?:jawab|answer|balas|bales|reply)\w*\s+(?:to\s+)?(?:all|semua)\s+(?:\w+\s+)?(?:komentar|"
    r"comments?|chats?|dms?|pesan|messages?|pertanyaan|questions|inbox)\b|"
    r"\bkirim paket|\bpaket ke pelanggan|\bjne\b|\bj&t\b|\bjnt\b|\bsicepat|\banteraja|"
    r"\bninja xpress|\bpick-?up\b|"
    r"\bskor (?:bola|pertandingan|akhir)|\bskornya\b|\bscore of the|\bliga\b|\bfootball\b|"
    r"\bsepak ?bola|\bpertandingan|\bmenang\b|\bbola\b|"
    r"\bcuaca|\bweather|\bresep\b|\brecipe|\bpuisi|\bpoem|\bjokes?\b|\blelucon|"
    r"\bpost (?:a |new |our )?(?:photo|picture|video|reel|story|caption)|\b(?:instagram|ig) feed|"
    r"\bposting (?:foto|konten|video|story|reels?)\b|\bjadwal\w* posting|\bcaption\b|"
    r"\b(?:ganti|ubah|change) (?:foto|logo|nama|banner) (?:profil|toko|shop|profile)|"
    r"\b(?:buat|bikin|pasang|setup|set up|create|run|jalankan|atur|kelola|manage|naikkan|"
    r"turunkan|optimalkan)\w*\s+(?:\w+\s+){0,2}(?:iklan|ad campaigns?|ads campaigns?|"
    r"campaign iklan)\b|\bbudget iklan|\bad budget|\bboost (?:post|postingan)|\bpromote post|"
    r"\bsaham\b|\bcrypto|\bkripto|\bbitcoin|\bharga emas|\bkurs\b|\bforex|\bexchange rate|"
    r"\babsensi|\bkaryawan|\bpayroll|\bgaji\b|\bcuti\b|\binvoice|\bfaktur|\bmeeting|\bzoom\b|"
    r"\bupload (?:\w+ )?(?:video|reels?|story|stories|konten)|\bposting ke (?:ig|instagram|tiktok|"
    r"youtube|facebook|fb)\b|\bcv\b|\bpinjaman|\bloan\b|\btarik dana|\bwithdraw|"
    r"\bpencairan|\bpacking\b|\bpassword|\bkata sandi|\blogin\b|\bnonaktifkan toko|"
    r"\bmatikan toko|\btutup toko sementara|\bmode libur|\bvacation mode|"
    r"\b(?:proses|kasih|berikan|lakukan|process|issue|give|kembalikan)\w*\s+(?:\w+\s+)?"
    r"(?:refunds?|pengembalian dana|dana)\b|"
    r"\b(?:ikut|daftar)\w*\s+(?:\w+\s+){0,3}(?:flash sale|kampanye|campaign|program)\s+"
    r"(?:shopee|tokopedia|lazada|tiktok shop|blibli)\b"
)

# The seller's own shops and site, as the other side of "the same price as ..."
_OWN = (r"(?:(?:our|my|kita|kami)\s+)?(?:shopee|tokopedia|lazada|blibli|tiktok shop|website|web|"
        r"webstore|toko online|online store)\b")
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
        r"price monitor\w*|price track\w*|price check|pricing|perbandingan harga": 3,
        r"\b(?:pantau|monitor|track|cek|check|awasi|bandingkan|bandingin|perbandingan|compare|watch|intip|"
        r"lihat)\w*\s+"
        r"(?:\w+\s+){0,2}(?:harga|hrg|prices?)(?:nya)?\b": 3,
        r"reprice|repricing|undercut|auto[- ]?adjust": 3,
        r"\b(?:jadi|be|stay|tetap|selalu|always)\s+(?:yang\s+|the\s+)?(?:termurah|paling murah|"
        r"cheapest|lowest)": 3,
        r"\bmatch(?:ing)? (?:the )?(?:cheapest|lowest)\b": 3,
        r"match(?:ing)? (?:the )?lowest|samain harga|termurah|"
        r"cheapest|lowest|harga terendah|\bmargin\b|lebih murah|cheaper": 2,
        r"\bharga(?:nya)?\b|\bhrg\b|\bprices?\b": 1,
    },
    "catalog_sync": {
        r"\b(?:di-?)?sync\w*|(?:di)?sinkron\w*|selaraskan|samakan ke|\bpush\w*|\bfeed\b|"
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
        r"collection)\s+(?:on|onto|live)\b": 3,
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
        r"produk baru|new products|new collection|koleksi baru|new items": 1.5,
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
        r"\b(?:message|text|dm|whatsapp|wa|sms|email)\s+(?:our|my|all|the|every|semua|para)\b": 1.5,
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
        r"social listening|\blistening\b|"
        r"jelek|trashing|bad reviews?|bintang 1|1-star|rating jelek|spike|lonjakan|melonjak|"
        r"\bhate\b|nyinyir|hujat|bashing|badmouth\w*|trash[- ]talk\w*|menjelekkan|jelek2in|"
        r"jelek-jelekin": 3,
        r"hashtag|#\w|keyword|kata kunci|\bbrand\b|merek|reputasi|reputation": 1.5,
        r"media sosial|social media|sosmed|medsos|twitter|instagram|\bx\b|tiktok|youtube|"
        r"facebook|online|\big\b|\bfb\b|\byt\b": 1,
        r"\b(?:watch|pantau|monitor|awasi|listen|track|check|cek)\w*\b|keep an eye on": 1,
        r"review|ulasan|komentar|comments?|\bratings?\b": 1.5,
        r"what (?:people|customers|buyers|netizens?|users) (?:say|are saying|think|post)|"
        r"apa kata (?:orang|netizen|pelanggan|pembeli)|\bomongan\b|\bobrolan\b|\bbuzz\b|"
        r"\bchatter\b": 3,
        r"auto[- ]?repl\w*|balas otomatis|bales otomatis|auto-?respon\w*": 2,
        r"alert|notif|kabari|kabarin|\bping\b|let me know|tell me": 1,
    },
}
_CUES_RE = {kind: [(re.compile(p), w) for p, w in cues.items()] for kind, cues in CUES.items()}
_QUOTED = re.compile(r"[\"“‘'`][^\"“”‘’'`\n]{2,60}[\"”’'`]")
_MIN_SCORE = 2.5


def _plain(t: str) -> str:
    """``t`` without quoted phrases, hashtags and addresses (they name, they do not ask)."""
    return re.sub(r"#\w+", " ", _QUOTED.sub(" ", EMAIL.sub(" ", t)))


def scores(t: str) -> dict[str, float]:
    """Each workflow's cue weight in normalised text ``t``."""
    plain = _NEGATED.sub(" ", _plain(t))
    return {kind: sum(w for p, w in cues if p.search(plain)) for kind, cues in _CUES_RE.items()}


_PLATFORM_VOUCHER = re.compile(
    r"\b(?:bikin|buat|create|set ?up|pasang|aktifkan|activate)\w*\s+(?:\w+\s+){0,2}(?:voucher|"
    r"kupon|coupon|flash sale)\b.{0,40}\b(?:di|on|in)\s+(?:shopee|tokopedia|lazada|tiktok shop|"
    r"blibli)\b"
)
_SEND_WORDS = re.compile(r"\bkirim|\bsend\b|\bblast|\bbroadcast|\bsebar|\bpelanggan|\bcustomers?\b")


# Care about a rule, not an attack on it: "biar ga ke-banned", "to avoid getting banned".
_NOT_BANNED = re.compile(
    r"\b(?:biar|supaya|agar|so|to|dan|and)?\s*(?:ga|gak|nggak|ngga|tidak|tak|jangan|not|never|"
    r"don'?t|won'?t|avoid(?:ing)?)\s+(?:(?:sampai|kena|get(?:ting)?|be(?:ing)?)\s+)?"
    r"(?:ke-?|di-?|kena\s+)?(?:banned|ban|blokir|diblokir)\b"
)


def refusal(t: str) -> str | None:
    """'harmful', 'outside' or None: whether normalised text ``t`` asks for work none of
    the workflows does."""
    plain = _NOT_BANNED.sub(" ", _plain(t))
    if _HARMFUL.search(plain) or _DESTRUCTIVE.search(plain):
        return "harmful"
    if _OUTSIDE.search(plain) or _REMOVAL.search(plain):
        return "outside"
    if _PLATFORM_VOUCHER.search(plain) and not _SEND_WORDS.search(plain):
        return "outside"  # a voucher made inside the marketplace's seller centre
    return None


def classify(t: str) -> str | None:
    """The workflow normalised text ``t`` asks for, or None (refuse)."""
    if refusal(t):
        return None
    found = scores(t)
    best = max(found, key=lambda k: found[k])
    return best if found[best] >= _MIN_SCORE else None
