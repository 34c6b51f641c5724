"""Complaint topics in words people read: which topics a batch of negative posts is about.

The crisis monitor counts the topics of a tick's negative posts (``topic_breakdown``) and
says in its incidents and alerts which ones lead ("72 % posting negatif: pengiriman
terlambat"), in Indonesian (the default) or English.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any, Literal

from backend.ai.sentiment_model import TOPICS

__all__ = ["TOPIC_NAMES", "Language", "topic_name", "topic_breakdown", "leading_topics"]

Language = Literal["id", "en"]

TOPIC_NAMES: dict[str, dict[str, str]] = {
    "delivery": {"id": "pengiriman terlambat/bermasalah", "en": "late or failed delivery"},
    "refund_payment": {"id": "refund/pembayaran", "en": "refunds and payments"},
    "product_quality": {"id": "kualitas produk", "en": "product quality"},
    "counterfeit": {"id": "barang palsu", "en": "counterfeit goods"},
    "service": {"id": "pelayanan admin/CS", "en": "customer service"},
    "price": {"id": "harga", "en": "price"},
    "other": {"id": "lainnya", "en": "other"},
}
_LEAD = {"id": "{share} posting negatif: {name}", "en": "{share} of negative posts: {name}"}
_MIN_SHARE = 0.2  # a topic under a fifth of the complaints is not what the crisis is about


def topic_name(topic: str, language: Language = "id") -> str:
    """The topic as a seller reads it."""
    return TOPIC_NAMES.get(topic, TOPIC_NAMES["other"])[language]


def topic_breakdown(topics: Iterable[str | None]) -> list[dict[str, Any]]:
    """``[{"topic", "count", "share"}]`` of the negative posts' topics, largest first (a
    missing topic counts as ``other``); ties keep the order of ``TOPICS``."""
    counts = Counter(t if t in TOPICS else "other" for t in topics)
    total = sum(counts.values())
    ordered = sorted(counts, key=lambda t: (-counts[t], TOPICS.index(t)))
    return [{"topic": t, "count": counts[t], "share": round(counts[t] / total, 4)}
            for t in ordered]  # fmt: skip


def leading_topics(
    breakdown: list[dict[str, Any]], *, language: Language = "id", limit: int = 2
) -> str:
    """"72 % posting negatif: pengiriman terlambat/bermasalah; 20 % posting negatif:
    harga": the topics that lead the complaints (at least a fifth each, the largest always)."""
    parts: list[str] = []
    for row in breakdown[:limit]:
        if parts and row["share"] < _MIN_SHARE:
            break
        share = f"{round(row['share'] * 100)} %"
        parts.append(_LEAD[language].format(share=share, name=topic_name(row["topic"], language)))
    return "; ".join(parts)
