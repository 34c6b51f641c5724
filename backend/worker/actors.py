"""Dramatiq actors: thin, idempotent, one per priority queue; they take a run id only.

This module is what ``dramatiq backend.worker.actors`` loads, so declaring the broker
and actors on import is its job (the one place in the project that does so).
"""

from __future__ import annotations

import dramatiq

from backend.services.queues import queue_name
from backend.worker.broker import ACTOR_NAMES, setup_broker
from backend.worker.lifecycle import execute_run

__all__ = ["run_critical", "run_high", "run_normal", "run_low"]

setup_broker()

# Lower number = taken first among messages a worker has already prefetched.
_ACTOR_PRIORITY = {"critical": 0, "high": 10, "normal": 20, "low": 30}


def _declare(priority: str) -> dramatiq.Actor:  # type: ignore[type-arg]
    def run(run_id: int) -> None:
        execute_run(int(run_id))

    run.__name__ = ACTOR_NAMES[priority]
    declare = dramatiq.actor(
        actor_name=ACTOR_NAMES[priority],
        queue_name=queue_name(priority),
        priority=_ACTOR_PRIORITY[priority],
    )
    return declare(run)


run_critical = _declare("critical")
run_high = _declare("high")
run_normal = _declare("normal")
run_low = _declare("low")
