"""State of /automation: the prompt, the planner's proposal, the spec being edited,
and the dry run of that spec on the sandbox (followed live by worker events)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import reflex as rx

from spio_ui import routes
from spio_ui.components.errors import error_rows, json_error
from spio_ui.formatting import format_duration, format_number
from spio_ui.pages.automation_dry_run import DryRunMixin
from spio_ui.spec_form import apply_field, schedule_text
from spio_ui.state import AppState

__all__ = ["AutomationState", "EXAMPLES"]

# The five seed jobs, as a seller would ask for them: (label key, Indonesian, English).
EXAMPLES: tuple[tuple[str, str, str], ...] = (
    (
        "workflow.price_intelligence",
        "Monitor harga 100 produk di 5 marketplace kompetitor, analisis dengan AI, dan "
        "auto-adjust harga toko saya",
        "Monitor prices of 100 products on 5 competitor marketplaces, analyse them with AI "
        "and auto-adjust my store's prices",
    ),
    (
        "example.black_friday",
        "Kirim Black Friday campaign ke 10,000 customers via WhatsApp, Telegram, dan Email "
        "dengan personalisasi AI",
        "Send a Black Friday campaign to 10,000 customers via WhatsApp, Telegram and Email "
        "with AI personalisation",
    ),
    (
        "workflow.bi_report",
        "Buat laporan BI harian jam 6 pagi dari data penjualan semua marketplace, kirim PDF "
        "dan Excel ke email",
        "Make a daily BI report at 6 am from the sales data of every marketplace and email "
        "the PDF and Excel",
    ),
    (
        "workflow.catalog_sync",
        "Sync 1,000 products ke 10 platforms dengan image optimization dan AI copywriting",
        "Sync 1,000 products to 10 platforms with image optimisation and AI copywriting",
    ),
    (
        "workflow.crisis_monitor",
        "Pantau media sosial tiap 30 detik, deteksi sentimen negatif tentang brand saya dan "
        "kirim alert ke Telegram dan WhatsApp",
        "Monitor social media every 30 seconds, detect negative sentiment about my brand and "
        "send alerts to Telegram and WhatsApp",
    ),
)


def _engine_note_key(reason: str | None) -> str:
    """The i18n key saying who drafted the plan, for a seller ("" when the LLM did)."""
    from backend.ai.llm import NO_LLM_REASON

    if not reason:
        return ""
    return "auto.offline_planner" if reason == NO_LLM_REASON else "auto.llm_failed"


class AutomationState(DryRunMixin, AppState):
    """The prompt, the planner's proposal, the spec being edited and its dry run."""

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
    trigger_event: str = "schedule"  # no event, or the event that starts the job
    trigger_words: dict[str, str] = {}  # the trigger in words, per language
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
        self._store_dry_run(None)

    @rx.event
    def draft(self) -> None:
        """Ask the planner for a job spec matching the prompt."""
        from backend.ai.planner import plan

        self.created_job, self.created_run = "", 0
        self._store_dry_run(None)
        try:
            proposal = plan(self.prompt, use_ai=self.use_ai)
        except Exception as exc:  # InvalidInput explains what to add to the prompt
            self.spec_text = ""
            self.errors = error_rows(exc, lang=self.lang)
            return
        self.explanation = proposal.explanation
        self.assumptions = [a.text for a in proposal.assumptions]
        self.engine_note = _engine_note_key(proposal.fallback_reason)
        estimate = proposal.estimate
        self.est_api_calls = format_number(estimate.api_calls, lang=self.lang)
        self.est_messages = format_number(estimate.messages, lang=self.lang)
        self.est_duration = format_duration(estimate.duration_sec, lang=self.lang)
        self._show_spec(proposal.spec)

    def _show_spec(self, spec: dict[str, Any]) -> None:
        self.spec_text = json.dumps(spec, indent=2, ensure_ascii=False)
        self.plan_job_id = str(spec.get("job_id", ""))
        self.schedule_text = schedule_text(spec.get("schedule"), lang=self.lang)
        self._show_trigger(spec)
        self.priority = str((spec.get("inputs") or {}).get("pressure_priority", "normal"))
        parsed = self._validate(spec)
        self._show_next_fires(parsed)

    def _show_trigger(self, spec: dict[str, Any]) -> None:
        from backend.ai.trigger_text import describe_trigger

        trigger = spec.get("trigger") if isinstance(spec.get("trigger"), dict) else None
        self.trigger_event = str((trigger or {}).get("event") or "schedule")
        self.trigger_words = {lang: describe_trigger(trigger, lang=lang) for lang in ("id", "en")}

    @rx.var
    def trigger_text(self) -> str:
        """The plan's event trigger in words, in the reader's language ("" without one)."""
        return self.trigger_words.get(self.lang, "")

    def _show_next_fires(self, parsed: Any) -> None:
        """The next three runs of the spec as it stands now (edits included), in words in
        the reader's language and the job's zone."""
        from backend.ai.planner_words import next_fires_in_words

        schedule = parsed.spec.schedule if parsed is not None else None
        self.next_fires = next_fires_in_words(schedule, lang=self.lang, after=datetime.now(UTC))

    def _validate(self, spec: Any) -> Any:
        from backend.jobs.validation import parse_spec

        try:
            parsed = parse_spec(spec)
        except Exception as exc:
            self.errors = error_rows(exc, lang=self.lang)
            return None
        self.errors = []
        return parsed

    def _current_spec(self) -> dict[str, Any] | None:
        try:
            spec = json.loads(self.spec_text)
        except ValueError as exc:
            self.errors = [{"path": "json", "message": json_error(exc, self.lang),
                            "suggestion": ""}]
            return None
        return spec if isinstance(spec, dict) else None

    @rx.event
    def edit_spec_text(self, value: str) -> None:
        self.spec_text = value
        spec = self._current_spec()
        if spec is not None:
            self._show_next_fires(self._validate(spec))

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
        """When, in words ("setiap 10 menit", "tiap hari jam 7") or as ``cron: …``;
        the schedule's other keys (time zone, start, end) are kept."""
        problem: list[tuple[str, str] | None] = [None]

        def change(spec: dict[str, Any]) -> None:
            problem[0] = apply_field(spec, "schedule", value)

        self._edit(change)
        self.schedule_text = value
        if problem[0] is not None:
            message = problem[0][0 if self.lang == "id" else 1]
            self.errors = [{"path": "schedule", "message": message, "suggestion": ""},
                           *self.errors]  # fmt: skip

    @rx.event
    def edit_trigger(self, value: str) -> None:
        """Schedule (no event) or the event that starts the job; options the new event
        does not take are dropped."""
        self._edit(lambda spec: apply_field(spec, "trigger.event", value))

    @rx.event
    def edit_priority(self, value: str) -> None:
        self._edit(
            lambda spec: spec.setdefault("inputs", {}).__setitem__("pressure_priority", value)
        )

    def _parsed_for(self, role: str) -> Any:
        """The valid spec being edited, when the user has ``role``; else None and the
        reason shown as an error."""
        if not self._has_role(role):
            self.errors = [{"path": "", "message": self.tr["common.forbidden"], "suggestion": ""}]
            return None
        spec = self._current_spec()
        return self._validate(spec) if spec is not None else None

    @rx.event
    def create(self, run_now: bool = False):
        """Store the job (admins), optionally queue a run at once; then link to it."""
        parsed = self._parsed_for("admin")
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
            self.errors = error_rows(exc, lang=self.lang)
            return None
        if self.created_run:
            return rx.redirect(routes.run_path(self.created_run))
        return None

    @rx.event
    def start_dry_run(self):
        """Run the proposal once on the sandbox (operators); no job is stored."""
        parsed = self._parsed_for("operator")
        if parsed is None:
            return None
        self._begin_dry_run(parsed, actor=self.user_name)
        return AutomationState.listen_live  # follow the run while the page is open
