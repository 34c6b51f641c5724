"""The default stack survives its parts dying mid-campaign (issue 19, point 5), short
version: ``scripts/up`` itself with a Redis of the test's own; the seed campaign
sending; the worker group's parent SIGKILLed, then Redis crashed and brought back
empty. Every run finishes, each planned message reaches its recipient once, and the
stack is back within 30 s each time. The full sequence (worker process, worker parent,
scheduler, web, Redis) with a 3,000-message campaign is ``bench/stack_kills.py``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.system.stack_kills import run_kills, table

pytestmark = [pytest.mark.e2e]


@pytest.mark.timeout(900)  # scripts/up starts in 40-120 s on a loaded machine
def test_the_stack_loses_and_repeats_nothing_when_its_parts_die(tmp_path: Path):
    outcome = run_kills(tmp_path, audience=400, per_minute=600,
                        kills=("worker-parent", "redis"), between_sec=2.0)
    print(f"\nready {outcome.ready_sec:.0f} s, campaign {outcome.campaign_sec:.0f} s, "
          f"runs {outcome.runs}; planned {outcome.planned}, delivered {outcome.delivered}, "
          f"duplicates {outcome.duplicates}, missing {outcome.missing}, "
          f"replays {outcome.replayed}; [killed, degraded after, degraded for, back after] "
          f"{table(outcome)}")
    assert outcome.runs == {"succeeded": 1}, outcome
    assert outcome.stopped_sec is not None, outcome.left_running  # Ctrl-C stops it all
    assert outcome.planned == 400
    assert outcome.duplicates == 0 and outcome.missing == 0, outcome
    assert all(o.back_sec is not None and o.back_sec < 30 for o in outcome.outages), outcome
    redis = next(o for o in outcome.outages if o.victim == "redis")
    assert redis.degraded_sec > 0  # /health said so while Redis was away
