"""Social posts: a live, seeded stream per platform account, plus injected crisis bursts.

Post ``n`` of an account appears at ``epoch + n * gap``; its id is time-ordered
(``created_ms * 1000 + k``) so ``since_id``-style paging works for every platform.
"""

from __future__ import annotations

import functools
from typing import Any

from backend.sandbox.data.catalog import products
from backend.sandbox.data.rng import rng_for
from backend.sandbox.data.words import (
    CRISIS,
    FIRST_NAMES,
    LAST_NAMES,
    NEGATIVE,
    NEUTRAL,
    POSITIVE,
)

__all__ = ["BRAND_ACCOUNTS", "post_at", "posts_between", "crisis_burst", "gap_sec"]

BRAND_ACCOUNTS = {
    "instagram": "brand_official",
    "twitter": "@brand",
    "tiktok": "@brand",
    "facebook": "BrandPage",
}
_HISTORY_SEC = 24 * 3600


def gap_sec(platform: str, account: str) -> float:
    """Seconds between posts: the brand's main accounts are busy (50/min, 12,000/h over
    the four), other accounts quiet."""
    return 1.2 if BRAND_ACCOUNTS.get(platform) == account else 12.0


def _author(rng: Any, *, verified: bool = False, followers: int | None = None) -> dict[str, Any]:
    first = FIRST_NAMES[rng.randrange(len(FIRST_NAMES))]
    last = LAST_NAMES[rng.randrange(len(LAST_NAMES))]
    handle = f"{first.lower()}{rng.choice(('', '_', '.'))}{last.lower()[:4]}{rng.randint(1, 999)}"
    return {
        "id": str(rng.randint(10**9, 10**10)),
        "username": handle,
        "name": f"{first} {last}",
        "verified": verified,
        "followers": followers if followers is not None else int(rng.paretovariate(1.2) * 80),
    }


@functools.lru_cache(maxsize=50_000)
def post_at(
    seed: int, platform: str, account: str, n: int, epoch: float, gap: float | None = None
) -> dict[str, Any]:
    """Post number ``n`` of the account's seeded stream (``gap``: a busier stream's own
    spacing, set by the admin; its ``k`` stays below the crisis bursts' 900..999)."""
    rng = rng_for(seed, "post", platform, account, n, *([gap] if gap else []))
    created = epoch + n * (gap or gap_sec(platform, account))
    roll = rng.random()
    pool, sentiment = (
        (POSITIVE, "positive")
        if roll < 0.55
        else (NEUTRAL, "neutral")
        if roll < 0.82
        else (NEGATIVE, "negative")
    )
    catalog = products(seed)
    product = catalog[rng.randrange(len(catalog))]
    brand = rng.choice(
        (
            account if account.startswith("@") else f"@{account}",
            "#brand",
            "Brand Store",
            "brand_name",
        )
    )
    text = rng.choice(pool).format(p=product.name.split(" - ")[0], b=brand, t="brand")
    shares = int(rng.paretovariate(1.6)) - 1
    return _post(
        platform,
        account,
        created,
        n % 900 if gap else n % 1000,
        text,
        _author(rng),
        {
            "likes": int(rng.paretovariate(1.3) * 3),
            "shares": shares,
            "comments": int(rng.paretovariate(1.5)) - 1,
        },
        sentiment,
    )


def _post(
    platform: str,
    account: str,
    created: float,
    k: int,
    text: str,
    author: dict[str, Any],
    stats: dict[str, int],
    hint: str,
) -> dict[str, Any]:
    created_ms = int(created * 1000)
    return {
        "id": str(created_ms * 1000 + k),
        "platform": platform,
        "account": account,
        "created_ms": created_ms,
        "text": text,
        "author": author,
        **stats,
        "sentiment_hint": hint,
    }


def posts_between(
    seed: int, platform: str, account: str, *, epoch: float, after_ms: int, until: float,
    limit: int, gap: float | None = None, history: bool = True,
) -> list[dict[str, Any]]:  # fmt: skip
    """Seeded posts created after ``after_ms`` (exclusive) up to ``until``, oldest first
    (``gap``: a busier stream's spacing; ``history``: whether the stream has a day of
    posts before ``epoch``)."""
    step = gap or gap_sec(platform, account)
    back = _HISTORY_SEC if history else 0.0
    start = max(epoch - back, after_ms / 1000)
    first = max(int((start - epoch) / step), -int(back / step))
    out: list[dict[str, Any]] = []
    n = first
    while len(out) < limit:
        created = epoch + n * step
        if created > until:
            break
        if int(created * 1000) > after_ms:
            out.append(post_at(seed, platform, account, n, epoch, gap))
        n += 1
    return out


def crisis_burst(
    seed: int,
    platform: str,
    account: str,
    *,
    start: float,
    over_sec: float,
    count: int,
    round_no: int,
) -> list[dict[str, Any]]:
    """``count`` negative posts spread over ``over_sec``: one viral, one influencer."""
    rng = rng_for(seed, "crisis", platform, account, round_no)
    catalog = products(seed)
    product = catalog[rng.randrange(len(catalog))].name.split(" - ")[0]
    brand = account if account.startswith("@") else f"@{account}"
    out = []
    for i in range(count):
        created = start + over_sec * (i / max(1, count - 1)) ** 1.5
        text = rng.choice(CRISIS + NEGATIVE).format(p=product, b=brand, t="brand")
        author = _author(rng)
        stats = {
            "likes": rng.randint(5, 300),
            "shares": rng.randint(3, 250),
            "comments": rng.randint(1, 80),
        }
        if i == count // 3:  # the one that goes viral
            stats = {"likes": 48_200, "shares": 25_400, "comments": 6_100}
            text = CRISIS[2].format(p=product, b=brand, t="brand")
        if i == count // 2:  # an influencer joins in
            author = _author(rng, verified=True, followers=1_240_000)
            stats = {"likes": 15_300, "shares": 4_100, "comments": 2_300}
            text = CRISIS[0].format(p=product, b=brand, t="brand")
        out.append(
            _post(platform, account, created, 900 + i % 100, text, author, stats, "negative")
        )
    return out
