"""Offline sentiment throughput on one core: posts/s of backend.ai.sentiment.analyze_many.

The corpus is synthetic but unique per post (words drawn from the evaluation set plus a
counter), so no cache could help; VADER's own analyzer on the same posts runs beside it
as the baseline. Usage: python bench/sentiment.py [--posts N]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from backend.ai.sentiment import analyze_many  # noqa: E402

GOAL = 5000.0


def corpus(n: int, *, seed: int = 7) -> list[str]:
    """``n`` distinct posts: evaluation sentences, recombined, with a unique tail."""
    rows = (ROOT / "tests/ai/data/sentiment_eval.jsonl").read_text(encoding="utf-8")
    texts = [json.loads(line)["text"] for line in rows.splitlines() if line.strip()]
    rng = random.Random(seed)
    posts = []
    for i in range(n):
        a, b = rng.choice(texts), rng.choice(texts)
        posts.append(f"{a} {b.split(',')[0]} #{i}")
    return posts


def rate(fn, posts: list[str]) -> float:
    start = time.perf_counter()
    fn(posts)
    return len(posts) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=20_000)
    args = parser.parse_args()
    posts = corpus(args.posts)
    analyze_many(posts[:200])  # build the lexicon once, outside the timing

    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    ours = max(rate(analyze_many, posts) for _ in range(3))
    base = max(rate(lambda p: [vader.polarity_scores(t) for t in p], posts) for _ in range(2))
    print(f"{'engine':<34}{'posts/s':>12}")
    print(f"{'spio offline (id+en, emotions)':<34}{ours:>12,.0f}")
    print(f"{'vaderSentiment (en polarity only)':<34}{base:>12,.0f}")
    print(f"posts: {len(posts):,}, mean length {sum(map(len, posts)) / len(posts):.0f} chars")
    print(
        json.dumps(
            {
                "sentiment_posts_per_sec": {
                    "value": round(ours),
                    "goal": GOAL,
                    "met": ours >= GOAL,
                },
                "vader_posts_per_sec": round(base),
                "ratio_vs_vader": round(ours / base, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
