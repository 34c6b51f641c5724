"""Words the offline planner recognises, in Indonesian and English, mapped to spec values."""

from __future__ import annotations

__all__ = [
    "MONTHS",
    "WEEKDAYS",
    "DAY_NAMES_ID",
    "DAY_NAMES_EN",
    "MONTH_NAMES_ID",
    "MONTH_NAMES_EN",
    "UNIT_SEC",
    "UNIT_WORDS",
    "PLATFORM_ALIASES",
    "CHANNEL_ALIASES",
    "WORKFLOW_CUES",
    "MARKETPLACES",
    "CATALOG_PLATFORMS",
    "AD_PLATFORMS",
    "SOCIAL_PLATFORMS",
]

# fmt: off
MONTHS = {
    "januari": 1, "january": 1, "jan": 1, "februari": 2, "february": 2, "feb": 2, "maret": 3,
    "march": 3, "mar": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6, "june": 6,
    "jun": 6, "juli": 7, "july": 7, "jul": 7, "agustus": 8, "august": 8, "agu": 8, "aug": 8,
    "agt": 8, "september": 9, "sept": 9, "sep": 9, "oktober": 10, "october": 10, "okt": 10,
    "oct": 10, "november": 11, "nov": 11, "desember": 12, "december": 12, "des": 12, "dec": 12,
}
WEEKDAYS = {
    "minggu": 0, "ahad": 0, "sunday": 0, "senin": 1, "monday": 1, "selasa": 2, "tuesday": 2,
    "rabu": 3, "wednesday": 3, "kamis": 4, "thursday": 4, "jumat": 5, "jum'at": 5,
    "friday": 5, "sabtu": 6, "saturday": 6,
}
DAY_NAMES_ID = ("Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu")
DAY_NAMES_EN = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
MONTH_NAMES_ID = ("", "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
                  "Agustus", "September", "Oktober", "November", "Desember")
MONTH_NAMES_EN = ("", "January", "February", "March", "April", "May", "June", "July",
                  "August", "September", "October", "November", "December")
UNIT_SEC = {
    "detik": 1, "dtk": 1, "second": 1, "seconds": 1, "sec": 1, "secs": 1, "s": 1,
    "menit": 60, "mnt": 60, "minute": 60, "minutes": 60, "min": 60, "mins": 60, "m": 60,
    "jam": 3600, "hour": 3600, "hours": 3600, "hr": 3600, "hrs": 3600, "h": 3600,
    "hari": 86400, "day": 86400, "days": 86400, "minggu": 604800, "week": 604800,
    "weeks": 604800,
}
UNIT_WORDS = {1: ("detik", "seconds"), 60: ("menit", "minutes"), 3600: ("jam", "hours"),
              86400: ("hari", "days"), 604800: ("minggu", "weeks")}

# Regex alternatives (lowercase text) -> the platform id used in specs and connectors.
PLATFORM_ALIASES: dict[str, str] = {
    r"tiktok\s*shop": "tiktok_shop", r"tokopedia|tokped": "tokopedia", r"shopee": "shopee",
    r"lazada": "lazada", r"blibli": "blibli", r"bukalapak": "bukalapak",
    r"instagram\s*shop|ig\s*shop": "instagram_shop", r"facebook\s*shop|fb\s*shop": "facebook_shop",
    r"google\s*shopping": "google_shopping", r"priceza": "priceza", r"idealo": "idealo",
    r"website|situs|web\s*toko|toko\s*online\s*sendiri": "website",
    r"facebook\s*ads|fb\s*ads|meta\s*ads": "facebook_ads", r"google\s*ads|adwords": "google_ads",
    r"tiktok\s*ads": "tiktok_ads", r"google\s*analytics|\bga4?\b": "google_analytics",
    r"\bcrm\b": "crm", r"instagram|\big\b": "instagram", r"tiktok": "tiktok",
    r"twitter|\bx\.com\b|\bdi x\b": "twitter", r"facebook|\bfb\b": "facebook",
}
CHANNEL_ALIASES: dict[str, str] = {
    r"whats\s*app|\bwa\b": "whatsapp", r"telegram|\btele\b": "telegram",
    r"e-?mail|surel|\bsurat elektronik\b": "email", r"\bsms\b": "sms",
}
# fmt: on

MARKETPLACES = ("shopee", "tokopedia", "lazada", "tiktok", "blibli")
CATALOG_PLATFORMS = (
    "shopee", "tokopedia", "lazada", "tiktok_shop", "instagram_shop", "facebook_shop",
    "website", "google_shopping", "priceza", "idealo",
)  # fmt: skip
AD_PLATFORMS = ("facebook_ads", "google_ads", "tiktok_ads")
SOCIAL_PLATFORMS = ("instagram", "twitter", "tiktok", "facebook")

# Cue (regex) -> weight, per workflow. The highest total wins; ties go to the first listed.
WORKFLOW_CUES: dict[str, dict[str, float]] = {
    "price_intelligence": {
        r"\bharga\b|\bprice[sd]?\b|\bpricing\b": 3,
        r"kompetitor|competitor|pesaing": 2,
        r"reprice|repricing|undercut|turunkan|naikkan|adjust": 2,
        r"\bmargin\b": 2,
    },
    "campaign": {
        r"\bkirim\w*\b|\bsend\b|broadcast|blast": 1.5,
        r"campaign|kampanye|promo\b": 3,
        r"pelanggan|customers?|pembeli|subscribers?|kontak": 2,
        r"\bpesan\b|\bmessages?\b": 1,
        r"personali[sz]": 2,
        r"black friday|harbolnas|flash sale|\d+\.\d+ sale": 2,
    },
    "bi_report": {
        r"laporan|report|\bbi\b|business intelligence|rekap|ringkasan|summary": 3,
        r"\bpdf\b|excel|xlsx|dashboard": 1.5,
        r"penjualan|sales|omzet|revenue|kpi": 1.5,
        r"aggregate|agregasi|data sources?|sumber data": 2,
    },
    "catalog_sync": {
        r"\bsync\w*|sinkron\w*|selaraskan": 3.5,
        r"katalog|catalog|listing": 2,
        r"\bstok\b|\bstock\b|inventory|inventaris": 1.5,
        r"upload produk|unggah produk": 2,
        r"gambar|images?|foto|photos?|webp": 1,
        r"upload|unggah": 2,
        r"\bseo\b|judul|deskripsi produk": 1,
        r"terjemah|translat": 1,
    },
    "crisis_monitor": {
        r"mention|sebut": 2.5,
        r"sentimen|sentiment": 3,
        r"krisis|crisis": 3,
        r"media sosial|social media|sosmed|medsos": 2,
        r"komentar|comments?|posts?|tweets?": 1,
        r"\bbrand\b|merek": 1.5,
        r"viral": 1.5,
    },
}
