"""The worker caps glibc's malloc arenas in its own process and hands the cap to the
processes it starts (the environment); a cap the operator set is kept."""

from __future__ import annotations

import os
import subprocess
import sys

_PROBE = (
    "import os; from backend.core.malloc import limit_malloc_arenas; "
    "print(limit_malloc_arenas(), os.environ['MALLOC_ARENA_MAX'])"
)


def _probe(env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True,
                          text=True, timeout=60, check=True)  # fmt: skip
    return done.stdout.strip()


def test_the_cap_is_set_and_passed_on() -> None:
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    assert _probe(env) == "True 2"


def test_an_operators_cap_is_kept() -> None:
    assert _probe({**os.environ, "MALLOC_ARENA_MAX": "4"}) == "True 4"
