"""The features the trained sentiment model reads, the same at training and at inference.

From the canonical tokens (slang already mapped by ``backend.ai.normalize``):

- ``w:<word>`` each word, and ``c:<gram>`` its character 2..5-grams (``<bagus>``):
  typos, affixes ("pengirimannya"), words the training data spelt differently;
- negation scope: up to three words after a negator ("gak nyesel", "tidak pernah
  mengecewakan") give ``n:<word>`` and ``N:<gram>`` instead, so the model learns that
  "nyesel" and "gak nyesel" point opposite ways; a clause break or "tapi" ends the scope;
- ``b:<prev>_<word>``: each word pair (with ``<s>``/``</s>``);
- ``w:``/``n:`` of numbers and emoji, ``p:!``/``p:?`` for emphasis and questions;
- ``L+``/``L-`` per lexicon hit after the lexicon's own negation rules, ``L++``/``L--``
  when strong: lets the model weigh the lexicon's opinion against its own words;
- after the last "tapi"/"but" the words and lexicon hits again, as ``a:<word>`` and
  ``aL+``/``aL-``: "bagus tapi lambat" is mostly about "lambat".

A post's features come in two parts (:class:`PostFeatures`): its words, whose features the
engine caches word by word (words repeat across posts, grams are most of the features),
and the rest.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from backend.ai.sentiment_lexicon import Hit
from backend.ai.sentiment_rules import Rules

__all__ = ["PostFeatures", "post_features", "word_grams", "CHAR_NGRAMS"]

CHAR_NGRAMS = (2, 5)
_SCOPE = 3
_STRONG = 2.0
_BREAKS = frozenset({".", ",", ";"})


@dataclass(slots=True)
class PostFeatures:
    """``words``: (word, negated) pairs; ``extra``: every other feature string."""

    words: list[tuple[str, bool]]
    extra: list[str]

    def all(self) -> list[str]:
        """Every feature string, repeats kept (what training fits on)."""
        out: list[str] = []
        for word, negated in self.words:
            out.extend(word_grams(word, negated))
        return out + self.extra


@functools.lru_cache(maxsize=100_000)
def word_grams(word: str, negated: bool) -> tuple[str, ...]:
    """The word's own feature and its character n-grams."""
    prefix = "N:" if negated else "c:"
    out = ["n:" + word if negated else "w:" + word]
    padded = f"<{word}>"
    low, high = CHAR_NGRAMS
    for n in range(low, high + 1):
        out.extend(prefix + padded[i : i + n] for i in range(len(padded) - n + 1))
    return tuple(out)


def post_features(texts: list[str], hits: list[Hit], *, rules: Rules) -> PostFeatures:
    """Features of one tokenised post and its lexicon hits."""
    words: list[tuple[str, bool]] = []
    extra: list[str] = []
    scope = 0
    prev = "<s>"
    negators, contrast = rules.negators, rules.contrast
    turn = max((i for i, t in enumerate(texts) if t in contrast), default=len(texts))
    for at, word in enumerate(texts):
        head = word[0]
        if word in _BREAKS or head in "!?" or word in contrast:
            scope = 0
        negated = scope > 0 and word not in negators
        if head.isalpha():
            words.append((word, negated))
        else:
            extra.append(("n:" if negated else "w:") + word)
            if not head.isalnum():
                extra.append("p:" + word[:2])
        extra.append(f"b:{prev}_{word}")
        if at > turn:
            extra.append(f"a:{'n:' if negated else ''}{word}")
        prev = word
        if word in negators:
            scope = _SCOPE
        elif scope:
            scope -= 1
    extra.append(f"b:{prev}_</s>")
    for hit in hits:
        sign = "+" if hit.valence > 0 else "-"
        extra.append("L" + sign)
        if abs(hit.valence) >= _STRONG:
            extra.append("L" + sign + sign)
        if hit.start > turn:
            extra.append("aL" + sign)
    return PostFeatures(words, extra)
