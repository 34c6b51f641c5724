"""A worker process SIGKILLed in the middle of the campaign: another worker takes the run
over, resumes the send step, and the sandbox's counters show every consenting customer
got exactly one message, none missing, none twice, no 429."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from backend.core.db import session_scope
from backend.models import RunAttempt
from backend.services import campaign_state
from tests.system.cluster import FAST_TAKEOVER, Cluster
from tests.workflows.campaign_support import (
    campaign_spec,
    expected_recipients,
    received,
    sending_worker_pid,
    wait_until_ended,
)
from tests.workflows.conftest import start_job

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

AUDIENCE, RATE = 300, 30


@pytest.fixture
def cluster(wf_env, tmp_path: Path) -> Iterator[Cluster]:
    c = Cluster.from_environment(log_dir=tmp_path / "logs", **FAST_TAKEOVER)
    try:
        yield c
    finally:
        c.stop()


def test_sigkilled_worker_mid_campaign_leaves_no_duplicate_and_no_gap(cluster, admin):
    rule = {"limit": RATE, "window_sec": 1.0}
    admin.post("/_admin/limits", json={"whatsapp.messages": rule, "telegram.bot": rule})
    cluster.start_scheduler()
    cluster.start_worker("worker-a", threads=2)
    cluster.start_worker("worker-b", threads=2)
    cluster.wait_ready(workers=2)
    run_id = start_job(campaign_spec(limit=AUDIENCE, rate=RATE, job_id="bf-sigkill"))

    victim = sending_worker_pid(admin, run_id, at_least=60, timeout=60)
    os.kill(victim, signal.SIGKILL)
    at_kill = len(received(admin)[1])
    assert at_kill < AUDIENCE, "killed before the campaign finished"

    run = wait_until_ended(run_id, timeout=90, interval=0.05)
    assert run.status == "succeeded", (run.error, cluster.logs())
    assert int(run.worker_id.split(":")[1]) != victim
    with session_scope() as session:
        attempts = session.exec(select(RunAttempt).where(RunAttempt.run_id == run_id)
                                .order_by(RunAttempt.number)).all()
    assert [a.status for a in attempts][-1] == "succeeded" and len(attempts) >= 2

    expected, refused = expected_recipients(AUDIENCE)
    per_recipient, _ = received(admin)
    for channel, addresses in expected.items():
        got = per_recipient.get(channel, {})
        assert set(got) == addresses, f"{channel}: missing or extra recipients"
        assert set(got.values()) == {1}, f"{channel}: duplicates"
    assert sum(len(a) for a in expected.values()) == AUDIENCE
    counters = admin.get("/_admin/counters").json()
    assert counters["rate_limited"] == {}
    live = campaign_state.stats(run_id)["counters"]  # what the UI shows, also exact
    assert live["sent"] == AUDIENCE and live["planned"] == AUDIENCE
