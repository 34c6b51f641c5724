"""State of the jobs list: server-side search, filters and paging, and the actions on a
job (run now, pause/resume, delete) through the job service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, get_args

import reflex as rx

from backend.core.messages import error_text
from backend.domain.spec import WorkflowKind
from backend.domain.triggers import EVENT_KINDS
from spio_ui import routes
from spio_ui.formatting import format_datetime, format_number, spec_zone
from spio_ui.mixins import PagedMixin
from spio_ui.state import AppState, LiveMixin

__all__ = ["JobsState", "PAGE_SIZE", "WORKFLOWS", "ANY", "TRIGGERS", "when_words"]

PAGE_SIZE = 25
WORKFLOWS = get_args(WorkflowKind)
ANY = "any"
# The trigger filter's options: no event trigger, any event, then each event.
TRIGGERS = ("schedule", "event", *EVENT_KINDS)


def _last_run(run: Any) -> dict[str, Any]:
    """The job's newest ended run: its status (``nothing_done``: succeeded without doing
    its work, shown amber) and, for that, the reason in each language."""
    from backend.core.outcome import NOTHING_DONE, reason_texts

    if run is None:
        return {"last_id": "", "last_status": "", "last_reason": reason_texts(None)}
    idle = run.outcome == NOTHING_DONE
    return {"last_id": str(run.id), "last_status": NOTHING_DONE if idle else run.status,
            "last_reason": reason_texts(run.outcome_reason if idle else None)}  # fmt: skip


def when_words(spec: dict[str, Any], lang: str) -> str:
    """When a job runs, in words: its schedule ("setiap 10 menit"), its event trigger
    ("setiap pesanan dibayar"), or both."""
    from backend.ai.planner_words import describe_schedule
    from backend.ai.trigger_text import describe_trigger

    schedule, trigger = spec.get("schedule"), spec.get("trigger")
    if not isinstance(trigger, dict) or not trigger.get("event"):
        return describe_schedule(schedule, lang=lang)
    event = describe_trigger(trigger, lang=lang)
    return f"{describe_schedule(schedule, lang=lang)}; {event}" if schedule else event


def _job_row(job: Any, last: Any = None) -> dict[str, Any]:
    status = "disabled" if not job.enabled else ("paused" if job.paused else "active")
    return {
        # When it runs, in words, in each language ("setiap 10 menit" / "every 10 minutes").
        "when": {lang: when_words(job.spec or {}, lang) for lang in ("id", "en")},
        "trigger_event": job.trigger_event or "",
        **_last_run(last),
        "job_id": job.job_id,
        "workflow": job.workflow,
        "status": status,
        "priority": job.priority,
        "flow_group": job.flow_group or "",
        "next_run": format_datetime(job.next_run_at, tz=spec_zone(job.spec))
        if status == "active" else "–",
        "failures": job.consecutive_failures,
    }


def _filter(value: str) -> str | None:
    return None if value in ("", ANY) else value


class JobsState(PagedMixin, LiveMixin, AppState):
    """One page of jobs matching the filters."""

    search: str = ""
    workflow: str = ANY
    status: str = ANY
    priority: str = ANY
    trigger: str = ANY  # schedule | event | one event kind
    flow_group: str = ""
    rows: list[dict[str, Any]] = []
    notice: str = ""
    error: str = ""

    @rx.var
    def total_text(self) -> str:
        return format_number(self.total, lang=self.lang)

    def _query(self) -> Callable[[], tuple[list[dict[str, Any]], int]]:
        filters = {
            "search": self.search.strip() or None,
            "workflow": _filter(self.workflow),
            "status": _filter(self.status),
            "priority": _filter(self.priority),
            "trigger": _filter(self.trigger),
            "flow_group": self.flow_group.strip() or None,
            "offset": self.offset,
            "limit": PAGE_SIZE,
        }

        def run() -> tuple[list[dict[str, Any]], int]:
            from backend.core.db import session_scope
            from backend.jobs.runs import last_runs
            from backend.jobs.service import list_jobs

            with session_scope() as session:
                jobs, total = list_jobs(session=session, **filters)
                last = last_runs(session=session, job_ids=[j.job_id for j in jobs])
                return [_job_row(job, last.get(job.job_id)) for job in jobs], total

        return run

    def _store(self, data: tuple[list[dict[str, Any]], int]) -> None:
        self.rows, self.total = data

    @rx.event
    def load(self) -> None:
        if not self.role:
            return
        self.notice = ""
        self._store(self._query()())

    # Filters: each change goes back to the first page.
    @rx.event
    def set_search(self, value: str) -> None:
        self._refilter("search", value)

    @rx.event
    def set_workflow(self, value: str) -> None:
        self._refilter("workflow", value)

    @rx.event
    def set_status(self, value: str) -> None:
        self._refilter("status", value)

    @rx.event
    def set_priority(self, value: str) -> None:
        self._refilter("priority", value)

    @rx.event
    def set_trigger(self, value: str) -> None:
        self._refilter("trigger", value)

    @rx.event
    def set_flow_group(self, value: str) -> None:
        self._refilter("flow_group", value)

    def _page_limit(self) -> int:
        return PAGE_SIZE

    def _reload(self) -> None:
        self.load()

    def _act(self, needed: str, action: Callable[[Any], Any]) -> Any:
        if not self._has_role(needed):
            self.error = self.tr["common.forbidden"]
            return None
        from backend.core.db import session_scope

        try:
            with session_scope() as session:
                result = action(session)
        except Exception as exc:  # NotFound / Conflict: say so, keep the page
            self.error = error_text(exc, self.lang)
            return None
        self.error = ""
        self.load()
        return result

    @rx.event
    def toggle_pause(self, job_id: str, paused: bool) -> None:
        from backend.jobs.service import set_paused

        self._act("operator", lambda s: set_paused(session=s, job_id=job_id, paused=paused))

    @rx.event
    def run_now(self, job_id: str):
        from backend.jobs.service import run_now

        run_id = self._act("operator", lambda s: int(run_now(session=s, job_id=job_id).id or 0))
        if run_id:
            return rx.redirect(routes.run_path(run_id))
        return None

    @rx.event
    def delete(self, job_id: str) -> None:
        from backend.jobs.service import delete_job

        self._act("admin", lambda s: delete_job(session=s, job_id=job_id))

    def _live_apply(self, events: list[dict[str, Any]]) -> bool:
        # Next-run times and failure counts move when runs end; reload then.
        return any(e.get("type") == "run.updated" and e.get("status") for e in events)
