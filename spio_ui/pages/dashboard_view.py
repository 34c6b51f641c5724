"""The dashboard's figures: the backend's summary turned into the strings, rows and
charts the page shows (Indonesian formats, the seed's performance targets)."""

from __future__ import annotations

from typing import Any

from backend.domain.vocab import PRIORITIES
from spio_ui.components.chart import bar_figure, empty_figure
from spio_ui.formatting import format_datetime, format_duration, format_number, format_percent
from spio_ui.i18n import translations, word

__all__ = ["load_summary", "performance_rows", "summary_view"]

_STATUS_ORDER = ("succeeded", "nothing_done", "failed", "timed_out", "running", "queued",
                 "cancelled", "skipped")


def load_summary() -> dict[str, Any]:
    """The backend's dashboard figures (one DB round of aggregates + Redis queue lengths)."""
    from backend.core.db import session_scope
    from backend.core.redis import get_redis
    from backend.jobs.stats import dashboard_summary

    with session_scope() as session:
        return dashboard_summary(session=session, redis=get_redis())


def _active_row(run: dict[str, Any], *, lang: str) -> dict[str, Any]:
    from backend.core.messages import render_message

    progress = float(run.get("progress") or 0.0)
    return {
        "id": int(run.get("id") or run.get("run_id") or 0),
        "job_id": str(run.get("job_id", "")),
        "status": str(run.get("status", "running")),
        "percent": round(progress * 100),
        "message": render_message(run.get("progress_message") or run.get("message"), lang),
        "started": format_datetime(run.get("started_at")),
    }


def _idle_row(run: dict[str, Any]) -> dict[str, Any]:
    """A run that succeeded without doing its work, with the reason in each language."""
    from backend.core.outcome import reason_texts

    return {"id": int(run.get("id") or 0), "job_id": str(run.get("job_id", "")),
            "reason": reason_texts(run.get("reason")),
            "alerted": bool(run.get("expected")),
            "finished": format_datetime(run.get("finished_at"))}  # fmt: skip


def performance_rows(
    summary: dict[str, Any], *, queue_total: int, lang: str
) -> list[dict[str, str]]:
    """The seed's performance table: each figure against its target ("ok"/"bad"/"")."""
    tr = translations(lang)

    def percent(value: float) -> str:
        return format_percent(value, lang=lang)

    def megabytes(value: float) -> str:
        return f"{format_number(value, lang=lang)} MB"

    def count(value: float) -> str:
        return format_number(value, lang=lang)

    memory = summary.get("worker_memory_mb")
    rows = [
        ("perf.job_success", summary.get("success_rate"), 0.95, percent),
        ("perf.api_success", summary.get("api_success_rate"), 0.98, percent),
        ("perf.duration", summary.get("avg_duration_vs_timeout"), -1.0, percent),
        ("perf.memory", memory, -2048.0, megabytes),
        ("perf.queue", queue_total, -300.0, count),
    ]
    out = []
    for key, value, bound, fmt in rows:
        # A negative bound means "below |bound|"; a positive one "above bound".
        state = "" if value is None else ("ok" if (value > bound if bound >= 0 else value < -bound)
                                          else "bad")  # fmt: skip
        target = f"{'>' if bound >= 0 else '<'} {fmt(abs(bound))}"
        out.append({"key": key.removeprefix("perf."), "metric": tr[key], "target": target,
                    "value": "–" if value is None else fmt(value), "state": state})  # fmt: skip
    return out


def summary_view(summary: dict[str, Any], *, lang: str) -> dict[str, Any]:
    """Turn the backend's figures into the strings and rows the page shows."""
    tr = translations(lang)
    raw_status: dict[str, int] = dict(summary.get("runs_today") or {})
    by_status = {k: raw_status[k] for k in _STATUS_ORDER if raw_status.get(k)}
    by_status.update({k: v for k, v in raw_status.items() if k not in by_status and v})
    queues: dict[str, int] = dict(summary.get("queue_depths") or {})
    lag_sec = summary.get("scheduler_lag_sec")
    status_words = [word(lang, "status", k) for k in by_status]
    priority_words = [word(lang, "priority", p) for p in PRIORITIES]
    return {
        "runs_today": format_number(sum(by_status.values()), lang=lang),
        "runs_today_hint": " · ".join(
            f"{name} {format_number(v, lang=lang)}"
            for name, v in zip(status_words, by_status.values(), strict=True)),
        "success_rate": format_percent(summary.get("success_rate"), lang=lang),
        "queue_total": format_number(sum(queues.values()), lang=lang),
        "queue_hint": " · ".join(f"{name} {format_number(queues.get(p, 0), lang=lang)}"
                                 for name, p in zip(priority_words, PRIORITIES, strict=True)),
        "scheduler_lag": format_duration(lag_sec, lang=lang),
        "worker_util": f"{tr['dash.worker_util']} "
        f"{format_percent(summary.get('worker_utilisation'), lang=lang)}",
        "performance": performance_rows(summary, queue_total=sum(queues.values()), lang=lang),
        # Bars keep their colour by status code (names=) and show the reader's words.
        "status_fig": bar_figure(status_words, list(by_status.values()), names=list(by_status))
        if by_status
        else empty_figure(),
        "queue_fig": bar_figure(priority_words, [queues.get(p, 0) for p in PRIORITIES],
                                names=list(PRIORITIES)),
        "active_runs": [_active_row(run, lang=lang) for run in summary.get("active_runs") or []],
        "idle_runs": [_idle_row(run) for run in summary.get("idle_runs") or []],
        "failing_jobs": [
            {
                "job_id": str(job.get("job_id", "")),
                "failures": int(job.get("consecutive_failures") or 0),
                "error": str(job.get("last_error") or "")[:200],
            }
            for job in summary.get("failing_jobs") or []
        ],
    }
