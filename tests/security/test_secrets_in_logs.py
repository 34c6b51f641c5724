"""Secrets never reach logs, run logs, run errors or API responses, including on the
error paths (a platform failing every call), with every logger at DEBUG."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlmodel import select

from backend.core.db import session_scope
from backend.jobs import service
from backend.jobs.validation import parse_spec
from backend.models import RunLog
from backend.sandbox.credentials import credentials_for
from backend.worker.lifecycle import execute_run
from backend.workflows import WORKFLOW_MODULES
from tests.reliability.test_sandbox_faults import _admin, sandbox

__all__ = ["sandbox"]  # the fixture, shared with the fault-injection test

ACCOUNT_SECRET = "sk_live_zz_do_not_leak_8871"


def test_no_secret_in_logs_run_records_or_responses(api, env, sandbox, caplog, monkeypatch):
    monkeypatch.setitem(WORKFLOW_MODULES, "sleep", "tests.reliability.fault_calls_workflow")
    caplog.set_level(logging.DEBUG)  # every logger, httpx and aiohttp included
    bearer = credentials_for("whatsapp")["access_token"]
    saved = api.put("/connectors/whatsapp/default", json={
        "mode": "sandbox", "settings": {"phone_number_id": "1",
                                        "access_token": ACCOUNT_SECRET}})
    assert saved.status_code == 200
    responses = [saved.text, api.get("/connectors").text]

    _admin(sandbox, "reset", {})
    outcomes = []
    for job_id, faults, retries in (("fine", 0.3, 3), ("broken", 1.0, 0)):
        _admin(sandbox, "faults", {"global": {"p_5xx": faults}})
        spec = {"job_id": job_id, "workflow": "sleep",
                "retry_policy": {"max_retry": retries, "backoff_sec": [0.1]},
                "inputs": {"allow_overlap": True, "calls": 6, "sandbox_url": sandbox.base_url}}
        with session_scope() as session:
            service.create_job(session=session, parsed=parse_spec(spec), actor="test")
            run_id = service.run_now(session=session, job_id=job_id).id
        state = execute_run(run_id)
        while state == "retrying":
            state = execute_run(run_id)
        outcomes.append(state)
        responses += [api.get(f"/runs/{run_id}").text, api.get(f"/jobs/{job_id}").text,
                      api.get(f"/runs?job_id={job_id}").text]
    assert outcomes == ["succeeded", "failed"]  # both paths ran, the error one included
    with session_scope() as session:
        run_logs = "\n".join(session.exec(select(RunLog.message)).all())
    logs = caplog.text
    assert len(logs) > 500  # the loggers did talk
    for secret in (bearer, ACCOUNT_SECRET):
        assert secret not in logs, "secret in process logs"
        assert secret not in run_logs, "secret in run logs"
        for body in responses:
            assert secret not in body, "secret in an API response"
    db_bytes = b"".join(p.read_bytes() for p in Path(env.data_dir).glob("spio.db*"))
    assert ACCOUNT_SECRET.encode() not in db_bytes

