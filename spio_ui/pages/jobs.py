"""Workflows (/workflows): searchable, filterable job list with pause/resume/run/delete.

Rows come from the server one page at a time; operators run, pause and resume, admins
also delete (after a confirmation). Viewers see no mutating buttons.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from backend.domain.vocab import PRIORITIES
from spio_ui import routes
from spio_ui.components.badges import priority_badge, status_badge
from spio_ui.components.table import data_table
from spio_ui.mixins import pager_for
from spio_ui.pages.jobs_state import ANY, PAGE_SIZE, TRIGGERS, WORKFLOWS, JobsState
from spio_ui.state import AppState
from spio_ui.template import layout, page_header

__all__ = ["JobsState", "jobs_page", "ON_LOAD", "PAGE_SIZE"]


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


def _last_run(row: rx.Var) -> rx.Component:
    """The newest ended run's status; amber with its reason when it did nothing."""
    status = row["last_status"].to(str)
    reasons = row["last_reason"].to(dict)
    badge = status_badge(status)
    return rx.cond(
        status != "",
        rx.vstack(
            rx.link(badge, href="/executions/" + row["last_id"].to(str)),
            rx.cond(reasons["en"] != "",
                    rx.text(reasons[JobsState.lang], size="1", color_scheme="amber",
                            custom_attrs={"data-testid": "job-last-reason"})),
            spacing="1",
            custom_attrs={"data-testid": "job-last-run", "data-status": status},
        ),
        rx.text("–", color_scheme="gray"),
    )  # fmt: skip


def _row(row: rx.Var) -> rx.Component:
    tr = JobsState.tr
    return rx.table.row(
        rx.table.cell(
            rx.link(row["job_id"], href=routes.WORKFLOWS + "/" + row["job_id"].to(str)),
        ),
        rx.table.cell(tr["workflow." + row["workflow"].to(str)]),
        rx.table.cell(
            status_badge(row["status"].to(str))
        ),
        rx.table.cell(priority_badge(row["priority"].to(str))),
        rx.table.cell(row["flow_group"]),
        rx.table.cell(
            rx.text(row["when"].to(dict[str, str])[JobsState.lang], size="2",
                    custom_attrs={"data-testid": "job-when"}),
            rx.text(row["next_run"], size="1", color_scheme="gray"),
        ),  # fmt: skip
        rx.table.cell(_last_run(row)),
        rx.table.cell(_actions(row)),
        custom_attrs={"data-testid": "job-row", "data-job-id": row["job_id"]},
    )


def _select(
    value: rx.Var, on_change: Any, any_label: rx.Var, options: list[str], *, kind: str
) -> rx.Component:
    """A filter; ``kind`` names the words of its options (``status``, ``priority`` ...)."""
    return rx.select.root(
        rx.select.trigger(),
        rx.select.content(
            rx.select.item(any_label, value=ANY),
            *[rx.select.item(JobsState.tr[f"{kind}.{option}"], value=option)
              for option in options],
        ),
        value=value,
        on_change=on_change,
        size="2",
    )


def _trigger_select() -> rx.Component:
    """The trigger filter: no event trigger (a schedule, or by hand), any event, or one."""
    tr = JobsState.tr
    labels = {"schedule": tr["jobs.trigger_schedule"], "event": tr["jobs.trigger_event"]}
    return rx.select.root(
        rx.select.trigger(custom_attrs={"data-testid": "jobs-trigger"}),
        rx.select.content(
            rx.select.item(tr["jobs.any_trigger"], value=ANY),
            *[rx.select.item(labels.get(t, tr[f"event.{t}"]), value=t) for t in TRIGGERS],
        ),
        value=JobsState.trigger,
        on_change=JobsState.set_trigger,
        size="2",
    )


def jobs_page() -> rx.Component:
    tr = JobsState.tr
    return layout(
        page_header(
            tr["jobs.title"],
            rx.text(JobsState.total_text, " ", tr["jobs.count"], size="2", color_scheme="gray"),
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
                kind="workflow",
            ),
            _select(
                JobsState.status,
                JobsState.set_status,
                tr["jobs.any_status"],
                ["active", "paused", "disabled"],
                kind="status",
            ),
            _select(
                JobsState.priority,
                JobsState.set_priority,
                tr["jobs.any_priority"],
                list(PRIORITIES),
                kind="priority",
            ),
            _trigger_select(),
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
                tr["jobs.last_run"],
                tr["jobs.actions"],
            ],
            JobsState.rows,
            _row,
            empty_text=tr["jobs.empty"],
            test_id="jobs-table",
        ),
        pager_for(JobsState, limit=PAGE_SIZE),
        live=JobsState.live,
        reload=JobsState.load,
    )


ON_LOAD = [AppState.require_login, JobsState.load, JobsState.listen_live]
