"""The lexicon half of the offline sentiment engine: a VADER-style valence sum.

One lexicon holds VADER's English words and the project's Indonesian terms and emoji
(``backend/ai/data``); rules handle negation before the word ("gak bagus"), intensity
before or after it ("sangat bagus", "bagus banget"), contrast ("bagus tapi lambat" weighs
the part after "tapi"), emphasis (ALL CAPS, "bagusss", "!!!") and emoji. It knows words
the trained model never saw, so the engine blends the two (see ``backend.ai.sentiment``),
and it supplies the emotion evidence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from backend.ai.lexicon import Lexicon
from backend.ai.normalize import Token
from backend.ai.sentiment_rules import Rules

__all__ = ["EMOTIONS", "LexiconScore", "Hit", "lexicon_score"]

EMOTIONS: tuple[str, ...] = ("anger", "sadness", "joy", "surprise")

_NEGATION_SCALAR = -0.74  # VADER's empirically derived N_SCALAR
_BOOST = 0.293
_STRONG_BOOST = 0.45
_CAPS = 0.733
_ELONGATED = 0.35
_QUESTION_SCALE = 0.5


@dataclass(slots=True, frozen=True)
class Hit:
    """One lexicon term found in a post: where, and its valence after the rules."""

    start: int
    valence: float
    negated: bool


@dataclass(slots=True)
class LexiconScore:
    """The lexicon's view of one post."""

    compound: float  # -1 .. 1, VADER's normalisation of the valence sum
    hits: list[Hit] = field(default_factory=list)
    evidence: dict[str, float] = field(default_factory=dict)  # emotion -> raw weight
    bangs: int = 0
    question: bool = False


def _spans(texts: list[str], lex: Lexicon) -> list[tuple[int, int, float]]:
    """(start, length, valence) of each lexicon hit, longest phrase first."""
    hits: list[tuple[int, int, float]] = []
    i, n = 0, len(texts)
    words, phrases, longest, heads = lex.words, lex.phrases, lex.longest_phrase, lex.phrase_heads
    while i < n:
        word = texts[i]
        if word in heads:  # most words start no phrase: skip the slicing
            for size in range(min(longest, n - i), 1, -1):
                value = phrases.get(tuple(texts[i : i + size]))
                if value is not None:
                    hits.append((i, size, value))
                    i += size
                    break
            else:
                value = words.get(word)
                if value is not None:
                    hits.append((i, 1, value))
                i += 1
            continue
        value = words.get(word)
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


def _emotion_evidence(
    start: int, size: int, valence: float, negated: bool, texts: list[str],
    lex: Lexicon, rules: Rules, evidence: dict[str, float],
) -> None:  # fmt: skip
    term = texts[start] if size == 1 else " ".join(texts[start : start + size])
    for tag in lex.emotions.get(term) or rules.emotion_en.get(term) or ():
        if negated and tag == "joy":
            evidence["sadness"] += abs(valence)  # "tidak senang"
        elif not negated:
            evidence[tag] += abs(valence)


def lexicon_score(
    toks: list[Token], texts: list[str], raw: str, *, lex: Lexicon, rules: Rules
) -> LexiconScore:
    """Score tokenised text with the lexicon and its rules."""
    evidence = dict.fromkeys(EMOTIONS, 0.0)
    used: set[int] = set()
    hits: list[Hit] = []
    for start, size, value in _spans(texts, lex):
        if not value:
            continue  # a neutral phrase ("berapa lama") only hides its words
        valence, negated = _modified(start, start + size, value, toks, texts, rules, used)
        hits.append(Hit(start, valence, negated))
        _emotion_evidence(start, size, valence, negated, texts, lex, rules, evidence)
    contrast_at = max((i for i, t in enumerate(texts) if t in rules.contrast), default=-1)
    total = 0.0
    for hit in hits:
        if hit.start in used:
            continue  # the word served as a modifier ("kurang bagus", "jelek parah")
        valence = hit.valence
        if contrast_at >= 0:
            valence *= 0.5 if hit.start < contrast_at else 1.5
        total += valence
    bangs = sum(t.count("!") for t in texts if t[0] in "!?")
    if total and bangs:
        total += math.copysign(min(bangs, 4) * 0.292, total)
    question = "?" in raw and not bangs
    if question:
        # In a question, sentiment words mostly name what is asked about ("ready stock?").
        total *= _QUESTION_SCALE
    compound = total / math.sqrt(total * total + 15.0) if total else 0.0
    return LexiconScore(compound=compound, hits=[h for h in hits if h.start not in used],
                        evidence=evidence, bangs=bangs, question=question)  # fmt: skip
