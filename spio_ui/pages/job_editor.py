"""Job editor (/workflows/[job_id]): form and JSON views of the spec, validated as you
type with the API's own errors at the field, next fire times, versions with diff and
revert, recent runs. Admins edit; operators run and pause; viewers read."""

from __future__ import annotations

import difflib
import json
from datetime import UTC, datetime
from typing import Any

import reflex as rx

from spio_ui import routes
from spio_ui.components.badges import status_badge
from spio_ui.components.cards import section
from spio_ui.components.errors import error_rows, error_summary, field_error
from spio_ui.formatting import format_datetime
from spio_ui.spec_form import FORM_FIELDS, apply_field, dumps, form_values
from spio_ui.state import AppState
from spio_ui.styles import mono
from spio_ui.template import layout, page_header

__all__ = ["JobEditorState", "job_editor_page", "ON_LOAD"]

PREVIEW_FIRES = 5


class JobEditorState(AppState):
    """The job being edited: the saved spec, the draft, its errors and its history."""

    editor_job_id: str = ""
    found: bool = True
    job_status: str = ""
    version: int = 0
    saved_text: str = ""
    draft_text: str = ""
    form: dict[str, str] = {}
    errors: list[dict[str, str]] = []
    next_fires: list[str] = []
    versions: list[dict[str, Any]] = []
    runs: list[dict[str, Any]] = []
    diff_text: str = ""
    notice: str = ""

    @rx.var
    def dirty(self) -> bool:
        return self.draft_text != self.saved_text

    def _load_job(self) -> None:
        from backend.core.db import session_scope
        from backend.core.errors import NotFound
        from backend.jobs.runs import list_runs
        from backend.jobs.service import get_job, job_versions

        try:
            with session_scope() as session:
                job = get_job(session=session, job_id=self.editor_job_id)
                versions = job_versions(session=session, job_id=job.job_id)
                runs, _ = list_runs(session=session, job_id=job.job_id, limit=10)
                spec, status = job.spec, ("paused" if job.paused else "active")
                self.version = job.version
        except NotFound:
            self.found = False
            return
        self.found = True
        self.job_status = status if spec.get("enabled", True) else "disabled"
        self.saved_text = dumps(spec)
        self.versions = [
            {"version": v.version, "by": v.created_by, "at": format_datetime(v.created_at)}
            for v in versions
        ]
        self.runs = [
            {"id": r.id, "status": r.status, "trigger": r.trigger,
             "at": format_datetime(r.started_at or r.created_at)}
            for r in runs
        ]  # fmt: skip
        self._show(spec)

    @rx.event
    def load(self) -> None:
        if not self.role:
            return
        self.editor_job_id = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        self.notice, self.diff_text = "", ""
        self._load_job()

    def _show(self, spec: dict[str, Any]) -> None:
        self.draft_text = dumps(spec)
        self.form = form_values(spec)
        self._validate(spec)

    def _validate(self, spec: Any) -> Any:
        from backend.jobs.validation import parse_spec
        from backend.scheduler.timing import next_fire_times

        try:
            parsed = parse_spec(spec)
        except Exception as exc:
            self.errors, self.next_fires = error_rows(exc), []
            return None
        self.errors = []
        schedule = parsed.spec.schedule
        fires = (
            next_fire_times(schedule, after=datetime.now(UTC), count=PREVIEW_FIRES)
            if schedule
            else []
        )
        self.next_fires = [format_datetime(moment) for moment in fires]
        return parsed

    def _draft(self) -> dict[str, Any] | None:
        try:
            spec = json.loads(self.draft_text)
        except ValueError as exc:
            self.errors = [{"path": "json", "message": str(exc), "suggestion": ""}]
            return None
        if not isinstance(spec, dict):
            self.errors = [
                {"path": "json", "message": "a JSON object is expected", "suggestion": ""}
            ]
            return None
        return spec

    @rx.event
    def edit_json(self, text: str) -> None:
        self.draft_text = text
        spec = self._draft()
        if spec is not None:
            self.form = form_values(spec)
            self._validate(spec)

    @rx.event
    def edit_field(self, path: str, value: str | bool) -> None:
        spec = self._draft()
        if spec is None or path not in FORM_FIELDS:
            return
        apply_field(spec, path, value)
        self._show(spec)
        if FORM_FIELDS[path] not in ("bool",):
            self.form[path] = value if isinstance(value, str) else self.form[path]

    @rx.event
    def discard(self) -> None:
        self._show(json.loads(self.saved_text))

    def _admin_write(self, write: Any) -> None:
        if not self._has_role("admin"):
            self.notice = self.tr["common.forbidden"]
            return
        from backend.core.db import session_scope

        try:
            with session_scope() as session:
                job = write(session)
                saved = job.version
        except Exception as exc:  # InvalidInput (by path), NotFound, Conflict
            self.errors = error_rows(exc)
            return
        self._load_job()
        self.notice = f"{self.tr['editor.saved']} v{saved}"

    @rx.event
    def save(self) -> None:
        spec = self._draft()
        parsed = self._validate(spec) if spec is not None else None
        if parsed is None:
            return
        from backend.jobs.service import update_job

        self._admin_write(lambda s: update_job(session=s, job_id=self.editor_job_id,
                                               parsed=parsed, actor=self.user_name))  # fmt: skip

    @rx.event
    def revert(self, version: int) -> None:
        from backend.jobs.service import revert_job

        self._admin_write(lambda s: revert_job(session=s, job_id=self.editor_job_id,
                                               version=version, actor=self.user_name))  # fmt: skip

    @rx.event
    def show_diff(self, version: int) -> None:
        """Unified diff from ``version`` to the saved spec."""
        from backend.core.db import session_scope
        from backend.jobs.service import job_versions

        with session_scope() as session:
            rows = job_versions(session=session, job_id=self.editor_job_id)
            old = next((dumps(v.spec) for v in rows if v.version == version), "")
        lines = difflib.unified_diff(old.splitlines(), self.saved_text.splitlines(),
                                     f"v{version}", f"v{self.version}", lineterm="")  # fmt: skip
        self.diff_text = "\n".join(lines) or self.tr["editor.no_diff"]


def _field(label: str, path: str, control: rx.Component) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="2", weight="medium"),
        control,
        field_error(JobEditorState.errors, path),
        *(
            [
                field_error(JobEditorState.errors, "schedule.cron"),
                field_error(JobEditorState.errors, "schedule.interval_sec"),
            ]
            if path == "schedule"
            else []
        ),  # fmt: skip
        width="100%",
        spacing="1",
    )


def _text(path: str, **props: Any) -> rx.Component:
    return rx.input(
        value=JobEditorState.form[path],
        on_change=lambda value: JobEditorState.edit_field(path, value),
        read_only=~JobEditorState.can_edit,
        width="100%",
        custom_attrs={"data-testid": f"field-{path}"},
        **props,
    )


def _switch(path: str) -> rx.Component:
    return rx.switch(
        checked=JobEditorState.form[path] == "true",
        on_change=lambda value: JobEditorState.edit_field(path, value),
        disabled=~JobEditorState.can_edit,
        custom_attrs={"data-testid": f"field-{path}"},
    )


def _form() -> rx.Component:
    tr = JobEditorState.tr
    return rx.grid(
        _field(tr["editor.schedule"], "schedule", _text("schedule")),
        _field(tr["editor.timezone"], "schedule.timezone", _text("schedule.timezone")),
        _field("timeout_ms", "timeout_ms", _text("timeout_ms")),
        _field("max_retry", "retry_policy.max_retry", _text("retry_policy.max_retry")),
        _field("backoff_sec", "retry_policy.backoff_sec", _text("retry_policy.backoff_sec")),
        _field(
            tr["jobs.priority"],
            "inputs.pressure_priority",
            rx.select(
                ["critical", "high", "normal", "low"],
                value=JobEditorState.form["inputs.pressure_priority"],
                on_change=lambda v: JobEditorState.edit_field("inputs.pressure_priority", v),
                disabled=~JobEditorState.can_edit,
            ),
        ),  # fmt: skip
        _field(tr["jobs.flow_group"], "inputs.flow_group", _text("inputs.flow_group")),
        _field(
            "flow_max_active_runs",
            "inputs.flow_max_active_runs",
            _text("inputs.flow_max_active_runs"),
        ),  # fmt: skip
        _field("allow_overlap", "inputs.allow_overlap", _switch("inputs.allow_overlap")),
        _field("enabled", "enabled", _switch("enabled")),
        columns=rx.breakpoints(initial="1", md="2", xl="3"),
        spacing="4",
        width="100%",
    )


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
        rx.text(row["trigger"], size="1", color_scheme="gray"),
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
            rx.tabs.content(rx.box(_form(), padding_top="1rem"), value="form"),
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
