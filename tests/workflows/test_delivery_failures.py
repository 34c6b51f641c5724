"""A campaign message the platform took and failed later: WhatsApp's status webhook
(131047, Meta's shape and signature) and Twilio's status callback (undelivered, its
signature) mark it failed in the ledger with the reason and count it in the funnel, once
however often they repeat; the job's ``on_delivery_failure`` then retries it once on the
customer's next consented channel (a follow-up run), or reports it (one alert)."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

import orjson
from sqlmodel import select

from backend.connectors.sms import SmsConfig
from backend.core.db import session_scope
from backend.core.messages import render_message
from backend.models import Alert, Run, SentMessage
from backend.sandbox.credentials import CREDENTIALS
from backend.sandbox.sms import twilio_signature
from backend.sandbox.whatsapp_status import hub_signature, status_payload
from backend.services import campaign_state
from backend.worker.lifecycle import execute_run
from tests.workflows.campaign_support import campaign_spec
from tests.workflows.conftest import run_detail, start_job


def _campaign(job_id: str, *, channels: list[str], policy: str | None, limit: int = 12) -> int:
    spec = campaign_spec(limit=limit, rate=200, job_id=job_id)
    spec["inputs"]["channels"] = channels
    spec["inputs"]["segments"] = [{"segment": "*", "channel": channels[0],
                                   "message": "template"}]  # fmt: skip
    if policy:
        spec["inputs"]["on_delivery_failure"] = policy
    run_id = start_job(spec)
    assert execute_run(run_id) == "succeeded", run_detail(run_id).run.error
    return run_id


def _sent(channel: str, job_id: str) -> list[SentMessage]:
    with session_scope() as session:
        rows = session.exec(select(SentMessage).where(SentMessage.channel == channel)).all()
    return [r for r in rows if r.key.startswith(f"campaign:{job_id}:")]


def _whatsapp_failed(api, message: SentMessage, *, code: int = 131047):
    event = {"type": "failed", "message_id": message.provider_id, "recipient": message.recipient,
             "error_code": code, "occurred_at": datetime.now(UTC).isoformat()}
    body = orjson.dumps(status_payload(event))
    signature = hub_signature(CREDENTIALS["whatsapp"]["app_secret"], body)
    return api.post("/webhooks/whatsapp", content=body,
                    headers={"X-Hub-Signature-256": signature,
                             "Content-Type": "application/json"})  # fmt: skip


def _counters(run_id: int) -> dict:
    return campaign_state.stats(run_id)["counters"]


def test_whatsapp_handshake_and_signatures(wf_env, api):
    token = CREDENTIALS["whatsapp"]["verify_token"]
    ok = api.get("/webhooks/whatsapp", params={"hub.mode": "subscribe",
                                               "hub.verify_token": token,
                                               "hub.challenge": "1158201444"})  # fmt: skip
    assert ok.status_code == 200 and ok.text == "1158201444"
    wrong = api.get("/webhooks/whatsapp", params={"hub.mode": "subscribe",
                                                  "hub.verify_token": "guess",
                                                  "hub.challenge": "x"})  # fmt: skip
    assert wrong.status_code == 403
    body = b'{"object": "whatsapp_business_account", "entry": []}'
    assert api.post("/webhooks/whatsapp", content=body).status_code == 401
    forged = hub_signature("not-the-app-secret", body)
    assert api.post("/webhooks/whatsapp", content=body,
                    headers={"X-Hub-Signature-256": forged}).status_code == 401
    assert api.post("/webhooks/twilio", data={"MessageSid": "SM1", "MessageStatus": "failed"},
                    headers={"X-Twilio-Signature": "AAAA"}).status_code == 401


def test_a_whatsapp_failure_is_counted_once_and_retried_on_another_channel(wf_env, admin,
                                                                           api):  # fmt: skip
    job_id = "campaign-retry"
    run_id = _campaign(job_id, channels=["whatsapp", "telegram", "email"], policy="retry")
    messages = _sent("whatsapp", job_id)
    assert messages, "the campaign sent WhatsApp messages"
    failing = messages[0]
    customer = failing.key.split(":")[-2]
    before = {r.key for r in _sent("telegram", job_id) + _sent("email", job_id)}

    for _ in range(2):  # Meta repeats webhooks: the second changes nothing
        resp = _whatsapp_failed(api, failing)
        assert resp.status_code == 200, resp.text
    with session_scope() as session:
        row = session.get(SentMessage, failing.key)
        assert row.status == "failed" and row.error.startswith("131047: ")
        follow_ups = session.exec(select(Run).where(Run.job_id == job_id,
                                                    Run.trigger == "retry")).all()
    counters = _counters(run_id)
    assert counters["failed:whatsapp"] == 1 and counters["failed_reason:131047"] == 1
    assert len(follow_ups) == 1  # one run queued for the retry, not one per webhook

    assert execute_run(follow_ups[0].id) == "succeeded", run_detail(follow_ups[0].id).run.error
    retry = {r.key for r in _sent("telegram", job_id) + _sent("email", job_id)} - before
    assert retry == {next(k for k in retry if f":{customer}:" in k)} and len(retry) == 1
    assert run_detail(follow_ups[0].id).run.result["retried"] == 1
    counters = _counters(follow_ups[0].id)  # the campaign's latest run
    assert sum(v for k, v in counters.items() if k.startswith("retried:")) == 1

    again = start_job_run(job_id)  # once is once: a later run sends nothing again
    assert run_detail(again).run.result.get("retried", 0) == 0
    assert {r.key for r in _sent("telegram", job_id) + _sent("email", job_id)} - before == retry


def start_job_run(job_id: str) -> int:
    from tests.workflows.conftest import queue_run

    run_id = queue_run(job_id)
    assert execute_run(run_id) == "succeeded", run_detail(run_id).run.error
    return run_id


def test_report_policy_alerts_once_and_a_twilio_failure_counts(wf_env, admin, api):
    job_id = "campaign-report"
    run_id = _campaign(job_id, channels=["whatsapp", "sms"], policy=None)
    first, second = _sent("whatsapp", job_id)[:2]
    assert _whatsapp_failed(api, first).status_code == 200
    assert _whatsapp_failed(api, second).status_code == 200
    with session_scope() as session:
        alerts = session.exec(select(Alert).where(Alert.job_id == job_id)).all()
        follow_ups = session.exec(select(Run).where(Run.job_id == job_id,
                                                    Run.trigger == "retry")).all()
    assert [a.kind for a in alerts] == ["delivery_failed"] and not follow_ups
    said = render_message(alerts[0].message, "en")
    assert "131047" in said and "not sent again" in said
    assert "tidak dikirim ulang" in render_message(alerts[0].message, "id")
    assert _counters(run_id)["failed:whatsapp"] == 2

    texts = _sent("sms", job_id)
    assert texts, "customers without WhatsApp consent got an SMS"
    sms_message = texts[0]
    url = SmsConfig().status_callback_url
    form = {"MessageSid": sms_message.provider_id, "MessageStatus": "undelivered",
            "ErrorCode": "30003", "To": sms_message.recipient}  # fmt: skip
    signature = twilio_signature(CREDENTIALS["sms"]["auth_token"], url, form)
    resp = api.post("/webhooks/twilio", content=urlencode(form),
                    headers={"X-Twilio-Signature": signature,
                             "Content-Type": "application/x-www-form-urlencoded"})
    assert resp.status_code == 200, resp.text
    with session_scope() as session:
        row = session.get(SentMessage, sms_message.key)
    assert row.status == "failed" and row.error == "30003: Twilio error 30003"
    assert _counters(run_id)["failed:sms"] == 1 and _counters(run_id)["failed_reason:30003"] == 1
