"""Job editor (/workflows/[job_id]): form and JSON views of the spec, validated as you
type with the API's own errors at the field, next fire times, versions with diff and
revert, recent runs. Admins edit; operators run and pause; viewers read.
State: ``job_editor_state``."""

from __future__ import annotations

import reflex as rx

from spio_ui import routes
from spio_ui.components.badges import status_badge
from spio_ui.components.cards import section
from spio_ui.components.errors import error_summary
from spio_ui.pages.job_editor_form import editor_form
from spio_ui.pages.job_editor_state import JobEditorState
from spio_ui.state import AppState
from spio_ui.styles import mono
from spio_ui.template import layout, page_header

__all__ = ["JobEditorState", "job_editor_page", "ON_LOAD"]


def _json() -> rx.Component:
    return rx.text_area(
        value=JobEditorState.draft_text,
        on_change=JobEditorState.edit_json.debounce(400),
        read_only=~JobEditorState.can_edit,
        rows="24",
        width="100%",
        style=mono,
        custom_attrs={"data-testid": "editor-json"},
    )


def _version_row(row: rx.Var) -> rx.Component:
    tr = JobEditorState.tr
    return rx.hstack(
        rx.badge("v", row["version"]),
        rx.text(row["by"], size="2"),
        rx.text(row["at"], size="1", color_scheme="gray"),
        rx.spacer(),
        rx.button(
            tr["editor.diff"],
            size="1",
            variant="ghost",
            on_click=JobEditorState.show_diff(row["version"].to(int)),
        ),  # fmt: skip
        rx.cond(
            JobEditorState.can_edit & (row["version"].to(int) != JobEditorState.version),
            rx.button(
                tr["editor.revert"],
                size="1",
                variant="soft",
                on_click=JobEditorState.revert(row["version"].to(int)),
                custom_attrs={"data-testid": "version-revert"},
            ),
        ),  # fmt: skip
        width="100%",
        align="center",
    )


def _run_row(row: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.link("#", row["id"], href="/executions/" + row["id"].to(str)),
        status_badge(row["status"].to(str)),
        rx.text(JobEditorState.tr["trigger." + row["trigger"].to(str)], size="1",
                color_scheme="gray"),
        rx.text(row["at"], size="1", color_scheme="gray"),
        align="center",
        spacing="3",
    )


def _editor() -> rx.Component:
    tr = JobEditorState.tr
    return rx.vstack(
        page_header(
            rx.hstack(
                rx.text(JobEditorState.editor_job_id),
                status_badge(JobEditorState.job_status),
                rx.badge("v", JobEditorState.version, variant="outline"),
                align="center",
            ),  # fmt: skip
            rx.cond(
                JobEditorState.can_edit,
                rx.hstack(
                    rx.button(
                        tr["editor.discard"],
                        variant="soft",
                        on_click=JobEditorState.discard,
                        disabled=~JobEditorState.dirty,
                    ),
                    rx.button(
                        tr["editor.save"],
                        on_click=JobEditorState.save,
                        disabled=~JobEditorState.dirty | (JobEditorState.errors.length() > 0),
                        custom_attrs={"data-testid": "editor-save"},
                    ),
                ),
            ),  # fmt: skip
        ),
        rx.cond(
            JobEditorState.notice != "",
            rx.callout(
                JobEditorState.notice,
                color_scheme="green",
                custom_attrs={"data-testid": "editor-notice"},
            ),
        ),  # fmt: skip
        error_summary(JobEditorState.errors, test_id="editor-errors"),
        rx.tabs.root(
            rx.tabs.list(
                rx.tabs.trigger(tr["editor.form"], value="form"),
                rx.tabs.trigger("JSON", value="json"),
            ),  # fmt: skip
            rx.tabs.content(rx.box(editor_form(), padding_top="1rem"), value="form"),
            rx.tabs.content(rx.box(_json(), padding_top="1rem"), value="json"),
            default_value="form",
            width="100%",
        ),
        rx.grid(
            section(
                tr["auto.next_fires"],
                rx.foreach(JobEditorState.next_fires, lambda t: rx.text(t, size="2")),
                custom_attrs={"data-testid": "editor-next-fires"},
            ),  # fmt: skip
            section(tr["editor.versions"], rx.foreach(JobEditorState.versions, _version_row)),
            section(tr["jobs.recent_runs"], rx.foreach(JobEditorState.runs, _run_row)),
            columns=rx.breakpoints(initial="1", lg="3"),
            spacing="4",
            width="100%",
        ),
        rx.cond(
            JobEditorState.diff_text != "",
            section(
                tr["editor.diff"],
                rx.code_block(JobEditorState.diff_text, language="diff", width="100%"),
            ),
        ),  # fmt: skip
        width="100%",
        spacing="4",
    )


def job_editor_page() -> rx.Component:
    return layout(
        rx.cond(
            JobEditorState.found,
            _editor(),
            rx.callout(JobEditorState.tr["common.not_found"], color_scheme="gray"),
        ),  # fmt: skip
        rx.link("← ", JobEditorState.tr["jobs.title"], href=routes.WORKFLOWS, size="2"),
    )


ON_LOAD = [AppState.require_login, JobEditorState.load]
