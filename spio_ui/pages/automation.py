"""Automation (/automation): prompt -> the planner's proposal -> Create / Create & Run.

The proposal is shown as a readable summary (what, when, next fire times, estimate,
assumptions) and as editable fields plus the full JSON spec; every edit is validated
with the API's own validator and its errors are shown at the field.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import reflex as rx

from spio_ui import routes
from spio_ui.components.cards import section
from spio_ui.components.errors import error_rows, error_summary, field_error
from spio_ui.formatting import format_datetime, format_duration, format_number
from spio_ui.state import AppState
from spio_ui.styles import mono
from spio_ui.template import layout, page_header

__all__ = ["AutomationState", "automation_page", "EXAMPLES", "ON_LOAD"]

# The five seed jobs, as a seller would ask for them.
EXAMPLES: tuple[tuple[str, str], ...] = (
    (
        "Price intelligence",
        "Monitor harga 100 produk di 5 marketplace kompetitor, analisis dengan AI, dan "
        "auto-adjust harga toko saya",
    ),
    (
        "Black Friday",
        "Kirim Black Friday campaign ke 10,000 customers via WhatsApp, Telegram, dan Email "
        "dengan personalisasi AI",
    ),
    (
        "BI report",
        "Buat laporan BI harian jam 6 pagi dari data penjualan semua marketplace, kirim PDF "
        "dan Excel ke email",
    ),
    (
        "Catalog sync",
        "Sync 1,000 products ke 10 platforms dengan image optimization dan AI copywriting",
    ),
    (
        "Crisis monitor",
        "Pantau media sosial tiap 30 detik, deteksi sentimen negatif tentang brand saya dan "
        "kirim alert ke Telegram dan WhatsApp",
    ),
)


class AutomationState(AppState):
    """The prompt, the planner's proposal and the spec being edited."""

    prompt: str = ""
    use_ai: bool = True
    planning: bool = False
    explanation: str = ""
    assumptions: list[str] = []
    engine_note: str = ""
    next_fires: list[str] = []
    est_api_calls: str = "–"
    est_messages: str = "–"
    est_duration: str = "–"
    spec_text: str = ""
    plan_job_id: str = ""
    schedule_text: str = ""
    priority: str = "normal"
    errors: list[dict[str, str]] = []
    created_job: str = ""
    created_run: int = 0

    @rx.var
    def has_plan(self) -> bool:
        return bool(self.spec_text)

    @rx.event
    def set_prompt(self, value: str) -> None:
        self.prompt = value

    @rx.event
    def set_use_ai(self, value: bool) -> None:
        self.use_ai = bool(value)

    @rx.event
    def use_example(self, prompt: str):
        self.prompt = prompt
        return AutomationState.draft

    @rx.event
    def reset_page(self) -> None:
        self.created_job = ""
        self.created_run = 0

    @rx.event
    def draft(self) -> None:
        """Ask the planner for a job spec matching the prompt."""
        from backend.ai.planner import plan

        self.created_job, self.created_run = "", 0
        try:
            proposal = plan(self.prompt, use_ai=self.use_ai)
        except Exception as exc:  # InvalidInput explains what to add to the prompt
            self.spec_text = ""
            self.errors = error_rows(exc)
            return
        self.explanation = proposal.explanation
        self.assumptions = list(proposal.assumptions)
        self.engine_note = proposal.fallback_reason or ""
        estimate = proposal.estimate
        self.est_api_calls = format_number(estimate.api_calls)
        self.est_messages = format_number(estimate.messages)
        self.est_duration = format_duration(estimate.duration_sec, lang=self.lang)
        self.next_fires = [format_datetime(datetime.fromisoformat(t)) for t in estimate.next_fires]
        self._show_spec(proposal.spec)

    def _show_spec(self, spec: dict[str, Any]) -> None:
        self.spec_text = json.dumps(spec, indent=2, ensure_ascii=False)
        self.plan_job_id = str(spec.get("job_id", ""))
        schedule = spec.get("schedule") or {}
        if "cron" in schedule:
            self.schedule_text = f"cron: {schedule['cron']}"
        elif "interval_sec" in schedule:
            self.schedule_text = f"interval_sec: {schedule['interval_sec']}"
        else:
            self.schedule_text = json.dumps(schedule)
        self.priority = str((spec.get("inputs") or {}).get("pressure_priority", "normal"))
        self._validate(spec)

    def _validate(self, spec: Any) -> Any:
        from backend.jobs.validation import parse_spec

        try:
            parsed = parse_spec(spec)
        except Exception as exc:
            self.errors = error_rows(exc)
            return None
        self.errors = []
        return parsed

    def _current_spec(self) -> dict[str, Any] | None:
        try:
            spec = json.loads(self.spec_text)
        except ValueError as exc:
            self.errors = [{"path": "json", "message": str(exc), "suggestion": ""}]
            return None
        return spec if isinstance(spec, dict) else None

    @rx.event
    def edit_spec_text(self, value: str) -> None:
        self.spec_text = value
        spec = self._current_spec()
        if spec is not None:
            self._validate(spec)

    def _edit(self, change: Any) -> None:
        spec = self._current_spec()
        if spec is None:
            return
        change(spec)
        self._show_spec(spec)

    @rx.event
    def edit_job_id(self, value: str) -> None:
        self._edit(lambda spec: spec.__setitem__("job_id", value.strip()))

    @rx.event
    def edit_schedule(self, value: str) -> None:
        """``cron: 0 6 * * *`` or ``interval_sec: 300``; other schedule keys are kept."""
        kind, _, raw = value.partition(":")
        kind, raw = kind.strip(), raw.strip()

        def change(spec: dict[str, Any]) -> None:
            schedule = {
                k: v
                for k, v in (spec.get("schedule") or {}).items()
                if k not in ("cron", "interval_sec")
            }
            if kind == "interval_sec":
                schedule["interval_sec"] = int(raw) if raw.isdigit() else raw
            else:
                schedule["cron"] = raw if kind == "cron" else value.strip()
            spec["schedule"] = schedule

        self._edit(change)
        self.schedule_text = value

    @rx.event
    def edit_priority(self, value: str) -> None:
        self._edit(
            lambda spec: spec.setdefault("inputs", {}).__setitem__("pressure_priority", value)
        )

    @rx.event
    def create(self, run_now: bool = False):
        """Store the job (admins), optionally queue a run at once; then link to it."""
        if not self._has_role("admin"):
            self.errors = [{"path": "", "message": self.tr["common.forbidden"], "suggestion": ""}]
            return None
        spec = self._current_spec()
        parsed = self._validate(spec) if spec is not None else None
        if parsed is None:
            return None
        from backend.core.db import session_scope
        from backend.jobs import service

        try:
            with session_scope() as session:
                job = service.create_job(session=session, parsed=parsed, actor=self.user_name)
                run = service.run_now(session=session, job_id=job.job_id) if run_now else None
                self.created_job = job.job_id
                self.created_run = int(run.id or 0) if run is not None else 0
        except Exception as exc:  # e.g. Conflict: the job id is taken
            self.errors = error_rows(exc)
            return None
        if self.created_run:
            return rx.redirect(routes.run_path(self.created_run))
        return None


def _example_button(label: str, prompt: str) -> rx.Component:
    return rx.button(
        label,
        on_click=AutomationState.use_example(prompt),
        variant="soft",
        size="1",
        custom_attrs={"data-testid": "example"},
    )


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
            rx.text(AutomationState.engine_note, size="1", color_scheme="gray"),
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
            columns="2",
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
                "job_id",
                rx.input(
                    value=AutomationState.plan_job_id,
                    on_change=AutomationState.edit_job_id,
                    width="100%",
                ),
                "job_id",
            ),
            _labelled(
                tr["auto.when"],
                rx.input(
                    value=AutomationState.schedule_text,
                    on_change=AutomationState.edit_schedule,
                    width="100%",
                    custom_attrs={"data-testid": "plan-schedule"},
                ),
                "schedule.cron",
            ),
            _labelled(
                tr["jobs.priority"],
                rx.select(
                    ["critical", "high", "normal", "low"],
                    value=AutomationState.priority,
                    on_change=AutomationState.edit_priority,
                ),
                "inputs.pressure_priority",
            ),
            columns="3",
            spacing="4",
            width="100%",
        ),
        rx.text(tr["auto.spec_json"], size="2", weight="medium", margin_top="0.75rem"),
        rx.text_area(
            value=AutomationState.spec_text,
            on_change=AutomationState.edit_spec_text.debounce(400),
            rows="16",
            width="100%",
            style=mono,
            custom_attrs={"data-testid": "plan-spec"},
        ),
    )
    return rx.vstack(summary, editor, width="100%", spacing="4")


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
        ),
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
            *[_example_button(label, prompt) for label, prompt in EXAMPLES],
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
    )


ON_LOAD = [AppState.require_login, AutomationState.reset_page]
