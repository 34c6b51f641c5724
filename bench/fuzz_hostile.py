"""Schemathesis over every route of the REST API on PostgreSQL, with NUL bytes, lone
surrogates, 500-character names and nesting 70-900 deep laid over its generated
bodies, queries and path ids (tests/security/test_fuzz_hostile.py, run long).

Targets: at least 3,000 requests sent, none answered with a 5xx or a traceback (/health's
503 "degraded", its documented answer when no scheduler or worker runs, aside).

    .venv/bin/python bench/fuzz_hostile.py [--examples 80]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script

from bench._common import ROOT, Report, print_table  # noqa: E402

REQUESTS_GOAL = 3000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=80,
                        help="generated cases per operation and run (about 41 operations)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        report_path = Path(tmp) / "fuzz.json"
        env = {**os.environ, "SPIO_FUZZ_EXAMPLES": str(args.examples),
               "SPIO_FUZZ_REPORT": str(report_path)}
        started = time.monotonic()
        subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                        "tests/security/test_fuzz_hostile.py"], cwd=ROOT, env=env,
                       stdout=subprocess.DEVNULL, check=False)  # fmt: skip
        seconds = time.monotonic() - started
        tally = json.loads(report_path.read_text()) if report_path.exists() else {
            "requests": 0, "operations": 0, "unsendable": 0, "by_status": {},
            "failures": [{"op": "pytest", "answer": "no report written"}]}
    rows = [[f"HTTP {status}", count] for status, count in sorted(tally["by_status"].items())]
    rows += [["requests", tally["requests"]], ["operations", tally["operations"]],
             ["not sendable by the client", tally["unsendable"]],
             ["5xx (but /health degraded) or traceback", len(tally["failures"])],
             ["seconds", round(seconds, 1)]]
    print_table(["hostile fuzz on PostgreSQL", "count"], rows)
    for failure in tally["failures"][:10]:
        print("FAILURE", json.dumps(failure))
    report = Report()
    report.target("requests", tally["requests"], goal=REQUESTS_GOAL)
    report.target("server_errors", len(tally["failures"]), goal=0, higher_is_better=False)
    report.figure("operations", tally["operations"])
    report.figure("seconds", seconds)
    report.emit()


if __name__ == "__main__":
    main()
