"""State of the job editor: the saved spec, the draft validated as you type with the
API's own validator, the next fire times, the versions with diff and revert."""

from __future__ import annotations

import difflib
import json
from datetime import UTC, datetime
from typing import Any

import reflex as rx

from spio_ui.components.errors import error_rows, json_error
from spio_ui.formatting import format_datetime
from spio_ui.spec_form import FORM_FIELDS, apply_field, dumps, form_values
from spio_ui.state import AppState

__all__ = ["JobEditorState", "PREVIEW_FIRES"]

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
    # What a form field could not read (path -> message), shown at the field; the spec
    # keeps its previous value meanwhile and cannot be saved.
    form_problems: dict[str, str] = {}
    workflow: str = ""
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
        self.notice, self.diff_text, self.form_problems = "", "", {}
        self._load_job()

    def _show(self, spec: dict[str, Any]) -> None:
        self.draft_text = dumps(spec)
        self.form = form_values(spec, lang=self.lang)
        self._validate(spec)

    def _problem_rows(self) -> list[dict[str, str]]:
        return [{"path": path, "message": message, "suggestion": ""}
                for path, message in self.form_problems.items()]  # fmt: skip

    def _validate(self, spec: Any) -> Any:
        from backend.ai.planner_words import next_fires_in_words
        from backend.jobs.validation import parse_spec

        if isinstance(spec, dict) and isinstance(spec.get("workflow"), str):
            self.workflow = spec["workflow"]
        try:
            parsed = parse_spec(spec)
        except Exception as exc:
            problems = error_rows(exc, lang=self.lang)
            self.errors, self.next_fires = self._problem_rows() + problems, []
            return None
        self.errors = self._problem_rows()
        self.workflow = str(parsed.spec.workflow or self.workflow)
        # In words in the reader's language, in the job's own zone ("Senin, 7 Desember
        # 2026 pukul 09:00 WIB"), as the automation page shows them.
        self.next_fires = next_fires_in_words(parsed.spec.schedule, lang=self.lang,
                                              after=datetime.now(UTC), count=PREVIEW_FIRES)
        return parsed

    def _draft(self) -> dict[str, Any] | None:
        try:
            spec = json.loads(self.draft_text)
        except ValueError as exc:
            self.errors = [{"path": "json", "message": json_error(exc, self.lang),
                            "suggestion": ""}]
            return None
        if not isinstance(spec, dict):
            self.errors = [
                {"path": "json", "message": json_error(None, self.lang), "suggestion": ""}
            ]
            return None
        return spec

    @rx.event
    def edit_json(self, text: str) -> None:
        self.draft_text = text
        self.form_problems = {}
        spec = self._draft()
        if spec is not None:
            self.form = form_values(spec, lang=self.lang)
            self._validate(spec)

    @rx.event
    def edit_field(self, path: str, value: str | bool) -> None:
        spec = self._draft()
        if spec is None or path not in FORM_FIELDS:
            return
        problem = apply_field(spec, path, value)
        if problem is None:
            self.form_problems.pop(path, None)
        else:
            self.form_problems[path] = problem[0 if self.lang == "id" else 1]
        self._show(spec)
        if isinstance(value, str):  # the field keeps what was typed, as typed
            self.form[path] = value

    @rx.event
    def discard(self) -> None:
        self.form_problems = {}
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
            self.errors = error_rows(exc, lang=self.lang)
            return
        self._load_job()
        self.notice = f"{self.tr['editor.saved']} v{saved}"

    @rx.event
    def save(self) -> None:
        spec = self._draft()
        parsed = self._validate(spec) if spec is not None else None
        if parsed is None or self.form_problems:
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
