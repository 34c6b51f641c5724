"""Fault injection: each request to a platform draws at most one fault.

Probabilities are set globally or per platform (the platform's spec wins) through
``POST /_admin/faults``. The draw uses a RNG seeded from the sandbox seed, so a test
that sets ``p_5xx=0.2`` sees about 20% of its requests fail, the same ones every run.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, fields
from typing import Any, Literal

__all__ = ["FaultSpec", "FaultPlan", "Fault"]

Fault = Literal["5xx", "timeout", "slow", "malformed", "expired_token"]


@dataclass(slots=True)
class FaultSpec:
    """Probabilities (0..1) of each fault, and how long slow and timed-out requests take."""

    p_5xx: float = 0.0
    p_timeout: float = 0.0
    p_slow: float = 0.0
    p_malformed: float = 0.0
    p_expired_token: float = 0.0
    slow_ms: int = 1500
    timeout_sec: float = 30.0

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FaultSpec:
        names = {f.name for f in fields(cls)}
        unknown = set(data) - names
        if unknown:
            raise ValueError(f"unknown fault fields: {sorted(unknown)}")
        spec = cls(**data)
        for f in ("p_5xx", "p_timeout", "p_slow", "p_malformed", "p_expired_token"):
            if not 0.0 <= getattr(spec, f) <= 1.0:
                raise ValueError(f"{f} must be within 0..1")
        return spec

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def active(self) -> bool:
        return any(
            (self.p_5xx, self.p_timeout, self.p_slow, self.p_malformed, self.p_expired_token)
        )


class FaultPlan:
    """The configured faults and the seeded draw."""

    def __init__(self, *, seed: int) -> None:
        self.global_spec = FaultSpec()
        self.platforms: dict[str, FaultSpec] = {}
        self._seed = seed
        self._rng = random.Random(seed)

    def reset(self) -> None:
        self.global_spec = FaultSpec()
        self.platforms.clear()
        self._rng = random.Random(self._seed)

    def spec_for(self, platform: str) -> FaultSpec:
        return self.platforms.get(platform, self.global_spec)

    def draw(self, platform: str) -> tuple[Fault | None, FaultSpec]:
        spec = self.spec_for(platform)
        if not spec.active:
            return None, spec
        x = self._rng.random()
        for fault, p in (
            ("5xx", spec.p_5xx),
            ("timeout", spec.p_timeout),
            ("slow", spec.p_slow),
            ("malformed", spec.p_malformed),
            ("expired_token", spec.p_expired_token),
        ):
            if x < p:
                return fault, spec  # type: ignore[return-value]
            x -= p
        return None, spec

    def snapshot(self) -> dict[str, Any]:
        return {
            "global": self.global_spec.as_dict(),
            "platforms": {k: v.as_dict() for k, v in sorted(self.platforms.items())},
        }
