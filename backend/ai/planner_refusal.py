"""Work none of the five workflows does: harmful requests (fake reviews, hacking, mass
reports, taking other people's data, wiping data) and work outside them (a thesis, a flight,
a logo, taxes, shipping labels, buying from suppliers, posting to a feed, a chatbot).

:func:`refusal` says which of the two a prompt is (the planner then asks its one
clarifying question, ``planner_refuse``); :func:`plain_text` is the prompt without the
names it quotes, which both this and the workflow cues read.
"""

from __future__ import annotations

import re

from backend.ai.planner_extract import EMAIL

__all__ = ["refusal", "plain_text"]

_QUOTED = re.compile(r"[\"“‘'`][^\"“”‘’'`\n]{2,60}[\"”’'`]")


def plain_text(t: str) -> str:
    """``t`` without quoted phrases, hashtags and addresses (they name, they do not ask)."""
    return re.sub(r"#\w+", " ", _QUOTED.sub(" ", EMAIL.sub(" ", t)))


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
    # numbers bought or scraped, other sellers' buyers messaged
    r"\bnomor\s+(?:\w+\s+){0,2}(?:yang |yg )?(?:saya |aku |gw |gue |kami |kita )?(?:di)?beli\b|"
    r"\b(?:lists?|numbers?|emails?|contacts?|database|data)\s+(?:\w+\s+){0,2}(?:we|i|you)\s+"
    r"(?:bought|purchased|scraped)\b|\bhasil scrap\w*|\bscraped\b|"
    r"\b(?:pembeli|pelanggan|customers?|buyers?|followers?)\s+(?:\w+\s+)?(?:kompetitor|"
    r"competitor'?s?|pesaing|saingan|toko lain|toko sebelah|other (?:shops?|stores?|sellers?))\b|"
    r"\b(?:kompetitor|competitor'?s?|rival'?s?|pesaing)\s+(?:\w+\s+)?(?:customers?|buyers?|"
    r"followers?)\b|"
    # another seller's photos, words, reviews or shop taken as one's own
    r"\b(?:copy|copas|salin|ambil|curi|comot|clone|jiplak|contek|scrape|nyolong)\w*\s+"
    r"(?:\S+\s+){0,3}(?:foto|photos?|gambar|images?|deskripsi|descriptions?|reviews?|ulasan|"
    r"konten|content|store|toko|listings?)\b.{0,40}\b(?:kompetitor|competitor'?s?|pesaing|"
    r"saingan|toko lain|toko sebelah|other sellers?)|"
    r"\b(?:copy|clone|jiplak|contek|curi|steal|scrap)\w*\s+(?:\S+\s+){0,2}(?:kompetitor|"
    r"competitor'?s?|pesaing|saingan)\S*\s+(?:\S+\s+){0,3}(?:store|toko|shop|foto|photos?|"
    r"products?|produk|listings?|reviews?|ulasan)\b|"
    # reviews written about a rival, reviews hidden, engagement faked
    r"\b(?:write|post|tulis|kasih|bikin|buat|give|leave)\w*\s+(?:\S+\s+){0,4}(?:reviews?|"
    r"ulasan|ratings?)\b.{0,40}\b(?:kompetitor|competitors?|pesaing|saingan|toko lain|"
    r"toko sebelah)|\b(?:hide|sembunyi\w*|tutupi|suppress|bury)\b.{0,30}\b(?:reviews?|ulasan|"
    r"komentar|comments?|ratings?)|\bshadow-?ban\w*|\bauto-?(?:like|follow)\w*|"
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
    r"turunkan|optimalkan)\w*\s+(?:(?!laporan|reports?|rekap|ringkasan|summary|data)\S+\s+){0,3}"
    r"(?:iklan|ad campaigns?|ads campaigns?|"
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
    plain = _NOT_BANNED.sub(" ", plain_text(t))
    if _HARMFUL.search(plain) or _DESTRUCTIVE.search(plain):
        return "harmful"
    if _OUTSIDE.search(plain) or _REMOVAL.search(plain):
        return "outside"
    if _PLATFORM_VOUCHER.search(plain) and not _SEND_WORDS.search(plain):
        return "outside"  # a voucher made inside the marketplace's seller centre
    return None
