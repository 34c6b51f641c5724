"""A worker told to stop (SIGTERM: a deploy, supervisord restarting the group) in the
middle of a campaign hands its run back; another worker resumes it. The sends that
were on the wire when it stopped are let finish and recorded, so the platform sees each
message once: no second request under the same idempotency key (a real WhatsApp API
has none to absorb it), none missing."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from backend.core.db import session_scope
from backend.models import RunAttempt
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


def test_a_worker_stopped_mid_campaign_hands_back_without_a_second_send(cluster, admin):
    rule = {"limit": RATE, "window_sec": 1.0}
    admin.post("/_admin/limits", json={"whatsapp.messages": rule, "telegram.bot": rule})
    # Every platform request takes 0.4 s: at any moment a dozen sends are on the wire.
    admin.post("/_admin/faults", json={"global": {"p_slow": 1.0, "slow_ms": 400}})
    cluster.start_scheduler()
    cluster.start_worker("worker-a", threads=2)
    cluster.start_worker("worker-b", threads=2)
    cluster.wait_ready(workers=2)
    run_id = start_job(campaign_spec(limit=AUDIENCE, rate=RATE, job_id="bf-handback"))

    victim = sending_worker_pid(admin, run_id, at_least=60, timeout=90)
    os.kill(victim, signal.SIGTERM)
    at_stop = len(received(admin)[1])
    assert at_stop < AUDIENCE, "stopped before the campaign finished"

    run = wait_until_ended(run_id, timeout=120, interval=0.1)
    assert run.status == "succeeded", (run.error, cluster.logs())
    with session_scope() as session:
        attempts = session.exec(select(RunAttempt).where(RunAttempt.run_id == run_id)
                                .order_by(RunAttempt.number)).all()
    assert [a.status for a in attempts] == ["abandoned", "succeeded"], cluster.logs()

    expected, _ = expected_recipients(AUDIENCE)
    per_recipient, _ = received(admin)
    counters = admin.get("/_admin/counters").json()
    print(f"\nsent when stopped {at_stop}; replays under a key already used "
          f"{counters['duplicates']}")
    for channel, addresses in expected.items():
        got = per_recipient.get(channel, {})
        assert set(got) == addresses, f"{channel}: missing or extra recipients"
        assert set(got.values()) == {1}, f"{channel}: duplicates"
    # The platform never saw a message twice, not even one its key would have absorbed.
    assert counters["duplicates"] == {}, counters["duplicates"]
