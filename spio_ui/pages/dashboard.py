"""Dashboard (/): runs today, success rate, queues, active runs live, failing jobs, the
seed's performance table. Figures: ``dashboard_view``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go
import reflex as rx

from backend.core.messages import error_text, render_message
from spio_ui import routes
from spio_ui.components.badges import status_badge
from spio_ui.components.cards import progress_bar, section, stat_card
from spio_ui.components.chart import chart, empty_figure
from spio_ui.formatting import format_datetime
from spio_ui.health import HealthState, health_banner
from spio_ui.pages.dashboard_view import load_summary, summary_view
from spio_ui.state import AppState, LiveMixin
from spio_ui.template import layout, page_header

__all__ = ["DashboardState", "dashboard_page", "summary_view"]


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
    idle_runs: list[dict[str, Any]] = []
    failing_jobs: list[dict[str, Any]] = []
    updated: str = ""
    error: str = ""

    def _store(self, view: dict[str, Any] | Exception) -> None:
        if isinstance(view, Exception):
            self.error = error_text(view, self.lang)
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
                    row["message"] = render_message(event["message"], self.lang)
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


def _idle_run_row(row: rx.Var) -> rx.Component:
    tr = AppState.tr
    return rx.hstack(
        status_badge("nothing_done", label=tr["status.nothing_done"]),
        rx.link(row["job_id"], href=f"/executions/{row['id']}", weight="medium"),
        rx.text(row["reason"].to(dict)[AppState.lang], size="1", color_scheme="amber",
                trim="both"),
        rx.spacer(),
        rx.text(row["finished"], size="1", color_scheme="gray"),
        width="100%",
        align="center",
        padding_y="0.35rem",
        custom_attrs={"data-testid": "idle-run", "data-run-id": row["id"],
                      "data-alerted": row["alerted"]},  # fmt: skip
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
        health_banner(),
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
        rx.cond(
            DashboardState.idle_runs.length() > 0,
            section(tr["dash.nothing_done"], rx.foreach(DashboardState.idle_runs, _idle_run_row),
                    custom_attrs={"data-testid": "idle-runs"}),
        ),  # fmt: skip
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
        reload=DashboardState.load,
    )


ON_LOAD = [AppState.require_login, DashboardState.load, DashboardState.listen_live,
           HealthState.watch_health]
