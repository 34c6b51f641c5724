"""The dry run of /automation's proposal: started through the dry-run service, then
followed by worker events (progress applied directly; a step or status change reloads
the run's steps and outputs) until it ends."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import reflex as rx

from backend.core.failures import failure_text
from backend.core.messages import render_message
from spio_ui.formatting import format_duration
from spio_ui.i18n import word
from spio_ui.live import LiveMixin

__all__ = ["DryRunMixin", "dry_run_view"]

# The outputs of a dry run are shown as JSON up to this many characters.
_OUTPUTS_MAX = 4000

_NO_DRY_RUN: dict[str, Any] = {
    "dry_run_id": 0, "dry_status": "", "dry_percent": 0, "dry_message": "", "dry_duration": "",
    "dry_error": "", "dry_error_detail": "", "dry_steps": [], "dry_outputs": "",
    "dry_artifacts": [],
}  # fmt: skip


def dry_run_view(result: Any, *, lang: str) -> dict[str, Any]:
    """A backend ``DryRunResult`` as the plain values the page shows."""
    outputs = ""
    if result.outputs:
        outputs = json.dumps(result.outputs, indent=2, ensure_ascii=False, default=str)
        if len(outputs) > _OUTPUTS_MAX:
            outputs = outputs[:_OUTPUTS_MAX] + "\n…"
    return {
        "dry_run_id": result.run_id,
        "dry_status": result.status,
        "dry_percent": round(result.progress * 100),
        "dry_message": render_message(result.message, lang),
        "dry_duration": format_duration(result.duration_sec, lang=lang),
        "dry_error": failure_text(result.error, lang=lang),
        "dry_error_detail": result.error or "",
        "dry_steps": [
            {"name": word(lang, "step", step.name), "status": step.status,
             "attempts": step.attempts, "error": failure_text(step.error, lang=lang),
             "detail": step.error or "",
             "duration": format_duration(step.duration_sec, lang=lang)}
            for step in result.steps
        ],  # fmt: skip
        "dry_outputs": outputs,
        "dry_artifacts": list(result.artifacts),
    }


class DryRunMixin(LiveMixin, mixin=True):
    """The dry run's state; the page's live listener follows it once it is started."""

    dry_run_id: int = 0
    dry_status: str = ""
    dry_percent: int = 0
    dry_message: str = ""
    dry_duration: str = ""
    dry_error: str = ""
    dry_error_detail: str = ""
    dry_steps: list[dict[str, Any]] = []
    dry_outputs: str = ""
    dry_artifacts: list[str] = []

    @rx.var
    def dry_running(self) -> bool:
        return self.dry_status in ("queued", "running")

    def _begin_dry_run(self, parsed: Any, *, actor: str) -> None:
        """Queue the dry run of ``parsed`` (a validated spec) and show it as queued."""
        from backend.core.db import session_scope
        from backend.jobs.dry_run import start_dry_run

        with session_scope() as session:
            run = start_dry_run(session=session, parsed=parsed, actor=actor)
            run_id = int(run.id or 0)
        self._store_dry_run(None)
        self.dry_run_id, self.dry_status = run_id, "queued"

    def _store_dry_run(self, view: dict[str, Any] | None) -> None:
        for name, value in (view or _NO_DRY_RUN).items():
            setattr(self, name, value)

    def _live_apply(self, events: list[dict[str, Any]]) -> bool:
        refresh = False
        for event in events:
            if not self.dry_run_id or int(event.get("run_id") or 0) != self.dry_run_id:
                continue
            if event.get("type") == "run.progress":
                self.dry_percent = round(float(event.get("progress") or 0.0) * 100)
                self.dry_message = render_message(event.get("message"), getattr(
                    self, "lang", "id")) or self.dry_message
            elif event.get("type") != "log":
                refresh = True  # a step, the status or an artifact changed
        return refresh

    def _live_query(self) -> Callable[[], Any] | None:
        run_id, lang = self.dry_run_id, getattr(self, "lang", "id")
        if not run_id:
            return None

        def load() -> dict[str, Any]:
            from backend.core.db import session_scope
            from backend.jobs.dry_run import dry_run_result

            with session_scope() as session:
                return dry_run_view(dry_run_result(session=session, run_id=run_id), lang=lang)

        return load

    def _live_store(self, data: Any) -> None:
        # A reload that started before a newer dry run must not overwrite it.
        if data is not None and data.get("dry_run_id") == self.dry_run_id:
            self._store_dry_run(data)
