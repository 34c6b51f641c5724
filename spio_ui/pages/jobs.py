"""Workflows (/workflows): searchable, filterable job list with pause/resume/run/delete.

Rows come from the server one page at a time; operators run, pause and resume, admins
also delete (after a confirmation). Viewers see no mutating buttons.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, get_args

import reflex as rx

from backend.jobs.spec import WorkflowKind
from spio_ui import routes
from spio_ui.components.badges import priority_badge, status_badge
from spio_ui.components.table import data_table, pager
from spio_ui.formatting import format_datetime, format_number
from spio_ui.state import AppState, LiveMixin
from spio_ui.template import layout, page_header

__all__ = ["JobsState", "jobs_page", "ON_LOAD", "PAGE_SIZE"]

PAGE_SIZE = 25
WORKFLOWS = get_args(WorkflowKind)
_ANY = "any"


def _job_row(job: Any) -> dict[str, Any]:
    status = "disabled" if not job.enabled else ("paused" if job.paused else "active")
    return {
        "job_id": job.job_id,
        "workflow": job.workflow,
        "status": status,
        "priority": job.priority,
        "flow_group": job.flow_group or "",
        "next_run": format_datetime(job.next_run_at) if status == "active" else "–",
        "failures": job.consecutive_failures,
    }


def _filter(value: str) -> str | None:
    return None if value in ("", _ANY) else value


class JobsState(LiveMixin, AppState):
    """One page of jobs matching the filters."""

    search: str = ""
    workflow: str = _ANY
    status: str = _ANY
    priority: str = _ANY
    flow_group: str = ""
    offset: int = 0
    total: int = 0
    rows: list[dict[str, Any]] = []
    notice: str = ""
    error: str = ""

    @rx.var
    def total_text(self) -> str:
        return format_number(self.total)

    def _query(self) -> Callable[[], tuple[list[dict[str, Any]], int]]:
        filters = {
            "search": self.search.strip() or None,
            "workflow": _filter(self.workflow),
            "status": _filter(self.status),
            "priority": _filter(self.priority),
            "flow_group": self.flow_group.strip() or None,
            "offset": self.offset,
            "limit": PAGE_SIZE,
        }

        def run() -> tuple[list[dict[str, Any]], int]:
            from backend.core.db import session_scope
            from backend.jobs.service import list_jobs

            with session_scope() as session:
                jobs, total = list_jobs(session=session, **filters)
                return [_job_row(job) for job in jobs], total

        return run

    def _store(self, data: tuple[list[dict[str, Any]], int]) -> None:
        self.rows, self.total = data

    @rx.event
    def load(self) -> None:
        if not self.role:
            return
        self.notice = ""
        self._store(self._query()())

    # Filters: each change goes back to the first page.
    @rx.event
    def set_search(self, value: str) -> None:
        self.search, self.offset = value, 0
        self.load()

    @rx.event
    def set_workflow(self, value: str) -> None:
        self.workflow, self.offset = value, 0
        self.load()

    @rx.event
    def set_status(self, value: str) -> None:
        self.status, self.offset = value, 0
        self.load()

    @rx.event
    def set_priority(self, value: str) -> None:
        self.priority, self.offset = value, 0
        self.load()

    @rx.event
    def set_flow_group(self, value: str) -> None:
        self.flow_group, self.offset = value, 0
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

    def _act(self, needed: str, action: Callable[[Any], Any]) -> Any:
        if not self._has_role(needed):
            self.error = self.tr["common.forbidden"]
            return None
        from backend.core.db import session_scope

        try:
            with session_scope() as session:
                result = action(session)
        except Exception as exc:  # NotFound / Conflict: say so, keep the page
            self.error = str(exc)
            return None
        self.error = ""
        self.load()
        return result

    @rx.event
    def toggle_pause(self, job_id: str, paused: bool) -> None:
        from backend.jobs.service import set_paused

        self._act("operator", lambda s: set_paused(session=s, job_id=job_id, paused=paused))

    @rx.event
    def run_now(self, job_id: str):
        from backend.jobs.service import run_now

        run_id = self._act("operator", lambda s: int(run_now(session=s, job_id=job_id).id or 0))
        if run_id:
            return rx.redirect(routes.run_path(run_id))
        return None

    @rx.event
    def delete(self, job_id: str) -> None:
        from backend.jobs.service import delete_job

        self._act("admin", lambda s: delete_job(session=s, job_id=job_id))

    def _live_apply(self, events: list[dict[str, Any]]) -> bool:
        # Next-run times and failure counts move when runs end; reload then.
        return any(e.get("type") == "run.updated" and e.get("status") for e in events)

    def _live_query(self) -> Callable[[], Any]:
        return self._query()

    def _live_store(self, data: Any) -> None:
        self._store(data)


def _delete_button(job_id: rx.Var) -> rx.Component:
    tr = JobsState.tr
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(
            rx.icon_button(
                rx.icon("trash-2", size=14),
                color_scheme="red",
                variant="ghost",
                size="1",
                title=tr["jobs.delete"],
                custom_attrs={"data-testid": "job-delete"},
            )
        ),
        rx.alert_dialog.content(
            rx.alert_dialog.title(tr["jobs.delete"], " ", job_id),
            rx.alert_dialog.description(tr["jobs.confirm_delete"]),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button(tr["jobs.cancel"], variant="soft")),
                rx.alert_dialog.action(
                    rx.button(
                        tr["jobs.delete"],
                        color_scheme="red",
                        on_click=JobsState.delete(job_id),
                        custom_attrs={"data-testid": "job-delete-confirm"},
                    )
                ),
                justify="end",
                spacing="3",
                margin_top="1rem",
            ),
        ),
    )


def _actions(row: rx.Var) -> rx.Component:
    tr = JobsState.tr
    job_id = row["job_id"].to(str)
    paused = row["status"] == "paused"
    return rx.hstack(
        rx.cond(
            JobsState.can_operate,
            rx.hstack(
                rx.icon_button(
                    rx.icon("play", size=14),
                    on_click=JobsState.run_now(job_id),
                    variant="ghost",
                    size="1",
                    title=tr["jobs.run_now"],
                    custom_attrs={"data-testid": "job-run-now"},
                ),
                rx.icon_button(
                    rx.cond(paused, rx.icon("circle-play", size=14), rx.icon("pause", size=14)),
                    on_click=JobsState.toggle_pause(job_id, ~paused),
                    variant="ghost",
                    size="1",
                    title=rx.cond(paused, tr["jobs.resume"], tr["jobs.pause"]),
                    custom_attrs={"data-testid": "job-pause"},
                ),
                spacing="1",
            ),
        ),
        rx.cond(JobsState.can_edit, _delete_button(job_id)),
        spacing="1",
    )


def _row(row: rx.Var) -> rx.Component:
    tr = JobsState.tr
    return rx.table.row(
        rx.table.cell(
            rx.link(row["job_id"], href=routes.WORKFLOWS + "/" + row["job_id"].to(str)),
        ),
        rx.table.cell(row["workflow"]),
        rx.table.cell(
            status_badge(row["status"].to(str), label=tr["status." + row["status"].to(str)])
        ),
        rx.table.cell(priority_badge(row["priority"].to(str))),
        rx.table.cell(row["flow_group"]),
        rx.table.cell(row["next_run"]),
        rx.table.cell(_actions(row)),
        custom_attrs={"data-testid": "job-row", "data-job-id": row["job_id"]},
    )


def _select(value: rx.Var, on_change: Any, any_label: rx.Var, options: list[str]) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(),
        rx.select.content(
            rx.select.item(any_label, value=_ANY),
            *[rx.select.item(option, value=option) for option in options],
        ),
        value=value,
        on_change=on_change,
        size="2",
    )


def jobs_page() -> rx.Component:
    tr = JobsState.tr
    return layout(
        page_header(
            tr["jobs.title"],
            rx.text(JobsState.total_text, " jobs", size="2", color_scheme="gray"),
        ),
        rx.hstack(
            rx.input(
                placeholder=tr["jobs.search"],
                value=JobsState.search,
                on_change=JobsState.set_search.debounce(300),
                width="18rem",
                custom_attrs={"data-testid": "jobs-search"},
            ),
            _select(
                JobsState.workflow,
                JobsState.set_workflow,
                tr["jobs.any_workflow"],
                list(WORKFLOWS),
            ),
            _select(
                JobsState.status,
                JobsState.set_status,
                tr["jobs.any_status"],
                ["active", "paused", "disabled"],
            ),
            _select(
                JobsState.priority,
                JobsState.set_priority,
                tr["jobs.any_priority"],
                ["critical", "high", "normal", "low"],
            ),
            rx.input(
                placeholder=tr["jobs.flow_group"],
                value=JobsState.flow_group,
                on_change=JobsState.set_flow_group.debounce(300),
                width="10rem",
            ),
            wrap="wrap",
            spacing="3",
            width="100%",
        ),
        rx.cond(JobsState.error != "", rx.callout(JobsState.error, color_scheme="red")),
        data_table(
            [
                tr["jobs.job"],
                tr["jobs.workflow"],
                tr["jobs.status"],
                tr["jobs.priority"],
                tr["jobs.flow_group"],
                tr["jobs.next_run"],
                tr["jobs.actions"],
            ],
            JobsState.rows,
            _row,
            empty_text=tr["jobs.empty"],
            test_id="jobs-table",
        ),
        pager(
            offset=JobsState.offset,
            limit=PAGE_SIZE,
            total=JobsState.total,
            on_prev=JobsState.prev_page,
            on_next=JobsState.next_page,
            prev_label=tr["common.prev"],
            next_label=tr["common.next"],
            of_label=tr["common.page_of"],
        ),
        live=JobsState.live,
    )


ON_LOAD = [AppState.require_login, JobsState.load, JobsState.listen_live]
