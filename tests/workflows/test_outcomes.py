"""Honest outcomes: a run that did none of the work it exists for ends ``succeeded`` with
``outcome = nothing_done`` and a specific reason, shown amber on the run page, the jobs
list and the dashboard in both languages; it alerts like a failure when the job was due
to act (a campaign on its send day), and not when idling is normal (nothing changed
since the last catalog sync)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from backend.core.db import session_scope
from backend.core.messages import render_message
from backend.core.outcome import render_reason
from backend.models import Alert, Job, Run
from backend.sandbox.data.catalog import products
from backend.worker.lifecycle import execute_run
from tests.workflows.campaign_support import campaign_spec
from tests.workflows.conftest import run_detail, seed_spec, start_job

EN = "send time 24 Nov 09:00 is outside the campaign window 26 Nov"
ID = "waktu kirim 24 Nov 09:00 di luar jendela kampanye 26 Nov"


def _alerts(job_id: str) -> list[Alert]:
    with session_scope() as session:
        return list(session.exec(select(Alert).where(Alert.job_id == job_id)).all())


def _failures(job_id: str) -> int:
    with session_scope() as session:
        return session.get(Job, job_id).consecutive_failures


def test_campaign_outside_its_window_sends_nothing_says_why_and_alerts(wf_env, admin, api):
    spec = campaign_spec(limit=5, rate=100, job_id="bf-outside-window")
    spec["inputs"]["campaign"].update(start_date="2026-11-26", end_date="2026-11-26")
    spec["schedule"]["cron"] = "0 9 24 11 *"  # the seed's send day, before its window
    # The API refuses such a spec now (backend.jobs.runnable: sent outside its own window);
    # this is a job stored before that check, whose run must still say what happened.
    run_id = start_job(spec, runnable=False)
    with session_scope() as session:  # the occurrence of 24 Nov, 09:00 in Jakarta
        session.get(Run, run_id).scheduled_for = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)

    assert execute_run(run_id) == "succeeded"
    run = run_detail(run_id).run
    assert run.outcome == "nothing_done"
    assert run.outcome_reason["text"] == EN and run.outcome_reason["expected"] is True
    assert render_reason(run.outcome_reason, "id") == ID
    assert sum(admin.get("/_admin/counters").json()["messages"].get(c, {}).get("total", 0)
               for c in ("whatsapp", "telegram", "email")) == 0  # fmt: skip
    # Alerts like a failure: its own alert with the reason, and a failure in a row.
    assert [(a.kind, a.run_id) for a in _alerts(spec["job_id"])] == [("nothing_done", run_id)]
    assert EN in render_message(_alerts(spec["job_id"])[0].message, "en")
    assert ID in render_message(_alerts(spec["job_id"])[0].message, "id")
    assert _failures(spec["job_id"]) == 1

    # The API says so, and finds it by that outcome.
    body = api.get(f"/runs/{run_id}").json()["run"]
    assert body["status"] == "succeeded" and body["outcome"] == "nothing_done"
    assert body["outcome_reason"]["text"] == EN
    listed = api.get("/runs", params={"status": "nothing_done"}).json()["items"]
    assert [r["id"] for r in listed] == [run_id]

    # Amber with the reason, in each language: run page, jobs list, dashboard.
    from spio_ui.pages.dashboard_view import load_summary, summary_view
    from spio_ui.pages.jobs_state import _job_row
    from spio_ui.pages.run_detail_state import run_view
    from spio_ui.styles import STATUS_COLORS

    assert STATUS_COLORS["nothing_done"] == "amber"
    for lang, text in (("en", EN), ("id", ID)):
        view = run_view(run_detail(run_id), lang=lang)
        assert (view["status"], view["reasons"][lang]) == ("nothing_done", text)
        with session_scope() as session:
            row = _job_row(session.get(Job, spec["job_id"]), session.get(Run, run_id))
        assert (row["last_status"], row["last_reason"][lang]) == ("nothing_done", text)
        dash = summary_view(load_summary(), lang=lang)
        assert [(r["id"], r["reason"][lang], r["alerted"]) for r in dash["idle_runs"]] == [
            (run_id, text, True)]
        assert {"en": "Nothing done 1", "id": "Tidak ada yang dikerjakan 1"}[lang] in \
            dash["runs_today_hint"]
        # Not green: 0 of 1 ended run did its work (it was due to act).
        assert dash["success_rate"] == {"en": "0.0%", "id": "0,0 %"}[lang]
        assert dash["runs_today_hint"] == {"en": "Nothing done 1",
                                           "id": "Tidak ada yang dikerjakan 1"}[lang]


def test_catalog_sync_with_nothing_changed_is_amber_but_does_not_alert(wf_env):
    spec = seed_spec("product-catalog-sync")
    spec["job_id"] = "catalog-idle"
    newest = max(p.updated_at for p in products(42))
    spec["inputs"]["products"]["changed_since"] = newest
    run_id = start_job(spec)

    assert execute_run(run_id) == "succeeded"
    run = run_detail(run_id).run
    assert run.outcome == "nothing_done"
    assert run.outcome_reason["key"] == "catalog_nothing_changed"
    assert run.outcome_reason["expected"] is False
    assert run.outcome_reason["text"].startswith("no product changed since ")
    assert render_reason(run.outcome_reason, "id").startswith("tidak ada produk yang berubah")
    assert _alerts(spec["job_id"]) == [] and _failures(spec["job_id"]) == 0


def test_a_campaign_inside_its_window_that_sends_is_not_nothing_done(wf_env):
    spec = campaign_spec(limit=3, rate=100, job_id="bf-inside-window")
    run_id = start_job(spec)
    assert execute_run(run_id) == "succeeded"
    run = run_detail(run_id).run
    assert run.outcome is None and run.result["sent"] == 3
    assert _alerts(spec["job_id"]) == []
