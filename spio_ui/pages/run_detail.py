"""Run detail (/executions/[run_id]): live progress, step timeline, log tail, artifacts,
cancel and retry. State: ``run_detail_state``."""

from __future__ import annotations

import reflex as rx

from spio_ui import routes
from spio_ui.components.badges import nothing_done_note, status_badge
from spio_ui.components.cards import progress_bar, section
from spio_ui.components.run_parts import log_line, run_fact, step_row
from spio_ui.pages.run_detail_state import LOG_TAIL, RunState
from spio_ui.state import AppState
from spio_ui.styles import mono
from spio_ui.template import layout, page_header

__all__ = ["RunState", "run_page", "ON_LOAD", "LOG_TAIL"]


def _artifact_row(artifact: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.icon("file-down", size=16),
        rx.link(
            artifact["name"],
            on_click=RunState.download(artifact["id"].to(int)),
            cursor="pointer",
            custom_attrs={"data-testid": "artifact-link"},
        ),
        rx.text(artifact["size"], size="1", color_scheme="gray"),
        rx.text(artifact["type"], size="1", color_scheme="gray"),
        align="center",
        spacing="3",
    )


def _summary_card(figure: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.text(figure["value"].to(dict[str, str])[RunState.lang], size="6", weight="bold"),
        rx.text(figure["label"].to(dict[str, str])[RunState.lang], size="2", color_scheme="gray"),
        spacing="0",
        custom_attrs={"data-testid": "run-figure", "data-key": figure["key"]},
    )


def _summary() -> rx.Component:
    """What the run did, in numbers (prices changed, messages per channel, rows ...)."""
    return rx.cond(
        RunState.summary.length() > 0,
        section(
            RunState.tr["run.summary"],
            rx.grid(rx.foreach(RunState.summary, _summary_card),
                    columns=rx.breakpoints(initial="2", md="3", xl="5"), spacing="4",
                    width="100%"),
            custom_attrs={"data-testid": "run-summary"},
        ),
    )  # fmt: skip


def _facts() -> rx.Component:
    tr = RunState.tr
    return rx.grid(
        run_fact(tr["run.trigger"], tr["trigger." + RunState.trigger]),
        run_fact(tr["run.attempts"], RunState.attempt_text),
        run_fact(tr["run.started"], RunState.started),
        run_fact(tr["run.finished"], RunState.finished),
        run_fact(tr["run.duration"], RunState.duration),
        columns=rx.breakpoints(initial="2", sm="5"),  # two per row on a phone
        spacing="4",
        width="100%",
    )


def _event() -> rx.Component:
    """The event that started the run: what, from whom, when, and its data."""
    tr, event = RunState.tr, RunState.event
    return section(
        tr["run.event"],
        rx.grid(
            run_fact(tr["run.event_kind"], RunState.event_words, test_id="run-event-kind"),
            run_fact(tr["run.event_source"], event["source"].to(str)),
            run_fact(tr["run.event_id"], event["id"].to(str), test_id="run-event-id"),
            run_fact(tr["run.event_occurred"], event["occurred"].to(str)),
            run_fact(tr["run.event_received"], event["received"].to(str)),
            columns=rx.breakpoints(initial="2", sm="5"),
            spacing="4",
            width="100%",
        ),
        rx.text(tr["run.event_data"], size="1", color_scheme="gray", margin_top="0.5rem"),
        rx.code_block(event["data"].to(str), language="json", width="100%",
                      custom_attrs={"data-testid": "run-event-data"}),
        custom_attrs={"data-testid": "run-event"},
    )


def run_page() -> rx.Component:
    tr = RunState.tr
    actions = rx.cond(
        RunState.can_operate,
        rx.hstack(
            rx.cond(
                RunState.active,
                rx.button(
                    tr["run.cancel"],
                    on_click=RunState.cancel,
                    color_scheme="red",
                    variant="soft",
                    custom_attrs={"data-testid": "run-cancel"},
                ),
            ),
            rx.cond(
                RunState.can_retry,
                rx.button(
                    tr["run.retry"],
                    on_click=RunState.retry,
                    custom_attrs={"data-testid": "run-retry"},
                ),
            ),
        ),  # fmt: skip
    )
    body = rx.vstack(
        page_header(
            rx.hstack(
                rx.text(tr["run.title"], " #", RunState.run_number),
                rx.cond(
                    RunState.trigger == "dry_run",  # a throwaway job: nothing to link to
                    rx.badge(tr["auto.dry_run"], color_scheme="amber", variant="soft",
                             custom_attrs={"data-testid": "run-dry-run"}),
                    rx.link(RunState.run_job_id, href=routes.WORKFLOWS + "/" + RunState.run_job_id,
                            size="4"),
                ),  # fmt: skip
                status_badge(RunState.status),
                align="center",
                spacing="3",
            ),
            actions,
        ),
        rx.cond(RunState.action_error != "", rx.callout(RunState.action_error, color_scheme="red")),
        rx.cond(
            RunState.reason != "",
            nothing_done_note(RunState.reason, title=tr["run.nothing_done"],
                              test_id="run-nothing-done"),
        ),  # fmt: skip
        _summary(),
        rx.cond(RunState.event_words != "", _event()),
        section(
            tr["run.progress"],
            progress_bar(RunState.percent, status=RunState.status),
            rx.text(
                RunState.message_text,
                size="2",
                color_scheme="gray",
                custom_attrs={"data-testid": "run-message"},
            ),  # fmt: skip
            _facts(),
            rx.cond(
                RunState.error != "",
                rx.callout(
                    rx.vstack(
                        rx.text(RunState.error, custom_attrs={"data-testid": "run-error"}),
                        rx.text(tr["run.error_detail"], ": ",
                                rx.text.span(RunState.error_detail,
                                             custom_attrs={"data-user-content": "error"}),
                                size="1", color_scheme="gray", style=mono,
                                white_space="pre-wrap", word_break="break-word",
                                custom_attrs={"data-testid": "run-error-detail"}),
                        spacing="1",
                    ),
                    color_scheme="red", margin_top="0.5rem",
                ),
            ),  # fmt: skip
            custom_attrs={"data-testid": "run-progress", "data-status": RunState.status},
        ),
        rx.grid(
            section(
                tr["run.steps"],
                rx.cond(
                    RunState.steps.length() > 0,
                    rx.foreach(RunState.steps, step_row),
                    rx.text(tr["run.no_steps"], size="2", color_scheme="gray"),
                ),  # fmt: skip
            ),
            section(
                tr["run.artifacts"],
                rx.cond(
                    RunState.artifacts.length() > 0,
                    rx.foreach(RunState.artifacts, _artifact_row),
                    rx.text(tr["run.no_artifacts"], size="2", color_scheme="gray"),
                ),  # fmt: skip
            ),
            columns=rx.breakpoints(initial="1", lg="2"),
            spacing="4",
            width="100%",
        ),
        section(
            tr["run.logs"],
            rx.scroll_area(
                rx.cond(
                    RunState.log_lines.length() > 0,
                    rx.foreach(RunState.log_lines, log_line),
                    rx.text(tr["run.no_logs"], size="2", color_scheme="gray"),
                ),  # fmt: skip
                max_height="24rem",
                scrollbars="vertical",
            ),
            custom_attrs={"data-testid": "run-logs"},
        ),
        width="100%",
        spacing="4",
    )
    return layout(
        rx.cond(RunState.found, body, rx.callout(tr["common.not_found"], color_scheme="gray")),
        live=RunState.live,
        reload=RunState.load,
    )


ON_LOAD = [AppState.require_login, RunState.load, RunState.listen_live]
