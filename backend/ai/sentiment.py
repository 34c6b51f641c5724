"""Offline sentiment for Indonesian, English and mixed posts: score, label, emotions, intent.

A VADER-style valence sum over one lexicon holding VADER's English words and the
project's Indonesian terms (``backend/ai/data``), with rules for negation before the word
("gak bagus"), intensity before or after it ("sangat bagus", "bagus banget"), contrast
("bagus tapi lambat" weighs the part after "tapi"), emphasis (ALL CAPS, "bagusss", "!!!")
and emoji. Pure Python, no model file: tens of thousands of posts per second on one core.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from backend.ai.lexicon import Lexicon, load_lexicon
from backend.ai.normalize import Token, tokenize
from backend.ai.sentiment_rules import Rules, load_rules

__all__ = ["SentimentResult", "analyze", "analyze_many", "EMOTIONS"]

Label = Literal["positive", "neutral", "negative"]
Intent = Literal["complaint", "question", "praise", "other"]
EMOTIONS: tuple[str, ...] = ("anger", "sadness", "joy", "surprise")

_NEGATION_SCALAR = -0.74  # VADER's empirically derived N_SCALAR
_BOOST = 0.293
_STRONG_BOOST = 0.45
_CAPS = 0.733
_ELONGATED = 0.35
_LABEL_EDGE = 0.05
_QUESTION_SCALE = 0.5
_QUESTION_EDGE = 0.2


@dataclass(slots=True)
class SentimentResult:
    """What the crisis monitor and the UI need to know about one post."""

    label: Label
    score: float  # 0.0 very negative .. 1.0 very positive
    emotions: dict[str, float] = field(default_factory=dict)
    intent: Intent = "other"
    language: str = "id"
    engine: str = "offline"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _spans(texts: list[str], lex: Lexicon) -> list[tuple[int, int, float]]:
    """(start, length, valence) of each lexicon hit, longest phrase first."""
    hits: list[tuple[int, int, float]] = []
    i, n = 0, len(texts)
    words, phrases, longest = lex.words, lex.phrases, lex.longest_phrase
    while i < n:
        for size in range(min(longest, n - i), 1, -1):
            value = phrases.get(tuple(texts[i : i + size]))
            if value is not None:
                hits.append((i, size, value))
                i += size
                break
        else:
            value = words.get(texts[i])
            if value is not None:
                hits.append((i, 1, value))
            i += 1
    return hits


def _modified(
    start: int,
    end: int,
    value: float,
    toks: list[Token],
    texts: list[str],
    rules: Rules,
    used: set[int],
) -> tuple[float, bool]:
    """Valence after emphasis, intensity and negation; also whether it was negated."""
    sign = 1.0 if value > 0 else -1.0
    head = toks[start]
    if head.caps:
        value += sign * _CAPS
    if head.elongated:
        value += sign * _ELONGATED
    for back in (1, 2):
        j = start - back
        if j >= 0 and texts[j] in rules.pre_boosters:
            value += sign * _BOOST * (1.0 if back == 1 else 0.9)
            used.add(j)
        elif j >= 0 and texts[j] in rules.dampers and texts[j] not in rules.negators:
            value -= sign * _BOOST
            used.add(j)
    for ahead in (0, 1):
        j = end + ahead
        if j < len(texts) and texts[j] in rules.post_boosters:
            value += sign * (_STRONG_BOOST if texts[j] in rules.strong_post else _BOOST)
            used.add(j)
    negated = False
    for back in (1, 2, 3):
        j = start - back
        if j < 0 or texts[j] in rules.contrast or texts[j][0] in "!?,.;":
            break
        if texts[j] in rules.negators:
            nxt = texts[j + 1] if j + 1 < len(texts) else ""
            if nxt not in rules.negation_breakers:
                negated = True
                used.add(j)
            break
    if negated:
        value *= _NEGATION_SCALAR
    return value, negated


def _language(texts: list[str], lex: Lexicon, rules: Rules) -> str:
    ind = sum(1 for t in texts if t in rules.id_markers or t in lex.indonesian)
    eng = sum(1 for t in texts if t in rules.en_markers)
    if eng == 0 or ind >= 3 * eng:
        return "id" if ind or not eng else "en"
    if ind == 0 or eng >= 3 * ind:
        return "en"
    return "mixed"


def _intent(texts: list[str], raw: str, compound: float, rules: Rules) -> Intent:
    has_cue = any(t in rules.complaint_cues for t in texts)
    asks = "?" in raw or bool(texts and texts[0] in rules.question_openers)
    if compound <= -0.05 and (has_cue or asks or compound <= -0.35):
        return "complaint"  # "where is my order?!" is a complaint, not a question
    if any(t in rules.strong_complaint for t in texts) and compound < 0.05:
        return "complaint"
    if asks:
        return "question"
    if compound >= 0.3 or (compound >= 0.05 and any(t in rules.praise_cues for t in texts)):
        return "praise"
    return "other"


def _squash(x: float) -> float:
    return round(1.0 - math.exp(-x / 2.5), 3) if x > 0 else 0.0


def analyze(text: str) -> SentimentResult:
    """Score one post offline."""
    lex, rules = load_lexicon(), load_rules()
    toks = tokenize(text, lexicon=lex.words)
    texts = [t.text for t in toks]
    evidence = dict.fromkeys(EMOTIONS, 0.0)
    used: set[int] = set()
    scored: list[tuple[int, float]] = []
    for start, size, value in _spans(texts, lex):
        if not value:
            continue  # a neutral phrase ("berapa lama") only hides its words
        valence, negated = _modified(start, start + size, value, toks, texts, rules, used)
        scored.append((start, valence))
        term = texts[start] if size == 1 else " ".join(texts[start : start + size])
        tags = lex.emotions.get(term) or rules.emotion_en.get(term) or ()
        for tag in tags:
            if negated and tag == "joy":
                evidence["sadness"] += abs(valence)
            elif not negated:
                evidence[tag] += abs(valence)
    contrast_at = max((i for i, t in enumerate(texts) if t in rules.contrast), default=-1)
    total = 0.0
    for index, valence in scored:
        if index in used:
            continue  # the word served as a modifier ("kurang bagus", "jelek parah")
        if contrast_at >= 0:
            valence *= 0.5 if index < contrast_at else 1.5
        total += valence
    bangs = sum(t.count("!") for t in texts if t[0] in "!?")
    if total and bangs:
        total += math.copysign(min(bangs, 4) * 0.292, total)
    edge = _LABEL_EDGE
    if "?" in text and not bangs:
        # In a question, sentiment words mostly name what is asked about ("ready stock?").
        total *= _QUESTION_SCALE
        edge = _QUESTION_EDGE
    compound = total / math.sqrt(total * total + 15.0) if total else 0.0
    label: Label = (
        "positive" if compound >= edge else "negative" if compound <= -edge else "neutral"
    )
    if compound < 0 and bangs:
        evidence["anger"] += 0.8 * min(bangs, 3)
    if "?!" in text or "!?" in text:
        evidence["surprise"] += 1.5
    if compound <= -0.3 and evidence["anger"] + evidence["sadness"] == 0:
        evidence["sadness"] += abs(total) * 0.5
    if compound >= 0.3 and evidence["joy"] == 0:
        evidence["joy"] += total * 0.5
    return SentimentResult(
        label=label,
        score=round((compound + 1.0) / 2.0, 4),
        emotions={k: _squash(v) for k, v in evidence.items()},
        intent=_intent(texts, text, compound, rules),
        language=_language(texts, lex, rules),
    )


def analyze_many(texts: Iterable[str]) -> list[SentimentResult]:
    """Score many posts offline (the crisis monitor's fast path)."""
    return [analyze(t) for t in texts]
