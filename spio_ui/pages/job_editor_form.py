"""The job editor's form tab: how the job runs (schedule in words, time limit, retries,
priority, concurrency) and the inputs of the job's own workflow, each with a plain label,
a line of help and its error at the field. Fields: ``spio_ui.spec_fields``."""

from __future__ import annotations

import reflex as rx

from spio_ui.components.cards import section
from spio_ui.components.errors import field_error
from spio_ui.pages.job_editor_state import JobEditorState
from spio_ui.spec_fields import (
    AREA_KINDS,
    COMMON_FIELDS,
    TRIGGER_EVENT,
    TRIGGER_FIELDS,
    WORKFLOW_FIELDS,
    Field,
)

__all__ = ["editor_form"]


def _control(field: Field) -> rx.Component:
    state, path = JobEditorState, field.path
    test_id = {"data-testid": f"field-{path}"}
    if field.kind == "bool":
        return rx.switch(checked=state.form[path] == "true",
                         on_change=lambda value: state.edit_field(path, value),
                         disabled=~state.can_edit, custom_attrs=test_id)  # fmt: skip
    if field.choices:
        return rx.select.root(
            rx.select.trigger(width="100%", custom_attrs=test_id),
            rx.select.content(*[rx.select.item(state.tr[f"choice.{c}"], value=c)
                                for c in field.choices]),  # fmt: skip
            value=state.form[path],
            on_change=lambda value: state.edit_field(path, value),
            disabled=~state.can_edit,
        )
    if field.kind in AREA_KINDS:
        return rx.text_area(value=state.form[path], rows="6", width="100%",
                            on_change=lambda value: state.edit_field(path, value),
                            read_only=~state.can_edit, custom_attrs=test_id)  # fmt: skip
    return rx.input(value=state.form[path], width="100%",
                    on_change=lambda value: state.edit_field(path, value),
                    read_only=~state.can_edit, custom_attrs=test_id)  # fmt: skip


def _field(field: Field) -> rx.Component:
    tr = JobEditorState.tr
    extra_errors = (
        ["schedule.cron", "schedule.interval_sec", "schedule.at"] if field.path == "schedule"
        else ["inputs.pricing_strategy"] if field.kind == "strategy_percent"
        else ["trigger"] if field.path == TRIGGER_EVENT else []
    )  # fmt: skip
    return rx.vstack(
        rx.text(tr[f"form.{field.key}"], size="2", weight="medium"),
        _control(field),
        rx.text(tr[f"form.{field.key}.help"], size="1", color_scheme="gray"),
        field_error(JobEditorState.errors, field.path),
        *[field_error(JobEditorState.errors, p) for p in extra_errors],
        width="100%",
        spacing="1",
        grid_column="1 / -1" if field.kind in AREA_KINDS else "auto",
    )


def _shown(field: Field) -> rx.Component:
    """A trigger option shows only while the chosen event takes it."""
    if not field.show_for:
        return _field(field)
    chosen = JobEditorState.form[TRIGGER_EVENT]
    return rx.cond(rx.Var.create(list(field.show_for)).contains(chosen), _field(field))


def _grid(fields: tuple[Field, ...]) -> rx.Component:
    return rx.grid(*[_shown(f) for f in fields],
                   columns=rx.breakpoints(initial="1", md="2", xl="3"), spacing="4",
                   width="100%")  # fmt: skip


def editor_form() -> rx.Component:
    tr = JobEditorState.tr
    own = [
        rx.cond(
            JobEditorState.workflow == name,
            section(tr[f"form.section.{name}"], _grid(fields),
                    custom_attrs={"data-testid": f"form-{name}"}),
        )  # fmt: skip
        for name, fields in WORKFLOW_FIELDS.items()
    ]
    return rx.vstack(
        *own,
        section(tr["form.section.trigger"], _grid(TRIGGER_FIELDS),
                custom_attrs={"data-testid": "form-trigger"}),
        section(tr["form.section.run"], _grid(COMMON_FIELDS)),
        width="100%",
        spacing="4",
    )
