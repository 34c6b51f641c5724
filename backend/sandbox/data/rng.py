"""Deterministic random streams keyed by the seed and a path of names."""

from __future__ import annotations

import hashlib
import random

__all__ = ["rng_for", "unit"]


def rng_for(seed: int, *parts: object) -> random.Random:
    """A Random seeded by ``seed`` and ``parts`` (stable across processes and runs)."""
    return random.Random(":".join([str(seed), *map(str, parts)]))


def unit(seed: int, *parts: object) -> float:
    """One cheap deterministic draw in [0, 1) (hash-based, for hot paths)."""
    digest = hashlib.blake2b(
        ":".join([str(seed), *map(str, parts)]).encode(), digest_size=8
    ).digest()
    return int.from_bytes(digest, "big") / 2**64
