"""The crisis monitor's rules, pure: which posts mention the brand, which deserve an
alert of their own, and whether a tick's posts amount to a crisis.

Sentiment scores run 0 (very negative) .. 1 (very positive); the job's thresholds are
on *negativity* = 1 - score (``negative: 0.7`` means score ≤ 0.3).

Per post (each alerted once, ever):
* ``viral_negative`` — a negative post shared at least ``viral_shares`` times (1,000);
* ``negative_mention`` — a negative post by a verified author or an influencer
  (``influencer_followers``, 100,000). Ordinary negative posts get no alert of their own:
  they count toward the crisis rule and show on the dashboard (no alert storms); very
  negative ones (``very_negative``) lead the dashboard's list.
A post may trigger both (an influencer's post that goes viral).

A post is negative when the sentiment engine labels it so or its negativity reaches
``negative`` (the label alone catches posts whose product names soften the score).

Per tick (``crisis_detected``, once per incident): at least ``volume_threshold`` mentions
in the tick AND either their rate is ``spike_threshold`` × the rolling baseline or the
share of negative posts reaches ``negative_threshold``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from backend.ai.sentiment import SentimentResult

__all__ = ["CrisisRules", "mention_pattern", "post_alerts", "TickFigures", "assess_tick"]


@dataclass(frozen=True, slots=True)
class CrisisRules:
    negative: float = 0.7
    very_negative: float = 0.9
    spike_threshold: float = 5.0
    negative_threshold: float = 0.8
    volume_threshold: int = 100
    viral_shares: int = 1000
    influencer_followers: int = 100_000
    calm_ticks_to_close: int = 3
    auto_response_below: float | None = None

    @classmethod
    def from_inputs(cls, inputs: dict[str, Any]) -> CrisisRules:
        sentiment = (inputs.get("sentiment_analysis") or {}).get("thresholds") or {}
        crisis = inputs.get("crisis_detection") or {}
        auto = inputs.get("auto_response") or {}
        return cls(
            negative=float(sentiment.get("negative", 0.7)),
            very_negative=float(sentiment.get("very_negative", 0.9)),
            spike_threshold=float(crisis.get("spike_threshold", 5.0)),
            negative_threshold=float(crisis.get("negative_threshold", 0.8)),
            volume_threshold=int(crisis.get("volume_threshold", 100)),
            viral_shares=int(crisis.get("viral_shares", 1000)),
            influencer_followers=int(crisis.get("influencer_followers", 100_000)),
            calm_ticks_to_close=int(crisis.get("calm_ticks_to_close", 3)),
            auto_response_below=float(auto.get("for_sentiment_below", 0.3))
            if auto.get("enabled") else None,
        )  # fmt: skip


def mention_pattern(keywords: list[str], accounts: list[str]) -> re.Pattern[str]:
    """Keywords, their #hashtags and the accounts' @handles, as one case-blind pattern."""
    words = {k.strip().lstrip("#@").lower() for k in [*keywords, *accounts] if k.strip()}
    # "brand_official" is also mentioned as "brand"; keep both.
    words |= {w.split("_")[0] for w in words if "_" in w}
    alternatives = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    return re.compile(rf"(?<![\w])[#@]?(?:{alternatives})(?![a-z0-9])", re.IGNORECASE)


def negativity(result: SentimentResult) -> float:
    return 1.0 - result.score


def post_alerts(post: dict[str, Any], result: SentimentResult, rules: CrisisRules) -> list[str]:
    """The per-post alert rules this post (``shares``, ``verified``, ``followers``)
    triggers."""
    negative = result.label == "negative" or negativity(result) >= rules.negative
    out = []
    if negative and post["shares"] >= rules.viral_shares:
        out.append("viral_negative")
    influential = post["verified"] or post["followers"] >= rules.influencer_followers
    if negative and influential:
        out.append("negative_mention")
    return out


@dataclass(frozen=True, slots=True)
class TickFigures:
    mentions: int
    negative: int
    rate_per_min: float
    baseline_per_min: float | None
    negative_share: float
    spike: bool
    crisis: bool

    def as_dict(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__dataclass_fields__}


def assess_tick(
    *, mentions: int, negative: int, elapsed_sec: float, baseline: float | None,
    rules: CrisisRules,
) -> TickFigures:  # fmt: skip
    """The crisis rule over one tick's mentions (``baseline`` in mentions per minute)."""
    rate = mentions / max(elapsed_sec, 1.0) * 60
    share = negative / mentions if mentions else 0.0
    spike = bool(baseline) and rate >= rules.spike_threshold * float(baseline or 0)
    crisis = mentions >= rules.volume_threshold and (spike or share >= rules.negative_threshold)
    return TickFigures(mentions=mentions, negative=negative, rate_per_min=round(rate, 2),
                       baseline_per_min=baseline, negative_share=round(share, 4), spike=spike,
                       crisis=crisis)  # fmt: skip
