"""The planner's one clarifying question when a prompt asks for work no workflow does."""

from __future__ import annotations

__all__ = ["question", "REFUSED_PREFIX"]

REFUSED_PREFIX = {"id": "Tidak bisa direncanakan", "en": "Cannot be planned"}

_QUESTIONS = {
    ("outside", "id"): (
        "Permintaan ini bukan salah satu pekerjaan SPIO Agent. Apakah maksud Anda salah satu "
        "dari ini: memantau harga kompetitor, mengirim kampanye ke pelanggan, laporan bisnis, "
        "sinkron katalog ke marketplace, atau memantau sebutan merek di media sosial/ulasan — "
        "dan di platform apa, kapan?"
    ),
    ("outside", "en"): (
        "This is not one of SPIO Agent's jobs. Did you mean one of these: watching "
        "competitor prices, sending a campaign to customers, a business report, syncing your "
        "catalog to marketplaces, or watching brand mentions on social media/reviews — and on "
        "which platforms, when?"
    ),
    ("harmful", "id"): (
        "SPIO Agent tidak melakukan ini (merugikan pihak lain atau data Anda, dan melanggar "
        "aturan platform). Apakah yang Anda butuhkan memantau harga atau ulasan kompetitor, "
        "atau memantau sebutan merek Anda — di marketplace atau media sosial mana?"
    ),
    ("harmful", "en"): (
        "SPIO Agent does not do this (it harms others or your data and breaks platform "
        "rules). Do you need to watch competitors' prices or reviews, or mentions of your own "
        "brand instead — on which marketplaces or social networks?"
    ),
}


def question(reason: str | None, lang: str) -> str:
    """The clarifying question for a refusal (``reason``: 'harmful', 'outside' or None)."""
    key = ("harmful" if reason == "harmful" else "outside", "en" if lang == "en" else "id")
    return _QUESTIONS[key]
