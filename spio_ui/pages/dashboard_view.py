"""The dashboard's figures: the backend's summary turned into the strings, rows and
charts the page shows (Indonesian formats, the seed's performance targets)."""

from __future__ import annotations

from typing import Any

from backend.domain.vocab import PRIORITIES
from spio_ui.components.chart import bar_figure, empty_figure
from spio_ui.formatting import format_datetime, format_duration, format_number, format_percent
from spio_ui.i18n import translations

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


def _active_row(run: dict[str, Any]) -> dict[str, Any]:
    progress = float(run.get("progress") or 0.0)
    return {
        "id": int(run.get("id") or run.get("run_id") or 0),
        "job_id": str(run.get("job_id", "")),
        "status": str(run.get("status", "running")),
        "percent": round(progress * 100),
        "message": str(run.get("progress_message") or run.get("message") or ""),
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
    summary: dict[str, Any], *, queue_total: int, tr: dict[str, str]
) -> list[dict[str, str]]:
    """The seed's performance table: each figure against its target ("ok"/"bad"/"")."""
    memory = summary.get("worker_memory_mb")
    rows = [
        ("perf.job_success", "> 95%", summary.get("success_rate"), 0.95, format_percent),
        ("perf.api_success", "> 98%", summary.get("api_success_rate"), 0.98, format_percent),
        ("perf.duration", "< 100%", summary.get("avg_duration_vs_timeout"), -1.0, format_percent),
        ("perf.memory", "< 2.048 MB", memory, -2048.0, lambda v: f"{format_number(v)} MB"),
        ("perf.queue", "< 300", queue_total, -300.0, format_number),
    ]
    out = []
    for key, target, value, bound, fmt in rows:
        # A negative bound means "below |bound|"; a positive one "above bound".
        state = "" if value is None else ("ok" if (value > bound if bound >= 0 else value < -bound)
                                          else "bad")  # fmt: skip
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
    return {
        "runs_today": format_number(sum(by_status.values())),
        "runs_today_hint": " · ".join(f"{k} {format_number(v)}" for k, v in by_status.items()),
        "success_rate": format_percent(summary.get("success_rate")),
        "queue_total": format_number(sum(queues.values())),
        "queue_hint": " · ".join(f"{p} {format_number(queues.get(p, 0))}" for p in PRIORITIES),
        "scheduler_lag": format_duration(lag_sec, lang=lang),
        "worker_util": f"{tr['dash.worker_util']} "
        f"{format_percent(summary.get('worker_utilisation'))}",
        "performance": performance_rows(summary, queue_total=sum(queues.values()), tr=tr),
        "status_fig": bar_figure(list(by_status), list(by_status.values()))
        if by_status
        else empty_figure(),
        "queue_fig": bar_figure(list(PRIORITIES), [queues.get(p, 0) for p in PRIORITIES]),
        "active_runs": [_active_row(run) for run in summary.get("active_runs") or []],
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
