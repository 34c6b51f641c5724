"""Train the offline sentiment and complaint-topic model: ``python -m backend.ai.train_sentiment``.

Reads every ``backend/ai/data/sentiment_train/*.jsonl`` (posts written blind for this
project, see the README there), fits scikit-learn's TF-IDF and two multinomial logistic
regressions on the features of ``backend.ai.sentiment_features``, and writes
``backend/ai/data/sentiment_model.json.gz``. The same data and seed give a byte-identical
file: one BLAS thread, rounded weights, sorted keys and a gzip header without a time.

Hyperparameters were chosen on ``tests/ai/sentiment_eval/dev.jsonl`` and on cross-writer
splits of the training data (train on one writer, score the other); the held-out half of
the evaluation set was never used. scikit-learn is a training tool only
(``requirements.txt``'s tooling part); the product scores with numpy.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backend.ai.lexicon import DATA_DIR
from backend.ai.sentiment import post_features
from backend.ai.sentiment_model import MODEL_PATH, TOPICS

__all__ = ["fit", "export", "serialise", "read_rows", "Fitted", "TRAIN_DIR", "LABELS"]

TRAIN_DIR = DATA_DIR / "sentiment_train"
LABELS: tuple[str, ...] = ("negative", "neutral", "positive")
LABEL_C = 30.0  # weak regularisation: the features are many but each post has few
TOPIC_C = 10.0
LEXICON_BLEND = 1.0  # logit units per unit of the lexicon's compound score
MIN_DF = 2
_DIGITS = 6


def read_rows(paths: Sequence[Path]) -> list[dict[str, Any]]:
    """Labelled posts, checked: a label, and a topic exactly when negative."""
    rows: list[dict[str, Any]] = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            label, topic = row.get("label"), row.get("topic")
            ok = isinstance(row.get("text"), str) and label in LABELS and (
                topic in TOPICS if label == "negative" else topic is None
            )
            if not ok:
                raise ValueError(f"{path.name}:{number}: bad label/topic/text: {line[:80]}")
            rows.append(row)
    return rows


def _round(values: Any) -> list:
    return [round(float(v), _DIGITS) + 0.0 for v in values]  # + 0.0 turns -0.0 into 0.0


@dataclass(slots=True)
class Fitted:
    """The fitted scikit-learn parts (tests compare the engine's numpy scoring with them)."""

    vectorizer: Any
    labels: Any
    topics: Any
    posts: int
    negative_posts: int
    seed: int


def _classifier(*, c: float, balanced: bool, seed: int) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, class_weight="balanced" if balanced else None,
                              max_iter=10_000, tol=1e-6, random_state=seed)  # fmt: skip


def fit(rows: list[dict[str, Any]], *, seed: int = 0) -> Fitted:
    """TF-IDF over the engine's features, then the label and the topic regressions."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from threadpoolctl import threadpool_limits

    analyzer: Callable[[str], list[str]] = post_features
    vectorizer = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, min_df=MIN_DF)
    negative = [i for i, r in enumerate(rows) if r["label"] == "negative"]
    with threadpool_limits(limits=1):  # one summation order: the same bytes every time
        x = vectorizer.fit_transform([r["text"] for r in rows])
        labels = _classifier(c=LABEL_C, balanced=False, seed=seed)
        labels.fit(x, [r["label"] for r in rows])
        # Balanced: price and counterfeit complaints are rarer than delivery ones.
        topics = _classifier(c=TOPIC_C, balanced=True, seed=seed)
        topics.fit(x[negative], [rows[i]["topic"] for i in negative])
    return Fitted(vectorizer, labels, topics, len(rows), len(negative), seed)


def _linear(clf: Any) -> dict[str, Any]:
    return {"classes": [str(k) for k in clf.classes_], "intercept": _round(clf.intercept_),
            "coef": [_round(row) for row in clf.coef_]}  # fmt: skip


def export(fitted: Fitted) -> dict[str, Any]:
    """The model as the JSON object the engine reads."""
    return {
        "format": 1,
        "features": [str(f) for f in fitted.vectorizer.get_feature_names_out()],
        "idf": _round(fitted.vectorizer.idf_),
        "labels": _linear(fitted.labels),
        "topics": _linear(fitted.topics),
        "lexicon_blend": LEXICON_BLEND,
        "training": {"posts": fitted.posts, "negative_posts": fitted.negative_posts,
                     "seed": fitted.seed, "label_C": LABEL_C, "topic_C": TOPIC_C,
                     "min_df": MIN_DF},
    }  # fmt: skip


def serialise(model: dict[str, Any]) -> bytes:
    text = json.dumps(model, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, nargs="*", default=None,
                        help="training files (default: every sentiment_train/*.jsonl)")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)  # fmt: skip
    paths = args.data or sorted(TRAIN_DIR.glob("*.jsonl"))
    rows = read_rows(paths)
    blob = serialise(export(fit(rows, seed=args.seed)))
    args.out.write_bytes(blob)
    digest = hashlib.sha256(blob).hexdigest()[:16]
    print(f"{args.out}: {len(rows)} posts from {len(paths)} files, "
          f"{len(blob) / 1e6:.2f} MB, sha256 {digest}")  # fmt: skip


if __name__ == "__main__":
    main()
