"""Marketplace order pushes: the sandbox pushes Shopee (v2 push) and TikTok Shop
webhooks with the platforms' signatures; the app verifies them and starts the jobs of
order.created / order.paid / order.cancelled once per order and event."""

from __future__ import annotations

import hashlib
import hmac
import socket
import threading
import time

import httpx
import pytest
import uvicorn
from sqlmodel import select

from backend.core.config import get_settings
from backend.core.db import session_scope
from backend.models import Event, Run
from backend.sandbox.credentials import CREDENTIALS
from backend.sandbox.order_push import shopee_push, tiktok_webhook
from tests.sandbox_fixture import start_sandbox


def _jobs(api):
    for job_id, trigger in [
        ("shopee-paid", {"event": "order.paid", "platforms": ["shopee"]}),
        ("any-created", {"event": "order.created"}),
        ("cancelled", {"event": "order.cancelled"}),
    ]:
        assert api.post("/jobs", json={"job_id": job_id, "workflow": "noop",
                                       "trigger": trigger}).status_code == 201


def _runs() -> dict[str, int]:
    with session_scope() as session:
        out: dict[str, int] = {}
        for run in session.exec(select(Run)).all():
            out[run.job_id] = out.get(run.job_id, 0) + 1
        return out


def _shopee(api, order_id, status, *, key=None, url=None):
    url = url or get_settings().public_url.rstrip("/") + "/webhooks/shopee"
    body, headers = shopee_push(url=url, order_id=order_id, status=status,
                                now=int(time.time()), partner_key=key)
    return api.post("/webhooks/shopee", content=body, headers=headers)


def _tiktok(api, order_id, status, *, secret=None):
    body, headers = tiktok_webhook(order_id=order_id, status=status, now=int(time.time()),
                                   app_secret=secret)
    return api.post("/webhooks/tiktok_shop", content=body, headers=headers)


def test_shopee_pushes_become_order_events_once_per_order_and_kind(api):
    _jobs(api)
    created = _shopee(api, "2612070001ABC", "UNPAID")
    assert created.status_code == 200 and created.json()["kind"] == "order.created"
    paid = _shopee(api, "2612070001ABC", "READY_TO_SHIP")
    assert paid.json()["kind"] == "order.paid" and len(paid.json()["runs"]) == 1
    again = _shopee(api, "2612070001ABC", "READY_TO_SHIP")  # Shopee pushes it again
    assert again.json()["duplicate"] is True and again.json()["runs"] == []
    shipped = _shopee(api, "2612070001ABC", "SHIPPED")
    assert shipped.status_code == 200 and "ignored" in shipped.json()
    assert _shopee(api, "2612070002ABC", "CANCELLED").json()["kind"] == "order.cancelled"
    assert _runs() == {"any-created": 1, "shopee-paid": 1, "cancelled": 1}
    with session_scope() as session:
        event = session.exec(select(Event).where(Event.kind == "order.paid")).one()
    assert event.source == "shopee:600100" and event.event_id == "2612070001ABC:order.paid"
    assert event.data["status"] == "READY_TO_SHIP" and event.occurred_at is not None


def test_shopee_signatures_are_checked_over_the_callback_url_and_body(api):
    _jobs(api)
    forged = _shopee(api, "X1", "READY_TO_SHIP", key="not-the-partner-key")
    assert forged.status_code == 401 and "partner key" in forged.json()["message"]
    elsewhere = _shopee(api, "X1", "READY_TO_SHIP", url="https://evil.example/webhooks/shopee")
    assert elsewhere.status_code == 401
    assert api.post("/webhooks/shopee", content=b"{}").status_code == 401
    # Shopee checks a new callback URL with an empty, signed push
    url = get_settings().public_url.rstrip("/") + "/webhooks/shopee"
    sig = hmac.new(str(CREDENTIALS["shopee"]["partner_key"]).encode(), url.encode() + b"|",
                   hashlib.sha256).hexdigest()
    check = api.post("/webhooks/shopee", content=b"", headers={"Authorization": sig})
    assert check.status_code == 200 and "ignored" in check.json()
    assert _runs() == {}


def test_tiktok_webhooks_pay_an_order_once_through_on_hold_and_awaiting_shipment(api):
    _jobs(api)
    assert _tiktok(api, "5790001", "UNPAID").json()["kind"] == "order.created"
    on_hold = _tiktok(api, "5790001", "ON_HOLD").json()
    awaiting = _tiktok(api, "5790001", "AWAITING_SHIPMENT").json()
    assert on_hold["kind"] == awaiting["kind"] == "order.paid"
    assert awaiting["duplicate"] is True
    assert _runs() == {"any-created": 1}  # shopee-paid is for Shopee only
    wrong = _tiktok(api, "5790002", "UNPAID", secret="not-the-app-secret")
    assert wrong.status_code == 401
    bad_json = api.post("/webhooks/tiktok_shop", content=b"{nope",
                        headers={"Authorization": "0" * 64})
    assert bad_json.status_code == 401  # the signature is checked before the body is read
    for route in ("/webhooks/tiktok_shop", "/webhooks/shopee"):
        odd = api.post(route, content=b"{}", headers={"Authorization": "é\xff".encode("latin-1")})
        assert odd.status_code == 401


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served_app(env, admin_token, monkeypatch):
    """The API on a real port, PUBLIC_URL pointing at it, as the sandbox would call it."""
    from backend.api.app import create_app

    port = _free_port()
    monkeypatch.setenv("PUBLIC_URL", f"http://127.0.0.1:{port}")
    get_settings.cache_clear()
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 10
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}",
                          headers={"Authorization": f"Bearer {admin_token}"})
    try:
        yield client
    finally:
        client.close()
        server.should_exit = True
        thread.join(10)


def test_the_sandbox_pushes_orders_to_the_running_app(served_app):
    _jobs(served_app)
    sandbox = start_sandbox()
    try:
        base = get_settings().public_url
        httpx.post(f"{sandbox.base_url}/_admin/webhooks", json={
            "shopee": f"{base}/webhooks/shopee",
            "tiktok_shop": f"{base}/webhooks/tiktok_shop"}).raise_for_status()
        answers = [httpx.post(f"{sandbox.base_url}/_admin/orders", json=order).json()
                   for order in ({"platform": "shopee", "order_id": "S1", "status": "UNPAID"},
                                 {"platform": "shopee", "order_id": "S1",
                                  "status": "READY_TO_SHIP"},
                                 {"platform": "shopee", "order_id": "S1",
                                  "status": "READY_TO_SHIP"},
                                 {"platform": "tiktok_shop", "order_id": "T1",
                                  "status": "CANCELLED"})]
    finally:
        sandbox.stop()
    assert [a["status"] for a in answers] == [200, 200, 200, 200]
    assert _runs() == {"any-created": 1, "shopee-paid": 1, "cancelled": 1}
