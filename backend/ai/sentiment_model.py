"""The trained sentiment and complaint-topic model, read once per process, scored with numpy.

``backend/ai/data/sentiment_model.json.gz`` is written by ``python -m
backend.ai.train_sentiment``: the vocabulary of features (``backend.ai.sentiment_features``)
with their inverse document frequencies, and two multinomial logistic regressions over the
same TF-IDF vector (sublinear term frequency, L2-normalised, as scikit-learn computes it):
one for the label, one for the complaint topic of a negative post. Beside them, for text in
the style of the IndoNLU SmSA reviews and comments, a second label head trained on SmSA
alone and a domain model: a post's label logits are the two heads mixed by the domain
model's probability that the post is a social/marketplace post (shifted towards that
head: only text that reads clearly like SmSA's gets the SmSA head). Inference needs numpy
only, never scikit-learn.
"""

from __future__ import annotations

import functools
import gzip
import json
import math
from pathlib import Path

import numpy as np

from backend.ai.lexicon import DATA_DIR
from backend.ai.sentiment_features import PostFeatures, word_grams

__all__ = ["MODEL_PATH", "SentimentModel", "load_model", "read_model", "TOPICS"]

MODEL_PATH = DATA_DIR / "sentiment_model.json.gz"
TOPICS: tuple[str, ...] = ("delivery", "refund_payment", "product_quality", "counterfeit",
                           "service", "price", "other")  # fmt: skip
_NEUTRAL_EDGE = 0.1


def _columns(data: dict) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Weights (features x outputs) and biases: labels, topics, then, when the model has a
    domain part, the SmSA label head and the domain log-odds."""
    heads = [data["labels"], data["topics"]]
    domain = data.get("domain")
    if domain:
        heads.append(domain["smsa_labels"])
    coef = [np.asarray(h["coef"], dtype=np.float32).T for h in heads]
    bias = [np.asarray(h["intercept"], dtype=np.float32) for h in heads]
    if domain:
        coef.append(np.asarray(domain["coef"], dtype=np.float32)[:, None])
        bias.append(np.asarray([domain["intercept"]], dtype=np.float32))
    return coef, bias


class SentimentModel:
    """Linear models over one TF-IDF vocabulary: label, topic, and optionally the SmSA
    label head with its domain gate."""

    def __init__(self, data: dict) -> None:
        self.vocab: dict[str, int] = {f: i for i, f in enumerate(data["features"])}
        self.idf = np.asarray(data["idf"], dtype=np.float32)
        labels, topics = data["labels"], data["topics"]
        self.labels: tuple[str, ...] = tuple(labels["classes"])
        self.topics: tuple[str, ...] = tuple(topics["classes"])
        domain = data.get("domain")
        if domain and tuple(domain["smsa_labels"]["classes"]) != self.labels:
            raise ValueError("the SmSA head's labels differ from the label head's")
        self.domain_shift = float(domain["shift"]) if domain else None
        # One matrix, features x outputs: one gather and one product per post.
        coef, bias = _columns(data)
        self.coef, self.bias = np.hstack(coef), np.concatenate(bias)
        self.blend = float(data["lexicon_blend"])
        short = data.get("lexicon_blend_short") or {"words": 0, "blend": self.blend}
        self.short_words, self.short_blend = int(short["words"]), float(short["blend"])
        self._n = len(self.labels)
        self._pos = self.labels.index("positive")
        self._neg = self.labels.index("negative")
        self._word_rows = functools.lru_cache(maxsize=100_000)(self._rows_of_word)
        self._topic_end = self._n + len(self.topics)
        self._unknown = np.zeros_like(self.bias)
        self._unknown[self.labels.index("neutral")] = _NEUTRAL_EDGE
        if domain:
            self._unknown[self._topic_end + self.labels.index("neutral")] = _NEUTRAL_EDGE

    def _rows_of_word(self, word: str, negated: bool) -> tuple[int, ...]:
        vocab = self.vocab
        return tuple(i for i in map(vocab.get, word_grams(word, negated)) if i is not None)

    def logits(self, batch: list[PostFeatures]) -> np.ndarray:
        """Per post, its label logits, its topic logits, then (with a domain part) its SmSA
        head's label logits and its domain log-odds, of its TF-IDF vector (as
        scikit-learn computes it: sublinear counts times idf, L2-normalised, unknown
        features dropped). One numpy pass for the whole batch: per-call overhead, not
        arithmetic, is what a post costs."""
        ids: list[int] = []
        owners: list[int] = []
        word_rows, vocab = self._word_rows, self.vocab
        for k, feats in enumerate(batch):
            before = len(ids)
            for word, negated in feats.words:
                ids.extend(word_rows(word, negated))
            ids.extend(i for i in map(vocab.get, feats.extra) if i is not None)
            owners.extend([k] * (len(ids) - before))
        # Nothing the model knows (an empty post, a lone unknown word): no lean at all;
        # the lexicon's compound alone decides, neutral when it has nothing either.
        out = np.tile(self._unknown, (len(batch), 1))
        if not ids:
            return out
        width = len(self.idf)
        keys, counts = np.unique(np.asarray(owners, dtype=np.int64) * width
                                 + np.asarray(ids, dtype=np.int64), return_counts=True)  # fmt: skip
        post, rows = np.divmod(keys, width)
        x = (1.0 + np.log(counts, dtype=np.float32)) * self.idf[rows]
        x /= np.sqrt(np.bincount(post, weights=x * x, minlength=len(batch)))[post].astype(
            np.float32)
        starts = np.flatnonzero(np.r_[True, post[1:] != post[:-1]])
        out[post[starts]] = np.add.reduceat(self.coef[rows] * x[:, None], starts) + self.bias
        return out

    def label_logits(self, logits: np.ndarray) -> np.ndarray:
        """The label logits of one post: the mixed head's, or, for a model with a domain
        part, both heads weighted by the shifted probability of a social/marketplace post."""
        z = logits[: self._n]
        if self.domain_shift is None:
            return z.copy()
        smsa = logits[self._topic_end : self._topic_end + self._n]
        own = self.mixed_weight(logits)
        return own * z + (1.0 - own) * smsa

    def mixed_weight(self, logits: np.ndarray) -> float:
        """How much the mixed head counts in the label of one post, 0..1 (1.0 for a model
        without a domain part): the rest is the SmSA head's."""
        if self.domain_shift is None:
            return 1.0
        return 1.0 / (1.0 + math.exp(-(float(logits[-1]) + self.domain_shift)))

    def label_probabilities(self, logits: np.ndarray, *, compound: float,
                            words: int) -> dict[str, float]:  # fmt: skip
        """P(label), the lexicon's -1..1 ``compound`` added to the positive-vs-negative
        logits, more strongly in a post of at most ``short_words`` tokens."""
        blend = self.short_blend if words <= self.short_words else self.blend
        z = self.label_logits(logits)
        z[self._pos] += blend * compound
        z[self._neg] -= blend * compound
        p = np.exp(z - z.max())
        p /= p.sum()
        return {label: float(v) for label, v in zip(self.labels, p, strict=True)}

    def topic(self, logits: np.ndarray) -> str:
        """The most likely complaint topic (of a post judged negative)."""
        return self.topics[int(logits[self._n : self._topic_end].argmax())]


def read_model(path: Path) -> SentimentModel:
    """Parse a model file (tests and the trainer read fresh ones)."""
    return SentimentModel(json.loads(gzip.decompress(path.read_bytes())))


@functools.lru_cache(maxsize=1)
def load_model() -> SentimentModel:
    """The shipped model, read on first use and kept for the process."""
    return read_model(MODEL_PATH)
