"""Offline sentiment for Indonesian, English and mixed posts: label, score, complaint topic,
emotions, intent, language.

Two parts, blended: a model trained on posts written blind for this project and on the
IndoNLU SmSA train split (``backend.ai.sentiment_model``: TF-IDF over words, word pairs,
character n-grams and negation scope, multinomial logistic regression) and the VADER-style
lexicon with its rules (``backend.ai.sentiment_lexicon``). The lexicon's compound score is
added to the model's positive-vs-negative logits: it knows words the training texts never
used, and its negation and intensity rules hold on short posts ("gak bagus", "worst seller
ever"). Each
negative post also gets its main complaint topic (``TOPICS``). Numpy and pure Python,
model read once per process: thousands of posts per second on one core.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, cast

import numpy as np

from backend.ai.lexicon import load_lexicon
from backend.ai.normalize import tokenize
from backend.ai.sentiment_features import PostFeatures
from backend.ai.sentiment_features import post_features as _features
from backend.ai.sentiment_lexicon import EMOTIONS, LexiconScore, lexicon_score
from backend.ai.sentiment_model import TOPICS, SentimentModel, load_model
from backend.ai.sentiment_rules import Rules, load_rules

__all__ = ["SentimentResult", "analyze", "analyze_many", "complaint_topic", "post_features",
           "mixed_head_weights", "EMOTIONS", "TOPICS"]  # fmt: skip

Label = Literal["positive", "neutral", "negative"]
_CHUNK = 256  # posts per numpy pass: amortises the calls, bounds the memory
Intent = Literal["complaint", "question", "praise", "other"]


@dataclass(slots=True)
class SentimentResult:
    """What the crisis monitor and the UI need to know about one post."""

    label: Label
    score: float  # 0.0 very negative .. 1.0 very positive
    emotions: dict[str, float] = field(default_factory=dict)
    intent: Intent = "other"
    language: str = "id"
    engine: str = "offline"
    topic: str | None = None  # one of TOPICS for a negative post, else None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _language(texts: list[str], rules: Rules) -> str:
    indonesian = load_lexicon().indonesian
    ind = sum(1 for t in texts if t in rules.id_markers or t in indonesian)
    eng = sum(1 for t in texts if t in rules.en_markers)
    if eng == 0 or ind >= 3 * eng:
        return "id" if ind or not eng else "en"
    if ind == 0 or eng >= 3 * ind:
        return "en"
    return "mixed"


def _intent(texts: list[str], raw: str, label: Label, polarity: float, rules: Rules) -> Intent:
    has_cue = any(t in rules.complaint_cues for t in texts)
    asks = "?" in raw or bool(texts and texts[0] in rules.question_openers)
    if label == "negative" and (has_cue or asks or polarity <= -0.35):
        return "complaint"  # "where is my order?!" is a complaint, not a question
    if any(t in rules.strong_complaint for t in texts) and label != "positive":
        return "complaint"
    if asks:
        return "question"
    if label == "positive" and (polarity >= 0.3 or any(t in rules.praise_cues for t in texts)):
        return "praise"
    return "other"


def _squash(x: float) -> float:
    return round(1.0 - math.exp(-x / 2.5), 3) if x > 0 else 0.0


def _emotions(lexical: LexiconScore, raw: str, polarity: float) -> dict[str, float]:
    evidence = dict(lexical.evidence)
    if polarity < 0 and lexical.bangs:
        evidence["anger"] += 0.8 * min(lexical.bangs, 3)
    if "?!" in raw or "!?" in raw:
        evidence["surprise"] += 1.5
    if polarity <= -0.3 and evidence["anger"] + evidence["sadness"] == 0:
        evidence["sadness"] += abs(polarity) * 2.0
    if polarity >= 0.3 and evidence["joy"] == 0:
        evidence["joy"] += polarity * 2.0
    return {k: _squash(v) for k, v in evidence.items()}


@dataclass(slots=True)
class _Parsed:
    texts: list[str]
    lexical: LexiconScore
    features: PostFeatures


def _parse(text: str) -> _Parsed:
    lex, rules = load_lexicon(), load_rules()
    toks = tokenize(text, lexicon=lex.words, cache=lex.token_cache)
    texts = [t.text for t in toks]
    lexical = lexicon_score(toks, texts, text, lex=lex, rules=rules)
    return _Parsed(texts, lexical, _features(texts, lexical.hits, rules=rules))


def post_features(text: str) -> list[str]:
    """The model's features of ``text`` (what ``train_sentiment`` fits on)."""
    return _parse(text).features.all()


def complaint_topic(text: str) -> str:
    """The main complaint of ``text`` read as a negative post (one of ``TOPICS``): for
    posts a monitor counts as negative by its own threshold."""
    model = load_model()
    return model.topic(model.logits([_parse(text).features])[0])


def mixed_head_weights(texts: Iterable[str]) -> list[float]:
    """Per text, how much the label head trained on both sources counts, 0..1; the rest is
    the SmSA-only head's (the bench shows which head reads which evaluation set)."""
    model = load_model()
    parsed = [_parse(t).features for t in texts]
    return [model.mixed_weight(z) for z in model.logits(parsed)] if parsed else []


def _result(text: str, parsed: _Parsed, logits: np.ndarray, model: SentimentModel
            ) -> SentimentResult:  # fmt: skip
    rules = load_rules()
    probs = model.label_probabilities(logits, compound=parsed.lexical.compound,
                                      words=len(parsed.texts))
    label = cast(Label, max(probs, key=probs.__getitem__))
    polarity = probs["positive"] - probs["negative"]  # -1 .. 1
    return SentimentResult(
        label=label,
        # Six digits: trained on long SmSA reviews, the model is sure of "bagus" (0.99998)
        # and surer of "bagus banget" (0.999993); four would call them equal.
        score=round((polarity + 1.0) / 2.0, 6),
        emotions=_emotions(parsed.lexical, text, polarity),
        intent=_intent(parsed.texts, text, label, polarity, rules),
        language=_language(parsed.texts, rules),
        topic=model.topic(logits) if label == "negative" else None,
    )


def analyze(text: str) -> SentimentResult:
    """Score one post offline."""
    return analyze_many([text])[0]


def analyze_many(texts: Iterable[str], *, model: SentimentModel | None = None
                 ) -> list[SentimentResult]:  # fmt: skip
    """Score many posts offline (the crisis monitor's fast path: the model scores a chunk
    of posts in one numpy pass). ``model``: another than the shipped one (the trainer's
    cross-validation scores its fold models as the engine would)."""
    model = model or load_model()
    results: list[SentimentResult] = []
    chunk: list[str] = []
    for text in [*texts, None]:
        if text is not None:
            chunk.append(text)
        if chunk and (text is None or len(chunk) == _CHUNK):
            parsed = [_parse(t) for t in chunk]
            logits = model.logits([p.features for p in parsed])
            results.extend(_result(t, p, z, model)
                           for t, p, z in zip(chunk, parsed, logits, strict=True))  # fmt: skip
            chunk = []
    return results
