"""Sentiment through the LLM, in batches, with the offline engine's output schema.

Each batch of posts is one request; an answer must score every post (by index) with a
label, a 0..1 score, the four emotions, an intent and, for a negative post, its complaint
topic (the offline engine's ``TOPICS``; a non-negative post's topic is dropped). A batch
whose answer stays invalid after one retry, or that cannot be sent, is scored offline
instead and reported.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from backend.ai.llm import LLMClient, LLMError, make_llm_client
from backend.ai.sentiment import TOPICS, SentimentResult, analyze_many
from backend.core.config import Settings

__all__ = ["analyze_many_ai", "SYSTEM_PROMPT", "NO_LLM_NOTE"]

# The note when no LLM is configured (a run's log shows it to the seller in their words).
NO_LLM_NOTE = "no LLM configured; scored offline"

SYSTEM_PROMPT = (
    "TASK: sentiment\n"
    "You rate social-media posts and reviews written in Indonesian, English or both (slang, "
    'emoji). Input: {"texts": [..]}. Reply with ONE JSON object {"results": [{"i": index, '
    '"label": "positive"|"neutral"|"negative", "score": 0.0 (very negative) to 1.0 '
    '(very positive), "emotions": {"anger", "sadness", "joy", "surprise": 0..1}, '
    '"intent": "complaint"|"question"|"praise"|"other", "topic": for a negative post its '
    'main complaint, one of ' + "|".join(f'"{t}"' for t in TOPICS) + ', else null}]}, one '
    "result per text. Topics: delivery = late/lost/damaged shipment, courier; refund_payment "
    "= refund, double charge, failed payment, COD, voucher not credited; product_quality = "
    "broken, defective, wrong size/colour, not as pictured; counterfeit = fake/KW/not "
    "original; service = rude/slow/no reply from admin or CS; price = too expensive, price "
    "hike, misleading discount; other = anything else."
)


class _Emotions(BaseModel):
    anger: float = Field(ge=0, le=1)
    sadness: float = Field(ge=0, le=1)
    joy: float = Field(ge=0, le=1)
    surprise: float = Field(ge=0, le=1)


class _Item(BaseModel):
    i: int
    label: Literal["positive", "neutral", "negative"]
    score: float = Field(ge=0, le=1)
    emotions: _Emotions
    intent: Literal["complaint", "question", "praise", "other"]
    topic: Literal[TOPICS] | None = None  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _topic_fits_label(self) -> _Item:
        if self.label == "negative" and self.topic is None:
            raise ValueError(f"result {self.i}: a negative post needs its topic")
        if self.label != "negative":
            self.topic = None  # only negative posts carry a complaint topic
        return self


class _Answer(BaseModel):
    results: list[_Item]


def _parser(count: int):
    def parse(data: Any) -> list[_Item]:
        items = _Answer.model_validate(data).results
        if sorted(item.i for item in items) != list(range(count)):
            raise ValueError(f"give exactly one result for each index 0..{count - 1}")
        return sorted(items, key=lambda item: item.i)

    return parse


def _batch(client: LLMClient, texts: Sequence[str]) -> list[SentimentResult]:
    offline = analyze_many(texts)  # keeps the language the offline engine detected
    items = client.chat_json(
        system=SYSTEM_PROMPT, user=json.dumps({"texts": list(texts)}, ensure_ascii=False),
        parse=_parser(len(texts)),
    )  # fmt: skip
    return [
        SentimentResult(label=item.label, score=round(item.score, 4),
                        emotions=item.emotions.model_dump(), intent=item.intent,
                        language=base.language, engine="llm", topic=item.topic)
        for item, base in zip(items, offline, strict=True)
    ]  # fmt: skip


def analyze_many_ai(
    texts: Sequence[str], *, settings: Settings | None = None, batch_size: int = 25
) -> tuple[list[SentimentResult], str | None]:
    """Score ``texts`` with the LLM; returns the results and why any fell back offline."""
    client = make_llm_client(settings)
    if client is None:
        return analyze_many(texts), NO_LLM_NOTE
    results: list[SentimentResult] = []
    reasons: list[str] = []
    for start in range(0, len(texts), batch_size):
        chunk = texts[start : start + batch_size]
        try:
            results += _batch(client, chunk)
        except LLMError as exc:
            reasons.append(f"posts {start}-{start + len(chunk) - 1}: {exc}")
            results += analyze_many(chunk)
    reason = "scored offline: " + "; ".join(reasons) if reasons else None
    return results, reason
