"""Run detail (/executions/[run_id]): live progress, step timeline, log tail, artifacts.

Progress and log lines arrive with the worker's events and are applied directly; a
step or status change reloads the run from the database (at most a few times a second,
never while nothing happens).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from spio_ui import routes
from spio_ui.artifacts import artifact_file
from spio_ui.components.badges import status_badge
from spio_ui.components.cards import progress_bar, section
from spio_ui.formatting import format_bytes, format_datetime, format_duration
from spio_ui.state import AppState, LiveMixin
from spio_ui.styles import mono
from spio_ui.template import layout, page_header

__all__ = ["RunState", "run_page", "ON_LOAD", "LOG_TAIL"]

LOG_TAIL = 300


def _seconds(start: Any, end: Any) -> float | None:
    if start is None or end is None:
        return None
    return (end - start).total_seconds()


def run_view(detail: Any, *, lang: str) -> dict[str, Any]:
    """The backend's RunDetail as the plain rows this page shows."""
    from backend.models.types import utcnow

    run = detail.run
    finished = run.finished_at or (utcnow() if run.started_at else None)
    return {
        "run_job_id": run.job_id,
        "workflow": run.workflow,
        "status": run.status,
        "percent": round((run.progress or 0.0) * 100),
        "message": run.progress_message or "",
        "trigger": run.trigger,
        "attempt_text": f"{run.attempt}/{run.max_attempts}",
        "started": format_datetime(run.started_at, with_seconds=True),
        "finished": format_datetime(run.finished_at, with_seconds=True),
        "duration": format_duration(_seconds(run.started_at, finished), lang=lang),
        "error": run.error or "",
        "steps": [
            {
                "name": step.name,
                "status": step.status,
                "attempts": step.attempts,
                "duration": format_duration(_seconds(step.started_at, step.finished_at), lang=lang),
                "error": step.error or "",
            }
            for step in detail.steps
        ],
        "logs": [
            {
                "ts": format_datetime(line.ts, with_seconds=True).removesuffix(" WIB")[-8:],
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
                "size": format_bytes(artifact.size),
                "type": artifact.content_type,
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
    percent: int = 0
    message: str = ""
    trigger: str = ""
    attempt_text: str = ""
    started: str = ""
    finished: str = ""
    duration: str = ""
    error: str = ""
    steps: list[dict[str, Any]] = []
    logs: list[dict[str, Any]] = []
    artifacts: list[dict[str, Any]] = []
    action_error: str = ""

    run_number: int = 0

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
                    return run_view(detail, lang=lang)
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
            self.action_error = str(exc)
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
                        "ts": format_datetime(None) if not event.get("ts") else _clock(event["ts"]),
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

    def _live_query(self) -> Callable[[], Any]:
        return self._query()

    def _live_store(self, data: Any) -> None:
        self._store(data)


def _clock(ts: float) -> str:
    from datetime import UTC, datetime

    text = format_datetime(datetime.fromtimestamp(float(ts), UTC), with_seconds=True)
    return text.removesuffix(" WIB")[-8:]


def _step_row(step: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.box(
            width="0.6rem",
            height="0.6rem",
            border_radius="50%",
            background=rx.match(
                step["status"].to(str),
                ("succeeded", "var(--green-9)"),
                ("failed", "var(--red-9)"),
                ("running", "var(--blue-9)"),
                "var(--gray-8)",
            ),
        ),  # fmt: skip
        rx.text(step["name"], weight="medium", size="2", min_width="12rem"),
        status_badge(step["status"].to(str)),
        rx.text(step["duration"], size="2", color_scheme="gray"),
        rx.cond(
            step["attempts"].to(int) > 1, rx.badge("×", step["attempts"], color_scheme="amber")
        ),
        rx.text(step["error"], size="1", color_scheme="red", trim="both"),
        align="center",
        spacing="3",
        padding_y="0.3rem",
        border_bottom="1px solid var(--gray-a3)",
        width="100%",
        custom_attrs={"data-testid": "step", "data-step-status": step["status"]},
    )


def _log_line(line: rx.Var) -> rx.Component:
    return rx.text(
        rx.text.span(line["ts"], color="var(--gray-10)"),
        " ",
        rx.text.span(
            line["level"],
            color=rx.cond(line["level"] == "error", "var(--red-10)", "var(--gray-11)"),
        ),
        " ",
        rx.cond(
            line["step"] != "", rx.text.span("[", line["step"], "] ", color="var(--accent-11)")
        ),
        line["message"],
        style=mono,
        white_space="pre-wrap",
    )


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


def _facts() -> rx.Component:
    tr = RunState.tr
    fact = lambda label, value: rx.vstack(  # noqa: E731
        rx.text(label, size="1", color_scheme="gray"), rx.text(value, size="2"), spacing="0"
    )
    return rx.grid(
        fact(tr["run.trigger"], RunState.trigger),
        fact(tr["run.attempts"], RunState.attempt_text),
        fact(tr["run.started"], RunState.started),
        fact(tr["run.finished"], RunState.finished),
        fact(tr["run.duration"], RunState.duration),
        columns="5",
        spacing="4",
        width="100%",
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
                rx.link(
                    RunState.run_job_id, href=routes.WORKFLOWS + "/" + RunState.run_job_id, size="4"
                ),
                status_badge(RunState.status),
                align="center",
                spacing="3",
            ),
            actions,
        ),
        rx.cond(RunState.action_error != "", rx.callout(RunState.action_error, color_scheme="red")),
        section(
            tr["run.progress"],
            progress_bar(RunState.percent, status=RunState.status),
            rx.text(
                RunState.message,
                size="2",
                color_scheme="gray",
                custom_attrs={"data-testid": "run-message"},
            ),  # fmt: skip
            _facts(),
            rx.cond(
                RunState.error != "",
                rx.callout(RunState.error, color_scheme="red", margin_top="0.5rem"),
            ),
            custom_attrs={"data-testid": "run-progress", "data-status": RunState.status},
        ),
        rx.grid(
            section(
                tr["run.steps"],
                rx.cond(
                    RunState.steps.length() > 0,
                    rx.foreach(RunState.steps, _step_row),
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
                    RunState.logs.length() > 0,
                    rx.foreach(RunState.logs, _log_line),
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
    )


ON_LOAD = [AppState.require_login, RunState.load, RunState.listen_live]
