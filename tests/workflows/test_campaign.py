"""The Black Friday campaign from the seed job against the sandbox: every consenting
customer gets exactly one message on the channel the rules give, no opted-out customer
gets any, no channel goes over its limit, a re-run sends nothing again; pause, resume
and cancel from the API; tracking webhooks feed the live counters."""

from __future__ import annotations

import hashlib
import hmac
import threading
import time

import orjson

from backend.core.security import tracking_webhook_secret
from backend.worker.lifecycle import execute_run
from tests.workflows.campaign_support import (
    campaign_spec,
    expected_recipients,
    received,
    run_until_sent,
)
from tests.workflows.conftest import queue_run, run_detail, start_job

RATE = 40  # per channel per second (the seed's 100/min, scaled to a second)


def limit_sandbox(admin, rate: int) -> None:
    """The platforms themselves allow exactly the campaign's rate: going over is a 429."""
    rule = {"limit": rate, "window_sec": 1.0}
    admin.post("/_admin/limits", json={"whatsapp.messages": rule, "telegram.bot": rule})


def test_seed_campaign_reaches_each_consenting_customer_once_within_limits(wf_env, admin):
    limit_sandbox(admin, RATE)
    spec = campaign_spec(limit=240, rate=RATE)
    run_id = start_job(spec)
    assert execute_run(run_id) == "succeeded", run_detail(run_id).run.error
    expected, refused = expected_recipients(240)
    per_recipient, sent = received(admin)
    for channel, addresses in expected.items():
        got = per_recipient.get(channel, {})
        assert set(got) == addresses, channel
        assert set(got.values()) == {1}, f"{channel}: a recipient got more than one message"
    everyone = {a for per in per_recipient.values() for a in per}
    assert not everyone & refused  # nobody without consent
    counters = admin.get("/_admin/counters").json()
    assert counters["rate_limited"] == {} and counters["duplicates"] == {}
    for channel in ("whatsapp", "telegram"):
        # On average no faster than the limit: n messages need at least (n / RATE - 1) s
        # (the first window's worth goes at once). Single windows jitter with the load.
        times = sorted(m["at"] for m in sent if m["channel"] == channel)
        assert times[-1] - times[0] >= (len(times) / RATE - 1) * 0.98, channel
    result = run_detail(run_id).run.result
    assert result["sent"] == 240 == sum(len(a) for a in expected.values())
    codes = [m["text"] for m in sent if m["channel"] == "whatsapp"]
    assert all("kode BF26-" in t for t in codes) and len(set(codes)) == len(codes)

    # Running the job again sends nothing: one message per customer per campaign.
    again = queue_run(spec["job_id"])
    assert execute_run(again) == "succeeded"
    assert received(admin)[0] == per_recipient
    assert run_detail(again).run.result["sent"] == 240  # counters of the campaign, not the run


def test_the_plan_is_read_back_in_pages_each_recipient_once(wf_env, admin, monkeypatch):
    """CRM pages far smaller than the audience, so the plan is many chunks per channel:
    every channel walks its chunks by keyset, the next fetched while the senders work,
    and no one is skipped or repeated."""
    from backend.workflows.campaign import send, workflow

    monkeypatch.setattr(workflow, "_CRM_PAGE", 7)
    monkeypatch.setattr(send, "_PREFETCH_BELOW", 3)
    limit_sandbox(admin, 200)
    spec = campaign_spec(limit=90, rate=200, job_id="bf-pages")
    run_id = start_job(spec)
    assert execute_run(run_id) == "succeeded", run_detail(run_id).run.error
    expected, _ = expected_recipients(90)
    per_recipient, _ = received(admin)
    for channel, addresses in expected.items():
        assert per_recipient.get(channel, {}) == dict.fromkeys(addresses, 1), channel
    assert run_detail(run_id).run.result["sent"] == 90


def _signed(event: dict) -> tuple[bytes, dict[str, str]]:
    body = orjson.dumps(event)
    signature = hmac.new(tracking_webhook_secret().encode(), body, hashlib.sha256).hexdigest()
    return body, {"X-Sandbox-Signature": signature, "Content-Type": "application/json"}


def test_pause_resume_cancel_and_tracking_counters(wf_env, admin, api):
    limit_sandbox(admin, 20)
    admin.post("/_admin/tracking", json={"speed": 2000})
    # An audience the run cannot finish in the ~4 s before the cancel even when booked
    # slots (up to a second per channel) drain after the resume: 200 sometimes did.
    audience = 400
    spec = campaign_spec(limit=audience, rate=20, job_id="bf-controls")
    run_id = start_job(spec)
    worker, outcome = run_until_sent(api, run_id, at_least=20, timeout=20)
    assert api.post(f"/campaign-runs/{run_id}/pause").json()["control"] == "paused"
    # Senders already holding a slot (booked up to one rate window ahead) finish that
    # message; then nothing moves.
    time.sleep(1.4)
    paused_total = len(received(admin)[1])
    time.sleep(1.0)
    assert len(received(admin)[1]) == paused_total  # nothing while paused
    assert 20 <= paused_total < audience
    assert api.post(f"/campaign-runs/{run_id}/resume").json()["control"] == "running"
    time.sleep(0.6)
    assert len(received(admin)[1]) > paused_total
    cancel = api.post(f"/campaign-runs/{run_id}/cancel")
    assert cancel.status_code == 200
    worker.join(30)
    assert outcome["status"] == "cancelled"
    assert len(received(admin)[1]) < audience
    assert api.post(f"/campaign-runs/{run_id}/resume").status_code == 409

    # Tracking: the sandbox's events for these messages, posted to our webhook.
    time.sleep(0.5)
    events = admin.get("/_admin/tracking").json()["events"]
    assert events, "the sandbox simulated recipients"
    for event in events:
        body, headers = _signed(event)
        assert api.post("/webhooks/tracking", content=body, headers=headers).status_code == 200
    body, headers = _signed(events[0])  # a repeat changes nothing
    api.post("/webhooks/tracking", content=body, headers=headers)
    counters = api.get(f"/campaign-runs/{run_id}/stats").json()["counters"]
    delivered = sum(1 for e in events if e["type"] == "delivered")
    assert counters["delivered"] == delivered > 0
    assert counters.get("converted", 0) == sum(1 for e in events if e["type"] == "converted")
    bad = api.post("/webhooks/tracking", content=body, headers={"X-Sandbox-Signature": "00"})
    assert bad.status_code == 401


def test_quiet_hours_hold_every_message_until_they_end(wf_env, admin, api):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    now = datetime.now(ZoneInfo("Asia/Jakarta"))
    spec = campaign_spec(limit=30, rate=20, job_id="bf-quiet")
    spec["inputs"]["quiet_hours"] = {"start": (now - timedelta(minutes=5)).strftime("%H:%M"),
                                     "end": (now + timedelta(minutes=5)).strftime("%H:%M")}
    run_id = start_job(spec)
    outcome: dict[str, str] = {}
    worker = threading.Thread(target=lambda: outcome.update(status=execute_run(run_id)))
    worker.start()
    deadline = time.monotonic() + 20
    while api.get(f"/campaign-runs/{run_id}/stats").status_code != 200:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(1.5)
    assert received(admin)[1] == []  # planned, but nobody is messaged at night
    assert api.post(f"/campaign-runs/{run_id}/cancel").status_code == 200
    worker.join(20)
    assert outcome["status"] == "cancelled" and received(admin)[1] == []


def test_a_campaign_in_english_writes_its_messages_in_english(wf_env, admin):
    """``inputs.language: en``: the WhatsApp template and the texts the campaign writes
    itself are English (the default stays Indonesian, as the first test reads)."""
    spec = campaign_spec(limit=30, rate=RATE, job_id="bf-english")
    spec["inputs"]["language"] = "en"
    spec["inputs"]["campaign"]["name"] = "Year End Sale 2026"  # codes YES26-: this run's
    spec["inputs"]["personalization"]["use_ai"] = False
    run_id = start_job(spec)
    assert execute_run(run_id) == "succeeded", run_detail(run_id).run.error
    sent = [m for m in received(admin)[1] if "YES26-" in m["text"]]
    by_channel = {m["channel"]: m["text"] for m in sent}
    assert {"whatsapp", "telegram"} <= set(by_channel), by_channel
    assert all("code YES26-" in m["text"] and "kode" not in m["text"] for m in sent)
    # The platform's approved English template (the sandbox writes its name first).
    assert "Hi " in by_channel["whatsapp"] and " off just for you" in by_channel["whatsapp"]
    assert "Halo" not in by_channel["telegram"] and "diskon" not in by_channel["telegram"]
