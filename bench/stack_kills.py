"""Kill every part of the `scripts/up` stack in turn while a seed campaign sends.

    .venv/bin/python bench/stack_kills.py [--audience 3000] [--per-minute 300]

The stack is `scripts/up` itself (supervisord, two worker processes in one group,
SQLite, its defaults) on free ports with a Redis of its own; see
tests/system/stack_kills.py for the campaign and the kills (a worker process, the
worker group's parent, the scheduler, the web process, Redis restarted empty). Prints a
table per kill (seconds until /health said degraded, seconds degraded or silent,
seconds until back) and, last, the JSON line: every run finished, 0 duplicate and
0 missing messages, each part back within 30 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import Report, print_table  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--audience", type=int, default=3000)
    parser.add_argument("--per-minute", type=int, default=300, help="per channel")
    args = parser.parse_args()
    from tests.system.stack_kills import run_kills, table

    tmp = Path(tempfile.mkdtemp(prefix="spio-kills-"))
    print(f"logs in {tmp}/up (up.log, var/run/supervisord.log)", flush=True)
    outcome = run_kills(tmp, audience=args.audience, per_minute=args.per_minute)
    print(f"stack ready in {outcome.ready_sec:.1f} s; campaign of {outcome.planned} messages "
          f"done in {outcome.campaign_sec:.0f} s; runs {outcome.runs}")
    print_table(["killed", "degraded after s", "degraded for s", "back after s", "health said"],
                table(outcome))
    print(f"delivered {outcome.delivered}, duplicates {outcome.duplicates}, missing "
          f"{outcome.missing}, replays absorbed by the platform's key {outcome.replayed}")
    print(f"Ctrl-C stopped everything in {outcome.stopped_sec:.1f} s" if outcome.stopped_sec
          is not None else f"Ctrl-C left running after 90 s: {outcome.left_running}")
    report = Report()
    unfinished = sum(n for s, n in outcome.runs.items() if s not in ("succeeded",))
    report.target("runs_not_succeeded", unfinished, goal=0, higher_is_better=False)
    report.target("duplicate_messages", outcome.duplicates, goal=0, higher_is_better=False)
    report.target("missing_messages", outcome.missing, goal=0, higher_is_better=False)
    worst = max((o.back_sec if o.back_sec is not None else 1e9) for o in outcome.outages)
    report.target("slowest_back_sec", worst, goal=30, higher_is_better=False)
    seen = sum(o.degraded_sec > 0 for o in outcome.outages)
    report.figure("outages_seen_degraded", f"{seen}/{len(outcome.outages)}")
    report.figure("replays_absorbed", outcome.replayed)
    report.figure("ctrl_c_stop_sec", round(outcome.stopped_sec, 1)
                  if outcome.stopped_sec is not None else "not in 90 s")
    report.emit()
    return 0 if report.all_met else 1


if __name__ == "__main__":
    raise SystemExit(main())
