"""POST /hooks/{job_id}: a signed webhook starts one run of its job; bad signatures,
old timestamps, wrong secrets and bad bodies are 401/404/422 with the reason, never 500."""

from __future__ import annotations

import time

import orjson
import pytest
from sqlmodel import select

from backend.auth.keys import reencrypt_all
from backend.core.db import session_scope
from backend.jobs.hooks import sign
from backend.models import Event, Job, Run


def _create(api, job_id="hook", **trigger):
    response = api.post("/jobs", json={"job_id": job_id, "workflow": "noop",
                                       "trigger": {"event": "webhook", **trigger}})
    assert response.status_code == 201, response.text
    return response.json()


def _post(api, job_id, body: bytes, *, secret, stamp=None, event_id=None, **headers):
    stamp = int(time.time()) if stamp is None else stamp
    sent = {"X-Spio-Timestamp": str(stamp),
            "X-Spio-Signature": sign(secret=secret, timestamp=stamp, body=body), **headers}
    if event_id:
        sent["X-Spio-Event-Id"] = event_id
    token = api.headers.pop("Authorization", None)  # senders hold no API token
    try:
        return api.post(f"/hooks/{job_id}", content=body, headers=sent)
    finally:
        if token:
            api.headers["Authorization"] = token


def _runs(job_id):
    with session_scope() as session:
        return list(session.exec(select(Run).where(Run.job_id == job_id)).all())


@pytest.mark.parametrize("backend_kind", ["sqlite", "postgres"], indirect=True)
def test_the_secret_is_shown_once_stored_encrypted_and_a_signed_post_starts_one_run(api):
    created = _create(api)
    shown = created["webhook"]
    assert shown["secret"].startswith("whsec_") and shown["url"].endswith("/hooks/hook")
    assert shown["secret_mode"] == "hmac"
    assert api.get("/jobs/hook").json()["webhook"] is None  # never shown again
    with session_scope() as session:
        stored = session.get(Job, "hook").hook_secret_encrypted
    assert stored and shown["secret"] not in stored

    body = orjson.dumps({"order_id": "A1", "total": 150000})
    first = _post(api, "hook", body, secret=shown["secret"], event_id="evt-1")
    assert first.status_code == 202, first.text
    again = _post(api, "hook", body, secret=shown["secret"], event_id="evt-1")
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert again.json()["event"] == first.json()["event"]
    (run,) = _runs("hook")
    assert run.trigger == "event" and run.id == first.json()["runs"][0]
    detail = api.get(f"/runs/{run.id}").json()  # the run page shows what started it
    assert detail["run"]["event_id"] == run.event_id
    assert detail["event"]["id"] == "evt-1" and detail["event"]["data"]["total"] == 150000
    assert api.get("/runs", params={"job_id": "hook"}).json()["items"][0]["event_id"] == \
        run.event_id
    with session_scope() as session:
        event = session.get(Event, run.event_id)
        assert (event.source, event.event_id, event.data["order_id"]) == (
            "webhook:hook", "evt-1", "A1")
    # without an event id, the same signed request repeated is the same event
    stamp = int(time.time())
    one = _post(api, "hook", b"{}", secret=shown["secret"], stamp=stamp)
    two = _post(api, "hook", b"{}", secret=shown["secret"], stamp=stamp)
    assert (one.status_code, two.status_code) == (202, 200)
    assert len(_runs("hook")) == 2


def test_bad_signatures_secrets_and_timestamps_are_401_with_the_reason(api):
    secret = _create(api)["webhook"]["secret"]
    body = b'{"a": 1}'
    wrong = _post(api, "hook", body, secret="whsec_not-it")
    assert wrong.status_code == 401 and "does not match" in wrong.json()["message"]
    old = _post(api, "hook", body, secret=secret, stamp=int(time.time()) - 301)
    assert old.status_code == 401 and "replay window" in old.json()["message"]
    future = _post(api, "hook", body, secret=secret, stamp=int(time.time()) + 400)
    assert future.status_code == 401
    token = api.headers.pop("Authorization")
    bare = api.post("/hooks/hook", content=body)
    assert bare.status_code == 401 and "X-Spio-Timestamp" in bare.json()["message"]
    unsigned = api.post("/hooks/hook", content=body,
                        headers={"X-Spio-Timestamp": str(int(time.time()))})
    assert unsigned.status_code == 401 and "X-Spio-Signature" in unsigned.json()["message"]
    text_stamp = api.post("/hooks/hook", content=body, headers={"X-Spio-Timestamp": "noon"})
    assert text_stamp.status_code == 401
    for hostile in ({"X-Spio-Timestamp": "²³"}, {"X-Spio-Timestamp": str(int(time.time())),
                                                 "X-Spio-Signature": "sha256=é\xff"}):
        odd = api.post("/hooks/hook", content=body, headers={
            k: v.encode("latin-1") for k, v in hostile.items()})
        assert odd.status_code == 401
    api.headers["Authorization"] = token
    # a body altered after signing is refused
    stamp = int(time.time())
    tampered = api.post("/hooks/hook", content=b'{"a": 2}', headers={
        "X-Spio-Timestamp": str(stamp), "X-Spio-Signature": sign(secret=secret, timestamp=stamp,
                                                                 body=body)})
    assert tampered.status_code == 401
    assert _runs("hook") == []


def test_bodies_ids_and_jobs_that_take_no_webhooks(api):
    secret = _create(api)["webhook"]["secret"]
    for body in (b"[1, 2]", b"{not json", b'"text"'):
        bad = _post(api, "hook", body, secret=secret)
        assert bad.status_code == 422 and bad.json()["errors"][0]["path"] == "body"
    long_id = _post(api, "hook", b"{}", secret=secret, event_id="x" * 201)
    assert long_id.status_code == 422 and long_id.json()["errors"][0]["path"] == "X-Spio-Event-Id"
    assert api.post("/jobs", json={"job_id": "clock", "workflow": "noop",
                                   "schedule": {"interval_sec": 60}}).status_code == 201
    assert _post(api, "clock", b"{}", secret=secret).status_code == 404
    assert _post(api, "nobody", b"{}", secret=secret).status_code == 404
    assert _post(api, "bad id!", b"{}", secret=secret).status_code in (404, 422)
    assert _runs("hook") == []


def test_bearer_mode_filter_pause_and_rotation(api):
    secret = _create(api, secret_mode="bearer", filter={"status": "paid"})["webhook"]["secret"]
    token = api.headers.pop("Authorization")
    try:
        def send(body, key, event_id):
            return api.post("/hooks/hook", content=orjson.dumps(body), headers={
                "Authorization": f"Bearer {key}", "X-Spio-Event-Id": event_id})

        assert send({"status": "paid"}, "whsec_wrong", "e0").status_code == 401
        assert send({"status": "paid"}, secret, "e1").json()["runs"]
        skipped = send({"status": "unpaid"}, secret, "e2")  # recorded, filtered out
        assert skipped.status_code == 202 and skipped.json()["runs"] == []
    finally:
        api.headers["Authorization"] = token
    rotated = api.post("/jobs/hook/hook-secret").json()
    assert rotated["secret"] != secret
    api.headers.pop("Authorization")
    try:
        assert send({"status": "paid"}, secret, "e3").status_code == 401
        assert send({"status": "paid"}, rotated["secret"], "e3").status_code == 202
    finally:
        api.headers["Authorization"] = token
    assert api.post("/jobs/hook/pause").status_code == 200
    api.headers.pop("Authorization")
    try:  # a paused job records the event and starts nothing
        paused = send({"status": "paid"}, rotated["secret"], "e4")
        assert paused.status_code == 202 and paused.json()["runs"] == []
    finally:
        api.headers["Authorization"] = token
    assert len(_runs("hook")) == 2


def test_a_job_edited_into_a_webhook_gets_its_secret_then_and_key_rotation_keeps_it(api):
    assert api.post("/jobs", json={"job_id": "later", "workflow": "noop",
                                   "schedule": {"interval_sec": 60}}).json()["webhook"] is None
    patched = api.patch("/jobs/later", json={"schedule": None,
                                             "trigger": {"event": "webhook"}}).json()
    secret = patched["webhook"]["secret"]
    assert api.patch("/jobs/later", json={"name": "x"}).json()["webhook"] is None
    with session_scope() as session:
        assert reencrypt_all(session=session) >= 1
    assert _post(api, "later", b"{}", secret=secret).status_code == 202
    # a job that stops taking webhooks drops its secret; taking them again gives a new one
    assert api.patch("/jobs/later", json={"trigger": {"event": "order.paid"}}).status_code == 200
    assert _post(api, "later", b"{}", secret=secret).status_code == 404
    again = api.patch("/jobs/later", json={"trigger": {"event": "webhook"}}).json()["webhook"]
    assert again["secret"] != secret
    assert _post(api, "later", b"{}", secret=secret).status_code == 401
    assert api.post("/jobs/clock-none/hook-secret").status_code == 404


def test_rotate_refuses_jobs_without_a_webhook(api):
    assert api.post("/jobs", json={"job_id": "c", "workflow": "noop",
                                   "trigger": {"event": "order.paid"}}).status_code == 201
    refused = api.post("/jobs/c/hook-secret")
    assert refused.status_code == 422 and refused.json()["errors"][0]["path"] == "trigger.event"
