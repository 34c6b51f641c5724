"""Dashboard (/): runs today, success rate, queues, active runs live, failing jobs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go
import reflex as rx

from spio_ui import routes
from spio_ui.components.badges import status_badge
from spio_ui.components.cards import progress_bar, section, stat_card
from spio_ui.components.chart import bar_figure, chart, empty_figure
from spio_ui.formatting import format_datetime, format_duration, format_number, format_percent
from spio_ui.i18n import translations
from spio_ui.state import AppState, LiveMixin
from spio_ui.template import layout, page_header

__all__ = ["DashboardState", "dashboard_page", "summary_view"]

_PRIORITIES = ("critical", "high", "normal", "low")
_STATUS_ORDER = ("succeeded", "failed", "timed_out", "running", "queued", "cancelled", "skipped")


def load_summary() -> dict[str, Any]:
    """The backend's dashboard figures (one DB round of aggregates + Redis queue lengths)."""
    from backend.core.db import session_scope
    from backend.core.redis import get_redis
    from backend.jobs.stats import dashboard_summary

    with session_scope() as session:
        return dashboard_summary(session=session, redis=get_redis())


def _active_row(run: dict[str, Any]) -> dict[str, Any]:
    progress = float(run.get("progress") or 0.0)
    return {
        "id": int(run.get("id") or run.get("run_id") or 0),
        "job_id": str(run.get("job_id", "")),
        "status": str(run.get("status", "running")),
        "percent": round(progress * 100),
        "message": str(run.get("progress_message") or run.get("message") or ""),
        "started": format_datetime(run.get("started_at")),
    }


def performance_rows(
    summary: dict[str, Any], *, queue_total: int, tr: dict[str, str]
) -> list[dict[str, str]]:
    """The seed's performance table: each figure against its target ("ok"/"bad"/"")."""
    memory = summary.get("worker_memory_mb")
    rows = [
        ("perf.job_success", "> 95%", summary.get("success_rate"), 0.95, format_percent),
        ("perf.api_success", "> 98%", summary.get("api_success_rate"), 0.98, format_percent),
        ("perf.duration", "< 100%", summary.get("avg_duration_vs_timeout"), -1.0, format_percent),
        ("perf.memory", "< 2.048 MB", memory, -2048.0, lambda v: f"{format_number(v)} MB"),
        ("perf.queue", "< 300", queue_total, -300.0, format_number),
    ]
    out = []
    for key, target, value, bound, fmt in rows:
        # A negative bound means "below |bound|"; a positive one "above bound".
        state = "" if value is None else ("ok" if (value > bound if bound >= 0 else value < -bound)
                                          else "bad")  # fmt: skip
        out.append({"key": key.removeprefix("perf."), "metric": tr[key], "target": target,
                    "value": "–" if value is None else fmt(value), "state": state})  # fmt: skip
    return out


def summary_view(summary: dict[str, Any], *, lang: str) -> dict[str, Any]:
    """Turn the backend's figures into the strings and rows the page shows."""
    tr = translations(lang)
    raw_status: dict[str, int] = dict(summary.get("runs_today") or {})
    by_status = {k: raw_status[k] for k in _STATUS_ORDER if raw_status.get(k)}
    by_status.update({k: v for k, v in raw_status.items() if k not in by_status and v})
    queues: dict[str, int] = dict(summary.get("queue_depths") or {})
    lag_sec = summary.get("scheduler_lag_sec")
    return {
        "runs_today": format_number(sum(by_status.values())),
        "runs_today_hint": " · ".join(f"{k} {format_number(v)}" for k, v in by_status.items()),
        "success_rate": format_percent(summary.get("success_rate")),
        "queue_total": format_number(sum(queues.values())),
        "queue_hint": " · ".join(f"{p} {format_number(queues.get(p, 0))}" for p in _PRIORITIES),
        "scheduler_lag": format_duration(lag_sec, lang=lang),
        "worker_util": f"{tr['dash.worker_util']} "
        f"{format_percent(summary.get('worker_utilisation'))}",
        "performance": performance_rows(summary, queue_total=sum(queues.values()), tr=tr),
        "status_fig": bar_figure(list(by_status), list(by_status.values()))
        if by_status
        else empty_figure(),
        "queue_fig": bar_figure(list(_PRIORITIES), [queues.get(p, 0) for p in _PRIORITIES]),
        "active_runs": [_active_row(run) for run in summary.get("active_runs") or []],
        "failing_jobs": [
            {
                "job_id": str(job.get("job_id", "")),
                "failures": int(job.get("consecutive_failures") or 0),
                "error": str(job.get("last_error") or "")[:200],
            }
            for job in summary.get("failing_jobs") or []
        ],
    }


class DashboardState(LiveMixin, AppState):
    """Figures of the dashboard; active runs move with worker events."""

    runs_today: str = "–"
    runs_today_hint: str = ""
    success_rate: str = "–"
    queue_total: str = "–"
    queue_hint: str = ""
    scheduler_lag: str = "–"
    worker_util: str = "–"
    performance: list[dict[str, str]] = []
    status_fig: go.Figure = empty_figure()
    queue_fig: go.Figure = empty_figure()
    active_runs: list[dict[str, Any]] = []
    failing_jobs: list[dict[str, Any]] = []
    updated: str = ""
    error: str = ""

    def _store(self, view: dict[str, Any] | Exception) -> None:
        if isinstance(view, Exception):
            self.error = f"{type(view).__name__}: {view}"
            return
        self.error = ""
        for name, value in view.items():
            setattr(self, name, value)
        from datetime import UTC, datetime

        self.updated = format_datetime(datetime.now(UTC), with_seconds=True)

    @staticmethod
    def _query(lang: str) -> Callable[[], dict[str, Any] | Exception]:
        def run() -> dict[str, Any] | Exception:
            try:
                return summary_view(load_summary(), lang=lang)
            except Exception as exc:  # shown on the page; the dashboard must not crash
                return exc

        return run

    @rx.event
    def load(self) -> None:
        if not self.role:
            return
        self._store(self._query(self.lang)())

    def _live_apply(self, events: list[dict[str, Any]]) -> bool:
        rows = {row["id"]: row for row in self.active_runs}
        refresh = False
        for event in events:
            kind = event.get("type")
            row = rows.get(int(event.get("run_id") or 0))
            if kind == "run.progress":
                if row is None:
                    refresh = True  # a run we have not listed yet
                    continue
                row["percent"] = round(float(event.get("progress") or 0.0) * 100)
                if event.get("message"):
                    row["message"] = str(event["message"])
            elif kind == "run.updated":
                refresh = True  # a run started or ended: the counts changed too
                if row is not None and event.get("status"):
                    row["status"] = str(event["status"])
        self.active_runs = list(rows.values())
        return refresh

    def _live_query(self) -> Callable[[], Any]:
        return self._query(self.lang)

    def _live_store(self, data: Any) -> None:
        self._store(data)


def _active_run_row(row: rx.Var) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.link(row["job_id"], href=f"/executions/{row['id']}", weight="medium"),
            rx.text("#", row["id"], size="1", color_scheme="gray"),
            rx.spacer(),
            status_badge(row["status"].to(str)),
            width="100%",
            align="center",
        ),
        progress_bar(row["percent"].to(int), status=row["status"].to(str)),
        rx.text(row["message"], size="1", color_scheme="gray"),
        width="100%",
        padding_y="0.5rem",
        border_bottom="1px solid var(--gray-a3)",
        custom_attrs={"data-testid": "active-run", "data-run-id": row["id"]},
    )


def _failing_job_row(row: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.link(row["job_id"], href=f"{routes.WORKFLOWS}/{row['job_id']}"),
        rx.badge(row["failures"], " ", AppState.tr["dash.failures_in_row"], color_scheme="red"),
        rx.text(row["error"], size="1", color_scheme="gray", trim="both"),
        width="100%",
        align="center",
        padding_y="0.35rem",
    )


def _performance_row(row: rx.Var) -> rx.Component:
    color = rx.match(row["state"].to(str), ("ok", "green"), ("bad", "red"), "gray")
    return rx.table.row(
        rx.table.cell(row["metric"]),
        rx.table.cell(row["target"]),
        rx.table.cell(rx.badge(row["value"], color_scheme=color, variant="soft")),
        custom_attrs={"data-testid": "perf-row", "data-metric": row["key"],
                      "data-state": row["state"]},  # fmt: skip
    )


def dashboard_page() -> rx.Component:
    tr = AppState.tr
    return layout(
        page_header(
            tr["dash.title"],
            rx.text(tr["dash.updated"], " ", DashboardState.updated, size="1", color_scheme="gray"),
        ),
        rx.cond(DashboardState.error != "", rx.callout(DashboardState.error, color_scheme="red")),
        rx.grid(
            stat_card(
                tr["dash.runs_today"],
                DashboardState.runs_today,
                icon="activity",
                hint=DashboardState.runs_today_hint,
                test_id="stat-runs-today",
            ),
            stat_card(
                tr["dash.success_rate"],
                DashboardState.success_rate,
                icon="circle-check",
                test_id="stat-success-rate",
            ),
            stat_card(
                tr["dash.queue_depth"],
                DashboardState.queue_total,
                icon="list-checks",
                hint=DashboardState.queue_hint,
                test_id="stat-queue-depth",
            ),
            stat_card(
                tr["dash.scheduler_lag"],
                DashboardState.scheduler_lag,
                icon="timer",
                hint=DashboardState.worker_util,
                test_id="stat-scheduler-lag",
            ),
            columns=rx.breakpoints(initial="1", sm="2", lg="4"),
            spacing="4",
            width="100%",
        ),
        rx.grid(
            section(tr["dash.by_status"], chart(DashboardState.status_fig, test_id="chart-status")),
            section(
                tr["dash.queue_by_priority"], chart(DashboardState.queue_fig, test_id="chart-queue")
            ),
            columns=rx.breakpoints(initial="1", lg="2"),
            spacing="4",
            width="100%",
        ),
        rx.grid(
            section(
                tr["dash.active_runs"],
                rx.cond(
                    DashboardState.active_runs.length() > 0,
                    rx.foreach(DashboardState.active_runs, _active_run_row),
                    rx.text(tr["dash.none_active"], color_scheme="gray", size="2"),
                ),
                custom_attrs={"data-testid": "active-runs"},
            ),
            section(
                tr["dash.failing_jobs"],
                rx.cond(
                    DashboardState.failing_jobs.length() > 0,
                    rx.foreach(DashboardState.failing_jobs, _failing_job_row),
                    rx.text(tr["dash.none_failing"], color_scheme="gray", size="2"),
                ),
            ),
            columns=rx.breakpoints(initial="1", lg="2"),
            spacing="4",
            width="100%",
        ),
        section(
            tr["perf.title"],
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(tr["perf.metric"]),
                        rx.table.column_header_cell(tr["perf.target"]),
                        rx.table.column_header_cell(tr["perf.now"]),
                    )
                ),
                rx.table.body(rx.foreach(DashboardState.performance, _performance_row)),
                size="1",
                width="100%",
            ),
            custom_attrs={"data-testid": "performance"},
        ),  # fmt: skip
        live=DashboardState.live,
    )


ON_LOAD = [AppState.require_login, DashboardState.load, DashboardState.listen_live]
