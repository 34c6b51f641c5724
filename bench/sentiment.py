"""Offline sentiment: accuracy on blind-written posts, complaint topics, and posts/s on one core.

Accuracy (``tests/ai/sentiment_eval``, written blind by two writers who never saw the code,
lexicon or model): macro-F1 and accuracy overall and per language, on ``dev.jsonl`` (read
while tuning: a validation figure) and ``heldout.jsonl`` (never read, never trained on:
only its aggregates are printed). Beside the engine, the lexicon alone (the engine before
the trained model) as the baseline of the same run. Topic accuracy: on the posts the writers
marked negative, the topic the engine gives a negative post (``complaint_topic``) against
theirs; "end to end" also needs the label right.

IndoNLU SmSA valid (``backend/ai/data/smsa/valid_preprocess.tsv``, 1,260 Indonesian
reviews and comments; never trained on, used with ``dev.jsonl`` to choose the trainer's
settings): macro-F1, accuracy and per-label F1 of the engine and of the lexicon alone, and
which of the model's two label heads reads the valid and the dev texts (the head trained on
SmSA alone takes a text only when the domain model finds it clearly SmSA-like).
With ``--cv K`` also the K-fold cross-validated figures of the trainer on its own rows
(SmSA train and the project's posts; K models are trained: minutes). The SmSA test split
is not in the repository and is never scored here.

Throughput: synthetic but unique posts (evaluation sentences recombined plus a counter,
so no cache of whole posts helps), one process, one BLAS thread; VADER on the same posts as
the baseline. Usage: python bench/sentiment.py [--posts N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core, before numpy loads
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend.ai.lexicon import load_lexicon  # noqa: E402
from backend.ai.normalize import tokenize  # noqa: E402
from backend.ai.sentiment import (  # noqa: E402
    analyze,
    analyze_many,
    complaint_topic,
    mixed_head_weights,
)
from backend.ai.sentiment_lexicon import lexicon_score  # noqa: E402
from backend.ai.sentiment_model import MODEL_PATH  # noqa: E402
from backend.ai.sentiment_rules import load_rules  # noqa: E402
from bench._common import ROOT, Report, print_table  # noqa: E402

EVAL = ROOT / "tests/ai/sentiment_eval"
SMSA_VALID = ROOT / "backend/ai/data/smsa/valid_preprocess.tsv"
LABELS = ("positive", "neutral", "negative")
GOALS = {"f1": 0.85, "topic": 0.85, "smsa": 0.90, "posts_per_sec": 5000.0}


def _rows(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def macro_f1(pairs: Sequence[tuple[str, str]]) -> float:
    """Mean F1 over the three labels (a label neither expected nor given is skipped)."""
    scores = []
    for label in LABELS:
        tp = sum(1 for want, got in pairs if want == got == label)
        fp = sum(1 for want, got in pairs if got == label != want)
        fn = sum(1 for want, got in pairs if want == label != got)
        if tp + fp + fn:
            scores.append(2 * tp / (2 * tp + fp + fn))
    return sum(scores) / len(scores)


def per_label_f1(pairs: Sequence[tuple[str, str]]) -> dict[str, float]:
    out = {}
    for label in LABELS:
        tp = sum(1 for want, got in pairs if want == got == label)
        wrong = sum(1 for want, got in pairs if (want == label) != (got == label))
        out[label] = 2 * tp / (2 * tp + wrong) if tp + wrong else 0.0
    return out


def smsa_rows(path: Path) -> list[dict]:
    """IndoNLU's ``text<TAB>label`` lines as rows (all Indonesian)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = (x.rpartition("\t") for x in lines)
    return [{"text": text, "label": label, "lang": "id"} for text, _, label in cells]


def lexicon_label(text: str) -> str:
    """The lexicon alone, labelled as the engine did before the model (the baseline)."""
    lex, rules = load_lexicon(), load_rules()
    toks = tokenize(text, lexicon=lex.words)
    scored = lexicon_score(toks, [t.text for t in toks], text, lex=lex, rules=rules)
    edge = 0.2 if scored.question else 0.05
    c = scored.compound
    return "positive" if c >= edge else "negative" if c <= -edge else "neutral"


def score_set(rows: list[dict], label_of: Callable[[str], str]) -> dict[str, dict[str, float]]:
    """Aggregates per language and overall: n, accuracy, macro-F1."""
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in rows:
        pair = (row["label"], label_of(row["text"]))
        groups["all"].append(pair)
        groups[row["lang"]].append(pair)
    return {
        lang: {"n": len(pairs), "accuracy": sum(w == g for w, g in pairs) / len(pairs),
               "macro_f1": macro_f1(pairs)}
        for lang, pairs in groups.items()
    }  # fmt: skip


def topic_scores(rows: list[dict]) -> dict[str, float]:
    """Topic accuracy on the writers' negative posts: given negative, and end to end."""
    negative = [r for r in rows if r["label"] == "negative"]
    given = sum(complaint_topic(r["text"]) == r["topic"] for r in negative)
    both = 0
    for r in negative:
        res = analyze(r["text"])
        both += res.label == "negative" and res.topic == r["topic"]
    return {"n": len(negative), "given_negative": given / len(negative),
            "end_to_end": both / len(negative)}  # fmt: skip


def corpus(n: int, *, seed: int = 7) -> list[str]:
    """``n`` distinct posts: dev sentences, recombined, with a unique tail."""
    texts = [r["text"] for r in _rows(EVAL / "dev.jsonl")]
    rng = random.Random(seed)
    return [f"{rng.choice(texts)} {rng.choice(texts).split(',')[0]} #{i}" for i in range(n)]


def rate(fn: Callable[[list[str]], object], posts: list[str]) -> float:
    start = time.process_time()  # CPU time: the machine is shared, wall time is noisy
    fn(posts)
    return len(posts) / (time.process_time() - start)


def accuracy(report: Report) -> None:
    rows = []
    results = {}
    for name in ("dev", "heldout"):
        data = _rows(EVAL / f"{name}.jsonl")
        ours = score_set(data, lambda t: analyze(t).label)
        base = score_set(data, lexicon_label)
        results[name] = (ours, topic_scores(data))
        for lang in ("all", "id", "en", "mixed"):
            if lang in ours:
                o, b = ours[lang], base[lang]
                rows.append([f"{name} {lang}", o["n"], o["macro_f1"], o["accuracy"],
                             b["macro_f1"], b["accuracy"]])  # fmt: skip
        report.figure(f"{name}_lexicon_only_macro_f1", base["all"]["macro_f1"])
    print_table(["set", "posts", "macro-F1", "accuracy", "lexicon F1", "lexicon acc"], rows)
    print()
    print_table(
        ["set", "negative posts", "topic | negative", "topic end-to-end"],
        [[n, t["n"], t["given_negative"], t["end_to_end"]] for n, (_, t) in results.items()],
    )
    print()
    dev, dev_topics = results["dev"]
    held, held_topics = results["heldout"]
    report.target("heldout_macro_f1", held["all"]["macro_f1"], goal=GOALS["f1"])
    report.target("heldout_topic_accuracy", held_topics["given_negative"], goal=GOALS["topic"])
    report.figure("heldout_posts", held["all"]["n"])
    report.figure("heldout_accuracy", held["all"]["accuracy"])
    for lang in ("id", "en", "mixed"):
        report.figure(f"heldout_macro_f1_{lang}", held[lang]["macro_f1"])
    report.figure("heldout_topic_end_to_end", held_topics["end_to_end"])
    report.figure("dev_macro_f1", dev["all"]["macro_f1"])
    report.figure("dev_accuracy", dev["all"]["accuracy"])
    report.figure("dev_topic_accuracy", dev_topics["given_negative"])


def smsa(report: Report) -> None:
    rows = smsa_rows(SMSA_VALID)
    got = [r.label for r in analyze_many([r["text"] for r in rows])]
    pairs = [(r["label"], g) for r, g in zip(rows, got, strict=True)]
    base = score_set(rows, lexicon_label)["all"]
    f1s = per_label_f1(pairs)
    acc = sum(w == g for w, g in pairs) / len(pairs)
    print_table(
        ["SmSA valid (id)", "texts", "macro-F1", "accuracy", "F1 pos", "F1 neu", "F1 neg"],
        [["engine", len(pairs), macro_f1(pairs), acc, *(f1s[k] for k in LABELS)],
         ["lexicon alone", len(pairs), base["macro_f1"], base["accuracy"], "", "", ""]],
    )  # fmt: skip
    print()
    report.target("smsa_valid_macro_f1", macro_f1(pairs), goal=GOALS["smsa"])
    report.figure("smsa_valid_accuracy", acc)
    for label, value in f1s.items():
        report.figure(f"smsa_valid_f1_{label}", value)
    report.figure("smsa_valid_lexicon_only_macro_f1", base["macro_f1"])


def heads(report: Report) -> None:
    """Which label head reads which set: the mean weight of the mixed head (trained on both
    sources) against the SmSA-only head, and the share of texts the SmSA head mostly reads."""
    sets = {"SmSA valid": [r["text"] for r in smsa_rows(SMSA_VALID)],
            "dev": [r["text"] for r in _rows(EVAL / "dev.jsonl")]}  # fmt: skip
    rows = []
    for name, texts in sets.items():
        weights = mixed_head_weights(texts)
        smsa_share = sum(w < 0.5 for w in weights) / len(weights)
        rows.append([name, len(weights), sum(weights) / len(weights), smsa_share])
        key = name.split()[-1].lower()
        report.figure(f"{key}_mixed_head_weight", sum(weights) / len(weights))
        report.figure(f"{key}_share_read_by_smsa_head", smsa_share)
    print_table(["set", "texts", "mixed head weight", "mostly SmSA head"], rows)
    print()


def cross_validated(report: Report, folds: int) -> None:
    from backend.ai.train_sentiment import cross_validate, training_rows

    figures = cross_validate(training_rows(), folds=folds)
    print_table([f"{folds}-fold CV of the trainer", "rows", "macro-F1", "accuracy"],
                [[k, v["n"], v["macro_f1"], v["accuracy"]] for k, v in figures.items()])
    print()
    for source, v in figures.items():
        report.figure(f"cv{folds}_{source}_macro_f1", v["macro_f1"])
        report.figure(f"cv{folds}_{source}_accuracy", v["accuracy"])


def throughput(report: Report, n: int) -> None:
    posts = corpus(n)
    analyze_many(posts[:200])  # read the model and lexicon once, outside the timing

    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    ours = max(rate(analyze_many, posts) for _ in range(3))
    base = max(rate(lambda p: [vader.polarity_scores(t) for t in p], posts) for _ in range(2))
    print_table(["engine (one core, CPU time)", "posts/s"],
                [["spio offline (model + lexicon, topics)", ours],
                 ["vaderSentiment (en polarity only)", base]])  # fmt: skip
    print(f"posts: {len(posts):,}, mean length {sum(map(len, posts)) / len(posts):.0f} chars")
    report.target("sentiment_posts_per_sec", ours, goal=GOALS["posts_per_sec"])
    report.figure("vader_posts_per_sec", base)
    report.figure("ratio_vs_vader", ours / base)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--cv", type=int, default=0, metavar="K",
                        help="also K-fold cross-validate the trainer (trains K models)")
    args = parser.parse_args()
    report = Report()
    smsa(report)
    heads(report)
    if args.cv:
        cross_validated(report, args.cv)
    accuracy(report)
    throughput(report, args.posts)
    report.figure("model_mb", MODEL_PATH.stat().st_size / 1e6)
    report.target("model_size_mb", MODEL_PATH.stat().st_size / 1e6, goal=20.0,
                  higher_is_better=False)
    report.emit()


if __name__ == "__main__":
    main()
