"""Complaint topics as sellers read them: counted, ranked and named in both languages."""

from __future__ import annotations

from backend.ai.sentiment_topics import leading_topics, topic_breakdown, topic_name


def test_breakdown_counts_and_ranks_the_topics_of_negative_posts():
    topics = ["delivery"] * 18 + ["price"] * 5 + [None, "nonsense"]
    breakdown = topic_breakdown(topics)
    assert breakdown == [
        {"topic": "delivery", "count": 18, "share": 0.72},
        {"topic": "price", "count": 5, "share": 0.2},
        {"topic": "other", "count": 2, "share": 0.08},
    ]
    assert topic_breakdown([]) == []


def test_leading_topics_name_the_complaints_in_the_users_language():
    breakdown = topic_breakdown(["delivery"] * 18 + ["price"] * 5 + ["other"] * 2)
    assert leading_topics(breakdown) == (
        "72 % posting negatif: pengiriman terlambat/bermasalah; 20 % posting negatif: harga"
    )
    assert leading_topics(breakdown, language="en", limit=1) == (
        "72 % of negative posts: late or failed delivery"
    )
    # A small second topic is not what the crisis is about.
    lopsided = topic_breakdown(["counterfeit"] * 9 + ["service"])
    assert leading_topics(lopsided) == "90 % posting negatif: barang palsu"
    assert leading_topics([]) == ""
    assert topic_name("service", "en") == "customer service"
