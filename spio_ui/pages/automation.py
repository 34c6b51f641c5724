"""Automation (/automation): prompt -> the planner's proposal -> Create & Run / Create /
Dry run on sandbox.

The proposal is shown as a readable summary (what, when, next fire times, estimate,
assumptions) and as editable fields plus the full JSON spec; every edit is validated
with the API's own validator and its errors are shown at the field. A dry run runs the
proposal once on the workers against the sandbox, stores no job, and shows its steps,
duration and outputs (or error) here as they happen. State: ``automation_state``.
"""

from __future__ import annotations

import reflex as rx

from backend.domain.vocab import PRIORITIES
from spio_ui import routes
from spio_ui.components.badges import status_badge
from spio_ui.components.cards import progress_bar, section
from spio_ui.components.errors import error_summary, field_error
from spio_ui.components.run_parts import run_fact, step_row
from spio_ui.components.select import word_select
from spio_ui.pages.automation_state import EXAMPLES, AutomationState
from spio_ui.spec_fields import TRIGGER_FIELDS
from spio_ui.state import AppState
from spio_ui.styles import mono
from spio_ui.template import layout, page_header

__all__ = ["AutomationState", "automation_page", "EXAMPLES", "ON_LOAD"]

def _example_button(label_key: str, prompt_id: str, prompt_en: str) -> rx.Component:
    """A seed prompt in the reader's language."""
    return rx.button(
        AutomationState.tr[label_key],
        on_click=AutomationState.use_example(
            rx.cond(AutomationState.lang == "en", prompt_en, prompt_id)),
        variant="soft",
        size="1",
        custom_attrs={"data-testid": "example"},
    )


TRIGGER_CHOICES = TRIGGER_FIELDS[0].choices  # "schedule" (no event) and each event


def _labelled(label: rx.Var[str] | str, control: rx.Component, path: str) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="2", weight="medium"),
        control,
        field_error(AutomationState.errors, path),
        width="100%",
    )


def _proposal() -> rx.Component:
    tr = AutomationState.tr
    summary = section(
        tr["auto.proposal"],
        rx.text(AutomationState.explanation, custom_attrs={"data-testid": "plan-explanation"}),
        rx.cond(
            AutomationState.engine_note != "",
            rx.text(AutomationState.tr[AutomationState.engine_note], size="1", color_scheme="gray",
                    custom_attrs={"data-testid": "engine-note"}),
        ),
        rx.grid(
            rx.vstack(
                rx.text(tr["auto.next_fires"], weight="medium", size="2"),
                rx.foreach(AutomationState.next_fires, lambda t: rx.text(t, size="2")),
                custom_attrs={"data-testid": "plan-next-fires"},
            ),
            rx.vstack(
                rx.text(tr["auto.estimate"], weight="medium", size="2"),
                rx.text(tr["auto.api_calls"], ": ", AutomationState.est_api_calls, size="2"),
                rx.text(tr["auto.messages"], ": ", AutomationState.est_messages, size="2"),
                rx.text(tr["auto.duration"], ": ", AutomationState.est_duration, size="2"),
            ),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="4",
            width="100%",
            margin_top="0.75rem",
        ),
        rx.text(tr["auto.assumptions"], weight="medium", size="2", margin_top="0.75rem"),
        rx.unordered_list(
            rx.foreach(AutomationState.assumptions, lambda a: rx.list_item(a, size="2"))
        ),
    )
    editor = section(
        tr["auto.inputs"],
        rx.grid(
            _labelled(
                tr["auto.job_name"],
                rx.input(
                    value=AutomationState.plan_job_id,
                    on_change=AutomationState.edit_job_id,
                    width="100%",
                ),
                "job_id",
            ),
            _labelled(
                tr["auto.when"],
                rx.vstack(
                    rx.input(
                        value=AutomationState.schedule_text,
                        on_change=AutomationState.edit_schedule,
                        width="100%",
                        custom_attrs={"data-testid": "plan-schedule"},
                    ),
                    field_error(AutomationState.errors, "schedule"),
                    width="100%",
                    spacing="1",
                ),
                "schedule.cron",
            ),
            _labelled(
                tr["auto.trigger"],
                rx.vstack(
                    rx.select.root(
                        rx.select.trigger(width="100%",
                                          custom_attrs={"data-testid": "plan-trigger"}),
                        rx.select.content(*[rx.select.item(tr[f"choice.{c}"], value=c)
                                            for c in TRIGGER_CHOICES]),
                        value=AutomationState.trigger_event,
                        on_change=AutomationState.edit_trigger,
                    ),
                    rx.text(AutomationState.trigger_text, size="1", color_scheme="gray",
                            custom_attrs={"data-testid": "plan-trigger-text"}),
                    field_error(AutomationState.errors, "trigger"),
                    width="100%",
                    spacing="1",
                ),
                "trigger.event",
            ),
            _labelled(
                tr["jobs.priority"],
                word_select(PRIORITIES, kind="priority", value=AutomationState.priority,
                            on_change=AutomationState.edit_priority),
                "inputs.pressure_priority",
            ),
            columns=rx.breakpoints(initial="1", sm="2", lg="4"),  # stacked on a phone
            spacing="4",
            width="100%",
        ),
        rx.text(tr["auto.spec_json"], size="2", weight="medium", margin_top="0.75rem"),
        rx.text_area(
            value=AutomationState.spec_text,
            on_change=AutomationState.edit_spec_text.debounce(400),
            rows="16",
            width="100%",
            min_width="0",
            style=mono,
            custom_attrs={"data-testid": "plan-spec"},
        ),
    )
    return rx.vstack(summary, editor, width="100%", spacing="4")


def _dry_run_result() -> rx.Component:
    tr = AutomationState.tr
    return section(
        tr["auto.dry_run_title"],
        rx.hstack(
            status_badge(AutomationState.dry_status),
            rx.link(
                tr["auto.open_run"], " #", AutomationState.dry_run_id,
                href="/executions/" + AutomationState.dry_run_id.to_string(), size="2",
            ),  # fmt: skip
            rx.spacer(),
            run_fact(tr["run.duration"], AutomationState.dry_duration, test_id="dry-run-duration"),
            align="center",
            width="100%",
        ),
        rx.text(tr["auto.dry_run_hint"], size="1", color_scheme="gray"),
        progress_bar(AutomationState.dry_percent, status=AutomationState.dry_status),
        rx.text(AutomationState.dry_message, size="2", color_scheme="gray"),
        rx.cond(
            AutomationState.dry_error != "",
            rx.callout(
                rx.vstack(
                    rx.text(AutomationState.dry_error),
                    rx.text(tr["run.error_detail"], ": ",
                            rx.text.span(AutomationState.dry_error_detail,
                                         custom_attrs={"data-user-content": "error"}),
                            size="1", color_scheme="gray", word_break="break-word"),
                    spacing="1",
                ),
                color_scheme="red", custom_attrs={"data-testid": "dry-run-error"},
            ),  # fmt: skip
        ),
        rx.text(tr["run.steps"], weight="medium", size="2", margin_top="0.75rem"),
        rx.cond(
            AutomationState.dry_steps.length() > 0,
            rx.foreach(AutomationState.dry_steps, step_row),
            rx.text(tr["run.no_steps"], size="2", color_scheme="gray"),
        ),
        rx.cond(
            AutomationState.dry_artifacts.length() > 0,
            rx.text(tr["run.artifacts"], ": ", AutomationState.dry_artifacts.join(", "), size="2",
                    margin_top="0.5rem"),  # fmt: skip
        ),
        rx.cond(
            AutomationState.dry_outputs != "",
            rx.vstack(
                rx.text(tr["auto.dry_run_outputs"], weight="medium", size="2"),
                rx.code_block(AutomationState.dry_outputs, language="json", width="100%",
                              custom_attrs={"data-testid": "dry-run-outputs"}),  # fmt: skip
                width="100%",
                margin_top="0.75rem",
            ),
        ),
        custom_attrs={"data-testid": "dry-run", "data-status": AutomationState.dry_status},
    )


def _dry_run_button() -> rx.Component:
    return rx.button(
        rx.icon("flask-conical"),
        AutomationState.tr["auto.dry_run"],
        on_click=AutomationState.start_dry_run,
        variant="outline",
        disabled=(AutomationState.errors.length() > 0) | AutomationState.dry_running,
        loading=AutomationState.dry_running,
        custom_attrs={"data-testid": "dry-run-start"},
    )


def _actions() -> rx.Component:
    tr = AutomationState.tr
    return rx.cond(
        AutomationState.can_edit,
        rx.hstack(
            rx.button(
                rx.icon("play"),
                tr["auto.create_run"],
                on_click=AutomationState.create(True),
                disabled=AutomationState.errors.length() > 0,
                custom_attrs={"data-testid": "create-run"},
            ),
            rx.button(
                tr["auto.create"],
                on_click=AutomationState.create(False),
                variant="soft",
                disabled=AutomationState.errors.length() > 0,
                custom_attrs={"data-testid": "create"},
            ),
            _dry_run_button(),
            rx.cond(
                AutomationState.created_job != "",
                rx.link(
                    tr["auto.created"],
                    ": ",
                    AutomationState.created_job,
                    href=routes.WORKFLOWS + "/" + AutomationState.created_job,
                ),
            ),
            align="center",
            spacing="3",
            wrap="wrap",
        ),
        rx.cond(AutomationState.can_operate, _dry_run_button()),
    )


def automation_page() -> rx.Component:
    tr = AutomationState.tr
    return layout(
        page_header(tr["auto.title"]),
        rx.text(tr["auto.intro"], color_scheme="gray"),
        rx.text_area(
            value=AutomationState.prompt,
            on_change=AutomationState.set_prompt,
            placeholder=tr["auto.placeholder"],
            rows="3",
            width="100%",
            custom_attrs={"data-testid": "prompt"},
        ),
        rx.hstack(
            rx.text(tr["auto.examples"], ":", size="2", color_scheme="gray"),
            *[_example_button(*example) for example in EXAMPLES],
            wrap="wrap",
            align="center",
            spacing="2",
        ),
        rx.hstack(
            rx.checkbox(
                tr["auto.use_ai"],
                checked=AutomationState.use_ai,
                on_change=AutomationState.set_use_ai,
            ),
            rx.spacer(),
            rx.button(
                rx.icon("sparkles"),
                tr["auto.plan"],
                on_click=AutomationState.draft,
                disabled=AutomationState.prompt == "",
                custom_attrs={"data-testid": "draft"},
            ),
            width="100%",
            align="center",
        ),
        error_summary(AutomationState.errors, test_id="plan-errors"),
        rx.cond(AutomationState.has_plan, rx.vstack(_proposal(), _actions(), width="100%")),
        rx.cond(AutomationState.dry_run_id > 0, _dry_run_result()),
    )


ON_LOAD = [AppState.require_login, AutomationState.reset_page]
