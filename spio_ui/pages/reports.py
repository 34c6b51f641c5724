"""Reports (/reports): every generated file (PDF, Excel, dashboard data ...) by job and
date, newest first, a page of runs at a time, each file one click to download."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from spio_ui import routes
from spio_ui.artifacts import artifact_file
from spio_ui.components.badges import status_badge
from spio_ui.components.table import data_table, pager
from spio_ui.formatting import format_bytes, format_datetime
from spio_ui.state import AppState, LiveMixin
from spio_ui.template import layout, page_header

__all__ = ["ReportsState", "reports_page", "ON_LOAD", "REPORT_WORKFLOWS"]

# Workflows whose runs leave reports behind.
REPORT_WORKFLOWS = ("bi_report", "price_intelligence", "campaign", "catalog_sync")
PAGE_SIZE = 20
_ICONS = {"application/pdf": "file-text", "text/html": "file-code", "application/json": "braces"}


class ReportsState(LiveMixin, AppState):
    """Runs of one report-producing workflow, with their files."""

    workflow: str = "bi_report"
    offset: int = 0
    total: int = 0
    rows: list[dict[str, Any]] = []
    error: str = ""

    def _query(self) -> Callable[[], tuple[list[dict[str, Any]], int]]:
        workflow, offset = self.workflow, self.offset

        def run() -> tuple[list[dict[str, Any]], int]:
            from backend.core.db import session_scope
            from backend.jobs.runs import get_run_detail, list_runs

            rows = []
            with session_scope() as session:
                runs, total = list_runs(session=session, workflow=workflow, status="succeeded",
                                        offset=offset, limit=PAGE_SIZE)  # fmt: skip
                for run in runs:
                    files = get_run_detail(session=session, run_id=int(run.id or 0),
                                           log_limit=0).artifacts  # fmt: skip
                    rows.append({
                        "run_id": run.id, "job_id": run.job_id, "status": run.status,
                        "date": format_datetime(run.finished_at or run.created_at),
                        "files": [{"id": f.id, "name": f.name, "size": format_bytes(f.size),
                                   "icon": _ICONS.get(f.content_type, "file")} for f in files],
                    })  # fmt: skip
            return rows, total

        return run

    def _store(self, data: tuple[list[dict[str, Any]], int]) -> None:
        self.rows, self.total = data

    @rx.event
    def load(self) -> None:
        if self.role:
            self._store(self._query()())

    @rx.event
    def set_workflow(self, value: str) -> None:
        self.workflow, self.offset = value, 0
        self.load()

    @rx.event
    def next_page(self) -> None:
        if self.offset + PAGE_SIZE < self.total:
            self.offset += PAGE_SIZE
            self.load()

    @rx.event
    def prev_page(self) -> None:
        self.offset = max(0, self.offset - PAGE_SIZE)
        self.load()

    @rx.event
    def download(self, artifact_id: int):
        found = artifact_file(artifact_id)
        if found is None:
            self.error = self.tr["common.not_found"]
            return None
        name, content = found
        return rx.download(data=content, filename=name)

    def _live_apply(self, events: list[dict[str, Any]]) -> bool:
        return any(e.get("type") in ("artifact.added", "run.updated") for e in events)

    def _live_query(self) -> Callable[[], Any]:
        return self._query()

    def _live_store(self, data: Any) -> None:
        self._store(data)


def _file(item: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.icon("file-down", size=14),
        rx.link(item["name"], on_click=ReportsState.download(item["id"].to(int)),
                cursor="pointer", size="2", custom_attrs={"data-testid": "report-file"}),
        rx.text(item["size"], size="1", color_scheme="gray"),
        align="center",
        spacing="2",
    )  # fmt: skip


def _row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["date"]),
        rx.table.cell(rx.link(row["job_id"], href=routes.WORKFLOWS + "/" + row["job_id"].to(str))),
        rx.table.cell(rx.link("#", row["run_id"], href="/executions/" + row["run_id"].to(str))),
        rx.table.cell(status_badge(row["status"].to(str))),
        rx.table.cell(
            rx.vstack(rx.foreach(row["files"].to(list[dict[str, Any]]), _file), spacing="1")
        ),  # fmt: skip
        custom_attrs={"data-testid": "report-row"},
    )


def reports_page() -> rx.Component:
    tr = ReportsState.tr
    return layout(
        page_header(
            tr["nav.reports"],
            rx.select(
                list(REPORT_WORKFLOWS),
                value=ReportsState.workflow,
                on_change=ReportsState.set_workflow,
            ),  # fmt: skip
        ),
        rx.cond(ReportsState.error != "", rx.callout(ReportsState.error, color_scheme="red")),
        data_table(
            [
                tr["reports.date"],
                tr["jobs.job"],
                tr["run.title"],
                tr["jobs.status"],
                tr["reports.files"],
            ],
            ReportsState.rows,
            _row,
            empty_text=tr["reports.empty"],
            test_id="reports-table",
        ),  # fmt: skip
        pager(
            offset=ReportsState.offset,
            limit=PAGE_SIZE,
            total=ReportsState.total,
            on_prev=ReportsState.prev_page,
            on_next=ReportsState.next_page,
            prev_label=tr["common.prev"],
            next_label=tr["common.next"],
            of_label=tr["common.page_of"],
        ),  # fmt: skip
        live=ReportsState.live,
    )


ON_LOAD = [AppState.require_login, ReportsState.load, ReportsState.listen_live]
