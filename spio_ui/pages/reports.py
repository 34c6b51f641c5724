"""Reports (/reports): every generated file (PDF, Excel, dashboard data ...) by job and
date, newest first, a page of runs at a time, each file one click to download; a PDF
(or HTML) report previews in the page through a short-lived signed link."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from spio_ui import routes
from spio_ui.artifacts import artifact_file, artifact_preview
from spio_ui.components.badges import status_badge
from spio_ui.components.cards import section
from spio_ui.components.select import word_select
from spio_ui.components.table import data_table
from spio_ui.formatting import format_bytes, format_datetime
from spio_ui.mixins import PagedMixin, pager_for
from spio_ui.state import AppState, LiveMixin
from spio_ui.template import layout, page_header

__all__ = ["ReportsState", "reports_page", "ON_LOAD", "REPORT_WORKFLOWS"]

# Workflows whose runs leave reports behind.
REPORT_WORKFLOWS = ("bi_report", "price_intelligence", "campaign", "catalog_sync")
PAGE_SIZE = 20
_ICONS = {"application/pdf": "file-text", "text/html": "file-code", "application/json": "braces"}
# What a browser shows inline (the rest is downloaded).
_PREVIEWABLE = ("application/pdf", "text/html", "image/png", "image/jpeg", "image/webp")


class ReportsState(PagedMixin, LiveMixin, AppState):
    """Runs of one report-producing workflow, with their files, and the file previewed."""

    workflow: str = "bi_report"
    rows: list[dict[str, Any]] = []
    error: str = ""
    preview_name: str = ""
    preview_url: str = ""

    def _page_limit(self) -> int:
        return PAGE_SIZE

    def _query(self) -> Callable[[], tuple[list[dict[str, Any]], int]]:
        workflow, offset, lang = self.workflow, self.offset, self.lang

        def run() -> tuple[list[dict[str, Any]], int]:
            from backend.core.db import session_scope
            from backend.jobs.artifacts import list_artifacts

            with session_scope() as session:
                found, total = list_artifacts(session=session, workflow=workflow,
                                              offset=offset, limit=PAGE_SIZE)  # fmt: skip
                rows = [{
                    "run_id": r.run.id, "job_id": r.run.job_id, "status": r.run.status,
                    "date": format_datetime(r.run.finished_at or r.run.created_at),
                    "files": [{"id": f.id, "name": f.name, "size": format_bytes(f.size, lang=lang),
                               "icon": _ICONS.get(f.content_type, "file"),
                               "preview": f.content_type in _PREVIEWABLE} for f in r.artifacts],
                } for r in found]  # fmt: skip
            return rows, total

        return run

    def _store(self, data: tuple[list[dict[str, Any]], int]) -> None:
        self.rows, self.total = data

    @rx.event
    def load(self) -> None:
        if self.role:
            self._store(self._query()())

    def _reload(self) -> None:
        self.load()

    @rx.event
    def set_workflow(self, value: str) -> None:
        self._refilter("workflow", value)

    @rx.event
    def preview(self, artifact_id: int) -> None:
        """Show the file in the page (a signed link, valid for a few minutes)."""
        found = artifact_preview(artifact_id)
        if found is None:
            self.error = self.tr["common.not_found"]
            return
        self.preview_name, _, self.preview_url = found

    @rx.event
    def close_preview(self) -> None:
        self.preview_name, self.preview_url = "", ""

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


def _file(item: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.icon("file-down", size=14),
        rx.link(item["name"], on_click=ReportsState.download(item["id"].to(int)),
                cursor="pointer", size="2", custom_attrs={"data-testid": "report-file"}),
        rx.text(item["size"], size="1", color_scheme="gray"),
        rx.cond(
            item["preview"].to(bool),
            rx.button(rx.icon("eye", size=14), ReportsState.tr["reports.preview"], size="1",
                      variant="ghost", on_click=ReportsState.preview(item["id"].to(int)),
                      custom_attrs={"data-testid": "report-preview"}),
        ),
        align="center",
        spacing="2",
    )  # fmt: skip


def _preview() -> rx.Component:
    return section(
        ReportsState.tr["reports.preview"],
        rx.hstack(
            rx.text(ReportsState.preview_name, weight="medium"),
            rx.spacer(),
            rx.link(ReportsState.tr["reports.open_tab"], href=ReportsState.preview_url,
                    is_external=True, size="2"),
            rx.icon_button(rx.icon("x", size=14), on_click=ReportsState.close_preview,
                           variant="ghost", size="1"),
            align="center",
            width="100%",
            margin_bottom="0.5rem",
        ),
        rx.el.iframe(src=ReportsState.preview_url, title=ReportsState.preview_name,
                     width="100%", height="720px",
                     style={"border": "1px solid var(--gray-a5)", "border_radius": "6px"},
                     custom_attrs={"data-testid": "report-preview-frame"}),
        custom_attrs={"data-testid": "report-preview-panel"},
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
            word_select(REPORT_WORKFLOWS, kind="workflow", value=ReportsState.workflow,
                        on_change=ReportsState.set_workflow),
        ),
        rx.cond(ReportsState.error != "", rx.callout(ReportsState.error, color_scheme="red")),
        rx.cond(ReportsState.preview_url != "", _preview()),
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
        pager_for(ReportsState, limit=PAGE_SIZE),
        live=ReportsState.live,
        reload=ReportsState.load,
    )


ON_LOAD = [AppState.require_login, ReportsState.load, ReportsState.listen_live]
