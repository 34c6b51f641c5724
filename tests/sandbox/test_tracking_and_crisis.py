"""Tracking webhooks really arrive, signed and consistent; crisis replay bursts."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from backend.sandbox.credentials import CREDENTIALS

WA = CREDENTIALS["whatsapp"]
# The secret a test hands the sandbox with the webhook URL (as a provider is given one).
WEBHOOK_SECRET = "test-webhook-secret-for-this-receiver"


class _Receiver(BaseHTTPRequestHandler):
    events: list[tuple[dict, bool]] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = self.rfile.read(int(self.headers["Content-Length"]))
        expected = hmac.new(WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
        self.events.append((json.loads(body), self.headers["X-Sandbox-Signature"] == expected))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def webhook() -> Iterator[tuple[str, list[tuple[dict, bool]]]]:
    _Receiver.events = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hooks/tracking", _Receiver.events
    server.shutdown()
    server.server_close()


def _campaign(client: httpx.Client, base: str, n: int) -> None:
    approve = {"name": "black_friday_2026", "language": "id", "body": "Promo! Belanja: {{1}}"}
    client.post("/_admin/whatsapp/templates", json=approve).raise_for_status()
    for i in range(n):
        body = {
            "messaging_product": "whatsapp",
            "to": f"62812{i:07d}",
            "type": "template",
            "template": {
                "name": "black_friday_2026",
                "language": {"code": "id"},
                "components": [
                    {
                        "type": "body",
                        "parameters": [{"type": "text", "text": f"{base}/t/bf26-{i:04d}"}],
                    }
                ],
            },
        }
        r = client.post(
            f"/{WA['api_version']}/{WA['phone_number_id']}/messages",
            json=body,
            headers={"Authorization": f"Bearer {WA['access_token']}"},
        )
        assert r.status_code == 200


def _settle(client: httpx.Client, received: list, *, timeout: float = 30) -> dict:
    """Wait until every planned event reached the webhook."""
    deadline = time.monotonic() + timeout
    last = -1
    while time.monotonic() < deadline:
        counters = client.get("/_admin/counters").json()
        total = sum(counters["tracking"].values())
        if total == last and counters["webhooks"].get("delivered", 0) == total == len(received):
            return counters
        last = total
        time.sleep(0.4)
    raise AssertionError("tracking events did not settle")


def test_funnel_events_reach_the_webhook_signed(client, sandbox, webhook) -> None:
    url, received = webhook
    client.post("/_admin/webhook", json={"url": url, "secret": WEBHOOK_SECRET})
    client.post("/_admin/tracking", json={"speed": 50_000})
    client.post("/_admin/limits", json={"whatsapp.messages": {"limit": 0}})
    _campaign(client, sandbox.base_url, 200)
    counters = _settle(client, received)
    assert all(ok for _, ok in received)
    by_message: dict[str, list[dict]] = defaultdict(list)
    for event, _ in received:
        by_message[event["message_id"]].append(event)
    assert len(by_message) == 200
    for events in by_message.values():
        kinds = [e["type"] for e in events]
        assert kinds.count("delivered") + kinds.count("failed") == 1
        assert ("opened" in kinds) <= ("delivered" in kinds)
        assert ("clicked" in kinds) <= ("opened" in kinds)
        assert ("converted" in kinds) <= ("clicked" in kinds)
        assert all(e["channel"] == "whatsapp" and e["recipient"] for e in events)
    conversions = [e for e, _ in received if e["type"] == "converted"]
    assert conversions and all(
        e["revenue"] > 0 and e["link_token"].startswith("bf26-") for e in conversions
    )
    assert counters["tracking"]["delivered"] > 180  # ~97% delivery on WhatsApp


def test_funnel_is_deterministic_per_seed(client, sandbox, webhook) -> None:
    url, received = webhook
    outcomes = []
    for _ in range(2):
        client.post("/_admin/reset")
        client.post("/_admin/webhook", json={"url": url, "secret": WEBHOOK_SECRET})
        client.post("/_admin/tracking", json={"speed": 50_000})
        received.clear()
        _campaign(client, sandbox.base_url, 40)
        _settle(client, received)
        outcomes.append(sorted((e["recipient"], e["type"], e["revenue"]) for e, _ in received))
    assert outcomes[0] == outcomes[1]


def test_real_click_redirects_and_is_reported(client, sandbox, webhook) -> None:
    url, received = webhook
    client.post("/_admin/webhook", json={"url": url, "secret": WEBHOOK_SECRET})
    r = client.get("/t/abc12345", params={"u": "https://toko.example/promo"})
    assert r.status_code == 302 and r.headers["location"] == "https://toko.example/promo"
    deadline = time.monotonic() + 5
    while not received and time.monotonic() < deadline:
        time.sleep(0.05)
    assert received[0][0]["type"] == "clicked" and received[0][0]["simulated"] is False


def test_crisis_replay_spreads_a_burst_over_time(client, sandbox) -> None:
    r = client.post(
        "/_admin/crisis/replay", json={"platforms": ["twitter"], "count": 60, "over_sec": 4}
    )
    info = r.json()["injected"]["twitter"]
    headers = {"Authorization": f"Bearer {CREDENTIALS['social']['access_token']}"}

    def visible() -> list[dict]:
        body = client.get(
            "/twitter/2/tweets/search/recent",
            headers=headers,
            params={
                "query": "@brand",
                "since_id": str(int(info["first_id"]) - 1),
                "max_results": 100,
            },
        ).json()
        return [
            t
            for t in body["data"]
            if int(t["id"]) >= int(info["first_id"]) and int(t["id"]) % 1000 >= 900
        ]

    early = visible()
    time.sleep(4.2)
    late = visible()
    assert 0 < len(early) < 60 and len(late) == 60
    viral = next(t for t in late if t["id"] == info["viral_id"])
    assert viral["public_metrics"]["retweet_count"] >= 25_000
    assert client.post("/_admin/crisis/replay", json={"platforms": ["myspace"]}).status_code == 400


def test_social_volume_makes_a_feed_ten_times_busier(client, sandbox) -> None:
    headers = {"Authorization": f"Bearer {CREDENTIALS['social']['access_token']}"}
    since = client.post("/_admin/social/volume",
                        json={"platforms": ["twitter"], "per_min": 1200}).json()["since"]
    time.sleep(1.0)
    body = client.get("/twitter/2/tweets/search/recent", headers=headers,
                      params={"query": "@brand", "start_time": str(since),
                              "max_results": 100}).json()  # fmt: skip
    ids = [int(t["id"]) for t in body["data"]]
    # 1,200 a minute is one every 50 ms: about 20 in a second (the seeded pace: 0 or 1),
    # in id order with no repeats; none keeps the crisis bursts' k 900..999.
    assert 15 <= len(ids) <= 25 and ids == sorted(set(ids))
    assert all(i % 1000 < 900 for i in ids)
    client.post("/_admin/social/volume", json={"per_min": None}).raise_for_status()
    after = client.get("/twitter/2/tweets/search/recent", headers=headers,
                       params={"query": "@brand", "since_id": str(ids[-1]),
                               "max_results": 100}).json()  # fmt: skip
    assert len(after["data"]) <= 1  # back to the seeded pace
    bad = client.post("/_admin/social/volume", json={"per_min": 0})
    assert bad.status_code == 400
