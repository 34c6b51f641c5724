"""Plain-language explanation of a planned job, in the prompt's language (id or en)."""

from __future__ import annotations

import re
from typing import Any

from backend.ai.planner_shops import shop_words
from backend.ai.sentiment_rules import load_rules

__all__ = ["prompt_language", "report_language", "explain", "job_name"]

_ID_EXTRA = frozenset({"tiap", "setiap", "harga", "produk", "pelanggan", "laporan", "jam",
                       "menit", "detik", "hari", "pantau", "kirimkan", "buat", "buatkan",
                       "tolong", "semua", "akun", "sinkronkan", "toko", "dengan",
                       "sekarang"})  # fmt: skip
_EN_EXTRA = frozenset({"every", "send", "prices", "price", "report", "customers", "watch",
                       "products", "sync", "daily", "hourly", "accounts", "our", "all", "now",
                       "minutes", "seconds", "hours", "create", "please", "post"})  # fmt: skip


_PERIOD_ID = {"yesterday": "kemarin", "today": "hari ini", "last_week": "minggu lalu",
              "last_month": "bulan lalu"}  # fmt: skip


def _marker_counts(text: str) -> tuple[int, int]:
    """(Indonesian, English) function words in the prompt."""
    rules = load_rules()
    words = [w.strip(".,!?:;()\"'").lower() for w in text.split()]
    ind = sum(1 for w in words if w in rules.id_markers or w in _ID_EXTRA)
    eng = sum(1 for w in words if w in rules.en_markers or w in _EN_EXTRA)
    return ind, eng


def prompt_language(text: str) -> str:
    """'id' or 'en': the language most of the prompt's function words belong to."""
    ind, eng = _marker_counts(text)
    return "en" if eng > ind else "id"


def report_language(text: str) -> str:
    """'en' only for a request clearly in English (English words outnumber Indonesian ones
    more than two to one): the reports it sends go to people who may not have written it,
    so a mixed "bikin sales dashboard dari Shopee, refresh every 15 minutes" keeps the
    Indonesian default; "check every 15 min" (``min`` also reads as Indonesian) stays en."""
    ind, eng = _marker_counts(text)
    return "en" if eng > 2 * ind else "id"


def _join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + (" dan " if lang == "id" else " and ") + items[-1]


def _strategy(strategy: str, lang: str) -> str:
    match = re.fullmatch(r"undercut_by_([\d.]+)_percent", strategy)
    if match:
        n = match.group(1)
        return (f"{n}% di bawah kompetitor termurah" if lang == "id" else
                f"{n}% below the cheapest competitor")  # fmt: skip
    if strategy == "match_lowest":
        return "samakan dengan kompetitor termurah" if lang == "id" else "match the cheapest"
    return strategy


def _what(kind: str, i: dict[str, Any], lang: str) -> str:
    id_ = lang == "id"
    if kind == "price_intelligence":
        n = (i.get("products") or {}).get("limit")
        markets = _join(i.get("marketplaces", []), lang)
        strategy = i.get("pricing_strategy", "")
        rule = (f"margin minimal {i.get('min_margin_percent')}%, diskon maksimal "
                f"{i.get('max_discount_percent')}%" if id_ else
                f"minimum margin {i.get('min_margin_percent')}%, maximum discount "
                f"{i.get('max_discount_percent')}%")  # fmt: skip
        if strategy == "monitor_only":
            act = "hanya memantau, tanpa mengubah harga" if id_ else "watch only, no price changes"
        elif id_:
            act = f"menyesuaikan harga Anda ({_strategy(strategy, lang)}; {rule})"
        else:
            act = f"adjust your prices ({_strategy(strategy, lang)}; {rule})"
        markets += shop_words(i.get("accounts"), lang)  # which of the seller's shops
        return (f"Memantau harga {n} produk di {markets}, lalu {act}." if id_ else
                f"Watch competitor prices of {n} products on {markets}, then {act}.")  # fmt: skip
    if kind == "campaign" and i.get("order_message"):
        ch = _join(i.get("channels", []), lang)
        thanks = i["order_message"] == "thank_you"
        if id_:
            what = "ucapan terima kasih" if thanks else "pengingat pembayaran"
            return (f"Mengirim {what} ke pembeli setiap pesanan, sekali per pesanan, lewat {ch} "
                    "(kanal yang ia izinkan), di luar jam tenang.")
        what = "a thank-you" if thanks else "a payment reminder"
        return (f"Send {what} to the buyer of each order, once per order, via {ch} (a channel "
                "they consented to), outside quiet hours.")
    if kind == "campaign":
        c, a = i.get("campaign", {}), i.get("audience", {})
        who = (f"{a['limit']:,}".replace(",", "." if id_ else ",") if a.get("limit") else
               ("semua" if id_ else "all"))  # fmt: skip
        ch = _join(i.get("channels", []), lang)
        rate = i.get("rate_limit_per_minute")
        seg = a.get("segment")
        return (f"Mengirim kampanye '{c.get('name')}' ke {who} pelanggan (segmen {seg})"
                f" lewat {ch}, pesan dipersonalisasi, maks. {rate} pesan/menit per kanal." if id_
                else f"Send the '{c.get('name')}' campaign to {who} customers (segment "
                f"{a.get('segment')}) via {ch}, personalised, at most {rate} messages/minute "
                f"per channel.")  # fmt: skip
    if kind == "bi_report":
        n = len(i.get("data_sources", []))
        fmts = _join([f.upper() if f != "dashboard" else f for f in i.get("output_formats", [])],
                     lang)  # fmt: skip
        to = _join([r["channel"] for r in i.get("recipients", [])], lang) or "-"
        period = i.get("report_date", "")
        period = _PERIOD_ID.get(period, period) if id_ else period.replace("_", " ")
        shops = shop_words(i.get("accounts"), lang)
        return (f"Membuat laporan BI ({period}) dari {n} sumber data{shops} dengan analisis "
                f"anomali dan tren, format {fmts}, dikirim ke: {to}." if id_ else
                f"Build a BI report ({period}) from {n} data sources{shops} with anomaly "
                f"and trend analysis, as {fmts}, sent to: {to}.")  # fmt: skip
    if kind == "catalog_sync":
        n = (i.get("products") or {}).get("limit")
        p = len(i.get("platforms", []))
        img = i.get("image_processing", {})
        size = f"{img.get('max_width')}×{img.get('max_height')}"
        shops = shop_words(i.get("accounts"), lang)
        return (f"Menyinkronkan hingga {n} produk ke {p} platform{shops}, gambar maks. "
                f"{size} {img.get('format')}." if id_ else
                f"Sync up to {n} products to {p} platforms{shops}, images within "
                f"{size} as {img.get('format')}.")  # fmt: skip
    if kind == "crisis_monitor":
        acc = len(i.get("accounts", []))
        kw = _join(i.get("monitor_keywords", []), lang)
        neg = int(i.get("crisis_detection", {}).get("negative_threshold", 0.8) * 100)
        return (f"Memantau {acc} akun media sosial untuk kata kunci {kw}, menilai sentimen tiap "
                f"postingan, dan memberi peringatan saat >{neg}% negatif atau volume melonjak."
                if id_ else
                f"Watch {acc} social accounts for {kw}, score the sentiment of every post, and "
                f"alert when more than {neg}% are negative or volume spikes.")  # fmt: skip
    return i.get("prompt", "")


def explain(*, kind: str, inputs: dict[str, Any], when: str, lang: str,
            event: str | None = None) -> str:
    """One or two sentences: what the job does and when it runs (``when``: in words;
    ``event``: the job answers that event instead of a clock)."""
    what = _what(kind, inputs, lang)
    if event and kind == "catalog_sync":
        n = len(inputs.get("platforms") or [])
        what = (f"Memindahkan stok setiap pesanan ke {n} platform sekaligus: SKU yang terjual "
                "dikurangi dari stok toko lalu ditulis ke semua platform, tanpa oversell."
                if lang == "id" else f"Move stock with every order to {n} platforms at once: "
                "the sold SKU comes off the shop's count, then every platform gets it, never "
                "overselling.")  # fmt: skip
    if event:  # answers each event, not a clock
        return f"{what} Pemicu: {when}." if lang == "id" else f"{what} Trigger: {when}."
    return f"{what} Jadwal: {when}." if lang == "id" else f"{what} Schedule: {when}."


def _names(items: list[str]) -> str:
    shown = [i.replace("_", " ").title().replace("Tiktok", "TikTok") for i in items[:3]]
    return ", ".join(shown) + ("…" if len(items) > 3 else "")


def job_name(kind: str, inputs: dict[str, Any], lang: str) -> str:
    """A short name saying what the job does ("Promo Black Friday 2027", "Pantau harga —
    Shopee, Lazada"), never the prompt's first words."""
    id_ = lang == "id"
    if kind == "campaign":
        return str((inputs.get("campaign") or {}).get("name") or ("Kampanye" if id_ else
                                                                  "Campaign"))  # fmt: skip
    if kind == "price_intelligence":
        head, where = ("Pantau harga kompetitor" if id_ else "Competitor prices",
                       inputs.get("marketplaces") or [])  # fmt: skip
    elif kind == "catalog_sync":
        head, where = ("Sinkron katalog" if id_ else "Catalog sync", inputs.get("platforms") or [])
    elif kind == "bi_report":
        period = {"yesterday": ("harian", "Daily"), "today": ("harian", "Daily"),
                  "last_week": ("mingguan", "Weekly"), "last_month": ("bulanan", "Monthly")
                  }.get(str(inputs.get("report_date")), ("", ""))  # fmt: skip
        head = f"Laporan {period[0]}".strip() if id_ else f"{period[1]} report".strip().capitalize()
        where = [s.get("platform", "") for s in inputs.get("data_sources") or []]
    else:
        samples = ("brand_name", "product_name", "competitor_names")
        words = [k for k in inputs.get("monitor_keywords") or [] if k not in samples]
        head = ("Pantau merek" if id_ else "Brand watch") + (f" {words[0]}" if words else "")
        where = sorted({a.get("platform", "") for a in inputs.get("accounts") or []})
    return f"{head} — {_names(list(where))}" if where else head
