"""State of the run detail page: one run, kept current by worker events.

Progress and log lines arrive with the worker's events and are applied directly; a
step or status change reloads the run from the database (at most a few times a second,
never while nothing happens).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from backend.core.failures import failure_text, log_text
from backend.core.messages import error_text, render_message
from spio_ui.artifacts import artifact_file
from spio_ui.formatting import (
    format_bytes,
    format_clock,
    format_datetime,
    format_duration,
    spec_zone,
)
from spio_ui.i18n import translations, word
from spio_ui.state import AppState, LiveMixin

__all__ = ["RunState", "run_view", "run_summary", "LOG_TAIL"]

LOG_TAIL = 300


def _seconds(start: Any, end: Any) -> float | None:
    if start is None or end is None:
        return None
    return (end - start).total_seconds()


def _figure_text(figure: dict[str, Any], *, lang: str) -> tuple[str, str]:
    """One summary figure's label and value, worded and formatted in ``lang``."""
    from backend.services.price_review_text import money, percent, platform_name

    value, unit = figure["value"], figure["unit"]
    if unit == "percent":
        text = percent(float(value), lang=lang)
    elif unit == "rupiah":
        text = money(value, lang=lang)
    else:
        text = f"{value:,}"
        text = text.replace(",", ".") if lang == "id" else text
    label = translations(lang)[f"summary.{figure['key']}"].format(
        channel=platform_name(str(figure.get("arg") or "")))
    return label, text


_KINDS = (("pdf", "pdf"), ("spreadsheet", "excel"), ("excel", "excel"), ("csv", "csv"),
          ("json", "json"), ("image/", "image"))


def file_kind(content_type: str | None) -> str:
    """What a file is, for people ("pdf", "excel", ...), from its MIME type."""
    found = (content_type or "").lower()
    return next((kind for part, kind in _KINDS if part in found), "other")


def run_summary(detail: Any) -> list[dict[str, Any]]:
    """What the run did, in numbers (``backend.services.run_summary``), worded in each
    language so that switching language shows the other at once."""
    from backend.services.run_summary import run_figures

    run = detail.run
    figures = run_figures(run_id=int(run.id or 0), workflow=run.workflow, result=run.result)
    out = []
    for figure in figures:
        worded = {lang: _figure_text(figure, lang=lang) for lang in ("id", "en")}
        out.append({"key": figure["key"], "label": {k: v[0] for k, v in worded.items()},
                    "value": {k: v[1] for k, v in worded.items()}})  # fmt: skip
    return out


def _moment(value: Any, tz: str | None) -> str:
    from datetime import datetime

    if not value:
        return "–"
    try:
        return format_datetime(datetime.fromisoformat(str(value)), with_seconds=True, tz=tz)
    except ValueError:
        return str(value)


def event_view(event: dict[str, Any] | None, *, tz: str | None = None) -> dict[str, Any]:
    """The event that started the run, as the page shows it ({} for a run it did not):
    what it was, in words in each language, who sent it, when, and its data as JSON."""
    import json

    from backend.ai.trigger_text import EVENT_WORDS

    if not event:
        return {}
    kind = str(event.get("kind") or "")
    words = EVENT_WORDS.get(kind, (kind, kind))
    return {"kind": kind, "words": {"id": words[0], "en": words[1]},
            "source": str(event.get("source") or ""), "id": str(event.get("id") or ""),
            "occurred": _moment(event.get("occurred_at"), tz),
            "received": _moment(event.get("received_at"), tz),
            "data": json.dumps(event.get("data") or {}, indent=2, ensure_ascii=False)}


def run_view(detail: Any, *, lang: str, tz: str | None = None) -> dict[str, Any]:
    """The backend's RunDetail as the plain rows this page shows (moments in ``tz``, the
    job's zone; progress and log texts stay keyed and are rendered for the reader)."""
    from backend.core.outcome import NOTHING_DONE, reason_texts
    from backend.models.types import utcnow

    run = detail.run
    finished = run.finished_at or (utcnow() if run.started_at else None)
    idle = run.outcome == NOTHING_DONE
    return {
        "run_job_id": run.job_id,
        "workflow": run.workflow,
        "timezone": tz or "",
        # Succeeded without doing its work: amber, never green, with the reason.
        "status": NOTHING_DONE if idle else run.status,
        "reasons": reason_texts(run.outcome_reason if idle else None),
        "percent": round((run.progress or 0.0) * 100),
        "message": run.progress_message or "",
        "trigger": run.trigger,
        "event": event_view(getattr(detail, "event", None), tz=tz),
        "attempt_text": f"{run.attempt}/{run.max_attempts}",
        "started": format_datetime(run.started_at, with_seconds=True, tz=tz),
        "finished": format_datetime(run.finished_at, with_seconds=True, tz=tz),
        "duration": format_duration(_seconds(run.started_at, finished), lang=lang),
        # What went wrong in words first; the error's own text (a platform's words, an
        # exception) second and smaller.
        "error": failure_text(run.error, lang=lang, error_type=run.error_type),
        "error_detail": run.error or "",
        "summary": run_summary(detail),
        "steps": [
            {
                "name": word(lang, "step", step.name),
                "status": step.status,
                "attempts": step.attempts,
                "duration": format_duration(_seconds(step.started_at, step.finished_at), lang=lang),
                "error": failure_text(step.error, lang=lang),
                "detail": step.error or "",
            }
            for step in detail.steps
        ],
        "logs": [
            {
                "ts": format_clock(line.ts, tz=tz),
                "level": line.level,
                "step": line.step or "",
                "message": line.message,
            }
            for line in detail.logs
        ],
        "artifacts": [
            {
                "id": artifact.id,
                "name": artifact.name,
                "size": format_bytes(artifact.size, lang=lang),
                "type": word(lang, "filetype", file_kind(artifact.content_type)),
            }
            for artifact in detail.artifacts
        ],
    }


class RunState(LiveMixin, AppState):
    """One run, kept current by worker events while the page is open."""

    found: bool = True
    run_job_id: str = ""
    workflow: str = ""
    status: str = ""
    reasons: dict[str, str] = {}
    percent: int = 0
    message: str = ""
    trigger: str = ""
    event: dict[str, Any] = {}  # the event that started the run (event_view)
    attempt_text: str = ""
    started: str = ""
    finished: str = ""
    duration: str = ""
    error: str = ""
    error_detail: str = ""
    summary: list[dict[str, Any]] = []
    steps: list[dict[str, Any]] = []
    logs: list[dict[str, Any]] = []
    artifacts: list[dict[str, Any]] = []
    action_error: str = ""

    run_number: int = 0
    timezone: str = ""

    @rx.var
    def message_text(self) -> str:
        """The progress text in the reader's language (workflows store a key + params)."""
        return render_message(self.message, self.lang)

    @rx.var
    def log_lines(self) -> list[dict[str, Any]]:
        """The log tail with each line in the reader's language and its level's word; an
        error a line carries is worded, its raw text kept beside it (``detail``)."""
        tr, out = self.tr, []
        for line in self.logs:
            text, detail = log_text(line["message"], lang=self.lang, level=str(line["level"]))
            step = word(self.lang, "step", line["step"]) if line["step"] else ""
            out.append({**line, "message": text, "detail": detail, "step": step,
                        "level_word": tr.get("level." + str(line["level"]), str(line["level"]))})
        return out

    @rx.var
    def event_words(self) -> str:
        """What the starting event was, in the reader's language ("" without one)."""
        words = self.event.get("words") or {}
        return str(words.get(self.lang, ""))

    @rx.var
    def reason(self) -> str:
        """Why the run did nothing, in the reader's language ("" when it did its work)."""
        return self.reasons.get(self.lang, "")

    @rx.var
    def active(self) -> bool:
        return self.status in ("queued", "running")

    @rx.var
    def can_retry(self) -> bool:
        return self.status in ("failed", "timed_out", "cancelled")

    def _query(self) -> Callable[[], dict[str, Any] | None]:
        run_id, lang = self.run_number, self.lang

        def run() -> dict[str, Any] | None:
            from backend.core.db import session_scope
            from backend.core.errors import NotFound
            from backend.jobs.runs import get_run_detail

            try:
                with session_scope() as session:
                    detail = get_run_detail(session=session, run_id=run_id, log_limit=LOG_TAIL)
                    return run_view(detail, lang=lang, tz=_job_zone(session, detail.run.job_id))
            except NotFound:
                return None

        return run

    def _store(self, view: dict[str, Any] | None) -> None:
        self.found = view is not None
        for name, value in (view or {}).items():
            setattr(self, name, value)

    @rx.event
    def load(self) -> None:
        if not self.role:
            return
        # /executions/<run_id>: the last path segment (the route's dynamic part)
        raw = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        self.run_number = int(raw) if raw.isdigit() else 0
        self.action_error = ""
        self._store(self._query()())

    def _act(self, action: Callable[..., Any]) -> None:
        if not self._has_role("operator"):
            self.action_error = self.tr["common.forbidden"]
            return
        from backend.core.db import session_scope

        try:
            with session_scope() as session:
                action(session=session, run_id=self.run_number)
        except Exception as exc:  # Conflict: already ended, etc.
            self.action_error = error_text(exc, self.lang)
            return
        self.load()

    @rx.event
    def cancel(self) -> None:
        from backend.jobs.runs import cancel_run

        self._act(cancel_run)

    @rx.event
    def retry(self) -> None:
        from backend.jobs.runs import retry_run

        self._act(retry_run)

    @rx.event
    def download(self, artifact_id: int):
        """Send an artifact to the browser (the tab is already signed in)."""
        found = artifact_file(artifact_id, run_id=self.run_number)
        if found is None:
            self.action_error = self.tr["common.not_found"]
            return None
        name, content = found
        return rx.download(data=content, filename=name)

    def _live_apply(self, events: list[dict[str, Any]]) -> bool:
        refresh = False
        for event in events:
            if int(event.get("run_id") or 0) != self.run_number:
                continue
            kind = event.get("type")
            if kind == "run.progress":
                self.percent = round(float(event.get("progress") or 0.0) * 100)
                self.message = str(event.get("message") or self.message)
            elif kind == "log":
                self.logs = [
                    *self.logs[-(LOG_TAIL - 1) :],
                    {
                        "ts": format_clock(event.get("ts"), tz=self.timezone or None),
                        "level": str(event.get("level") or "info"),
                        "step": str(event.get("step") or ""),
                        "message": str(event.get("message") or ""),
                    },
                ]
            else:  # run.updated, step.updated, artifact.added
                if kind == "run.updated" and event.get("status"):
                    self.status = str(event["status"])
                refresh = True
        return refresh


def _job_zone(session: Any, job_id: str) -> str | None:
    """The job's time zone, None for a deleted or throwaway job."""
    from backend.models import Job

    job = session.get(Job, job_id)
    return spec_zone(job.spec) if job is not None else None
