"""UI latency in prod mode, measured in Debian chromium:

1. dashboard first render: navigation start -> the dashboard's figures (loaded from a
   database with a realistic day of runs) are on screen; cold tab each time.
2. worker event -> browser: a ``run.progress`` event published on Redis -> the run
   page's progress bar shows the new value (timestamps on one clock: the browser's
   Date.now() in a MutationObserver vs the publisher's time.time()).

Targets (TARGETS.md): first render < 1.5 s, event -> browser p95 < 1 s. The reference
row is the static /login page's first contentful paint in the same run.

    python bench/ui.py [--renders 10] [--events 40]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import Report, print_table, use_project_root  # noqa: E402
from bench._install import isolated_install  # noqa: E402

use_project_root()

from tests.e2e.harness import (  # noqa: E402
    free_port,
    launch_browser,
    login,
    make_token,
    start_web,
    web_env,
)

_FIGURES_READY = """() => {
  const e = document.querySelector('[data-testid=stat-runs-today-value]');
  return e && e.textContent.trim() !== '–' ? performance.now() : false;
}"""

_FCP = "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0"

_WATCH_PROGRESS = """() => {
  window.__seen = {};
  new MutationObserver((records) => {
    for (const r of records) {
      const v = r.target.getAttribute && r.target.getAttribute('data-progress');
      if (v !== null && v !== undefined && !(v in window.__seen)) window.__seen[v] = Date.now();
    }
  }).observe(document.body, {subtree: true, attributes: true, attributeFilter: ['data-progress']});
}"""


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def seed_day(*, jobs: int = 200, runs: int = 3000) -> int:
    """A realistic day: jobs of every workflow and runs in every status; returns a run id
    left running for the event test."""
    from backend.core.db import session_scope
    from backend.jobs.service import create_job
    from backend.jobs.validation import parse_spec
    from backend.models import Run
    from backend.models.types import utcnow

    statuses = ["succeeded"] * 90 + ["failed"] * 6 + ["cancelled", "skipped", "timed_out", "queued"]
    now = utcnow()
    with session_scope() as session:
        for index in range(jobs):
            spec = {"job_id": f"bench-job-{index}", "workflow": "noop",
                    "schedule": {"interval_sec": 300 + index}}  # fmt: skip
            create_job(session=session, parsed=parse_spec(spec), actor="bench")
        for i in range(runs):
            at = now - timedelta(seconds=i * 20)
            session.add(Run(job_id=f"bench-job-{i % jobs}", workflow="noop", scheduled_for=at,
                            status=statuses[i % len(statuses)], created_at=at, started_at=at,
                            finished_at=at + timedelta(seconds=3)))  # fmt: skip
        live = Run(job_id="bench-job-0", workflow="noop", status="running", progress=0.0,
                   scheduled_for=now + timedelta(seconds=1), started_at=now,
                   progress_message="starting")  # fmt: skip
        session.add(live)
        session.flush()
        return int(live.id or 0)


def measure(*, renders: int, events: int) -> Report:
    report = Report()
    run_id = seed_day()
    token = make_token("admin")
    with tempfile.TemporaryDirectory() as logs, start_web(log_dir=Path(logs)) as web:
        report.figure("web_ready_sec", web.ready_sec)
        with launch_browser() as browser:
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            page = context.new_page()
            login(page, web.url, token)  # the token now sits in the browser's storage

            login_fcp: list[float] = []
            for _ in range(3):
                tab = context.new_page()
                tab.goto(f"{web.url}/login")
                tab.get_by_test_id("login-token").wait_for()
                login_fcp.append(tab.evaluate(_FCP))
                tab.close()

            first_render: list[float] = []
            for _ in range(renders):
                tab = context.new_page()  # a new tab: a new session state, cold page
                tab.goto(f"{web.url}/", wait_until="commit")
                handle = tab.wait_for_function(_FIGURES_READY, polling="raf", timeout=30_000)
                first_render.append(float(handle.json_value()) / 1000)
                tab.close()

            delays = _event_delays(page, web.url, run_id, events)

    print_table(
        ["measure", "median", "p95", "max", "samples"],
        [
            ["/login first contentful paint (s)", statistics.median(login_fcp) / 1000,
             _pct(login_fcp, 0.95) / 1000, max(login_fcp) / 1000, len(login_fcp)],
            ["dashboard first render (s)", statistics.median(first_render),
             _pct(first_render, 0.95), max(first_render), len(first_render)],
            ["worker event -> browser (s)", statistics.median(delays), _pct(delays, 0.95),
             max(delays), len(delays)],
        ],
    )  # fmt: skip
    report.figure("login_fcp_median_sec", statistics.median(login_fcp) / 1000)
    report.figure("dashboard_first_render_median_sec", statistics.median(first_render))
    report.target("dashboard_first_render_p95_sec", _pct(first_render, 0.95), goal=1.5,
                  higher_is_better=False)  # fmt: skip
    report.figure("event_to_browser_median_sec", statistics.median(delays))
    report.target("event_to_browser_p95_sec", _pct(delays, 0.95), goal=1.0, higher_is_better=False)
    report.figure("events_seen", f"{len(delays)}/{events}")
    return report


def _event_delays(page: object, url: str, run_id: int, events: int) -> list[float]:
    from backend.core.redis import publish_event

    page.goto(f"{url}/executions/{run_id}")  # type: ignore[attr-defined]
    page.locator("[data-testid=live-indicator][data-live=true]").wait_for()  # type: ignore[attr-defined]
    page.evaluate(_WATCH_PROGRESS)  # type: ignore[attr-defined]
    sent: dict[str, float] = {}
    for index in range(1, events + 1):
        percent = index * 2  # distinct values 2..80 (<= 100 for up to 50 events)
        sent[str(percent)] = time.time() * 1000
        publish_event("run.progress", run_id=run_id, job_id="bench-job-0",
                      progress=percent / 100, message=f"bench {index}")  # fmt: skip
        time.sleep(0.15)
    time.sleep(1.5)
    seen: dict[str, float] = page.evaluate("window.__seen")  # type: ignore[attr-defined]
    return [(seen[k] - sent[k]) / 1000 for k in sent if k in seen]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=10)
    parser.add_argument("--events", type=int, default=40)
    args = parser.parse_args()
    with isolated_install(LOCAL_ANONYMOUS_ROLE="", **web_env(port=free_port())):
        report = measure(renders=args.renders, events=min(args.events, 50))
    report.emit()


if __name__ == "__main__":
    main()
