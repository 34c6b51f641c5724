"""Faults happen at the configured rate; limits hold; counters tell the truth."""

from __future__ import annotations

import time

import httpx

from backend.sandbox.credentials import CREDENTIALS

CRM = {"X-API-Key": CREDENTIALS["crm"]["api_key"]}


def _crm(client: httpx.Client, n: int) -> list[int]:
    return [
        client.get("/crm/api/v1/customers/CUST00001", headers=CRM).status_code for _ in range(n)
    ]


def test_5xx_rate_matches_configuration(client: httpx.Client) -> None:
    client.post("/_admin/limits", json={"crm.api": {"limit": 0}})
    client.post("/_admin/faults", json={"platforms": {"crm": {"p_5xx": 0.25}}})
    codes = _crm(client, 400)
    failed = sum(c >= 500 for c in codes)
    assert 0.18 * 400 < failed < 0.32 * 400
    assert set(codes) <= {200, 500, 502, 503}
    counters = client.get("/_admin/counters").json()
    assert counters["faults"]["crm.5xx"] == failed
    assert counters["requests"]["crm"] == 400


def test_faults_are_scoped_to_their_platform(client: httpx.Client) -> None:
    client.post("/_admin/faults", json={"platforms": {"shopee": {"p_5xx": 1.0}}})
    assert _crm(client, 20) == [200] * 20


def test_global_faults_hit_everyone_and_reset_clears_them(client: httpx.Client) -> None:
    client.post("/_admin/faults", json={"global": {"p_malformed": 1.0}})
    r = client.get("/crm/api/v1/customers/CUST00001", headers=CRM)
    assert r.status_code == 200
    try:
        r.json()
        raise AssertionError("body should be malformed")
    except ValueError:
        pass
    client.post("/_admin/reset")
    assert client.get("/crm/api/v1/customers/CUST00001", headers=CRM).json()["data"]["id"]


def test_slow_and_timeout_faults_take_their_time(client: httpx.Client) -> None:
    client.post("/_admin/faults", json={"platforms": {"crm": {"p_slow": 1.0, "slow_ms": 300}}})
    t0 = time.perf_counter()
    assert _crm(client, 1) == [200]
    assert time.perf_counter() - t0 >= 0.3
    client.post(
        "/_admin/faults", json={"platforms": {"crm": {"p_timeout": 1.0, "timeout_sec": 0.4}}}
    )
    t0 = time.perf_counter()
    assert _crm(client, 1) == [504]
    assert time.perf_counter() - t0 >= 0.4


def test_bad_fault_settings_are_refused(client: httpx.Client) -> None:
    assert client.post("/_admin/faults", json={"global": {"p_5xx": 2}}).status_code == 400
    assert client.post("/_admin/faults", json={"global": {"p_lol": 0.1}}).status_code == 400


def test_rate_limit_admits_the_burst_then_refills(client: httpx.Client) -> None:
    client.post("/_admin/limits", json={"crm.api": {"limit": 10, "window_sec": 10}})
    t0 = time.monotonic()
    codes = _crm(client, 25)
    refills = int(time.monotonic() - t0)  # one token per second comes back meanwhile
    assert 10 <= codes.count(200) <= 10 + refills + 1
    assert codes[:10] == [200] * 10
    refused = client.get("/crm/api/v1/customers/CUST00001", headers=CRM)
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "1"
    time.sleep(1.1)
    assert _crm(client, 1) == [200]
    counters = client.get("/_admin/counters").json()
    assert counters["rate_limited"]["crm"] == counters["rate_limited"]["crm.api"]
    assert counters["rate_limited"]["crm"] == 25 - codes.count(200) + 1


def test_limits_are_listed_and_settable(client: httpx.Client) -> None:
    limits = client.get("/_admin/limits").json()
    assert limits["whatsapp.messages"]["limit"] == 80
    assert limits["telegram.bot"]["limit"] == 30
    client.post("/_admin/limits", json={"whatsapp.messages": {"limit": 100, "window_sec": 6}})
    assert client.get("/_admin/limits").json()["whatsapp.messages"] == {
        "limit": 100,
        "window_sec": 6,
        "burst": None,
    }
    assert (
        client.post("/_admin/limits", json={"x": {"limit": 1, "window_sec": 0}}).status_code == 400
    )


def test_price_changes_are_counted_per_sku(client: httpx.Client) -> None:
    headers = {"Authorization": f"Bearer {CREDENTIALS['website']['api_key']}"}
    for price in (100_000, 101_000):
        client.patch("/website/api/v1/products/PROD009", json={"price": price}, headers=headers)
    client.patch("/website/api/v1/products/PROD010", json={"stock": 3}, headers=headers)
    counters = client.get("/_admin/counters").json()
    assert counters["price_changes"] == {"website": {"PROD009": 2}}
    assert counters["stock_changes"] == {"website": {"PROD010": 1}}
    history = client.get("/_admin/price_history", params={"sku": "PROD009"}).json()
    assert [h["new"] for h in history["items"]] == [100_000, 101_000]


def test_a_limit_can_target_one_endpoint(client: httpx.Client) -> None:
    client.post("/_admin/limits", json={"crm.customers.get": {"limit": 2, "window_sec": 60}})
    assert _crm(client, 3) == [200, 200, 429]
    listing = client.get("/crm/api/v1/customers", params={"per_page": 1}, headers=CRM)
    assert listing.status_code == 200  # the platform's other endpoints keep their budget
    assert client.get("/_admin/counters").json()["rate_limited"]["crm.customers.get"] == 1


def test_every_platform_over_its_limit_says_when_to_come_back(client: httpx.Client) -> None:
    """One renderer adds Retry-After to every platform's 429 (the PIM's once had none)."""
    pim = {"X-API-Key": CREDENTIALS["website"]["api_key"]}
    requests = {
        "pim": lambda: client.get("/pim/api/v1/products", params={"since": 0}, headers=pim),
        "fx": lambda: client.get("/fx/api/v1/rates", params={"base": "USD",
                                                             "date": "2026-11-20"}),
        "crm": lambda: client.get("/crm/api/v1/customers/CUST00001", headers=CRM),
    }
    for name, call in requests.items():
        client.post("/_admin/limits", json={f"{name}.api": {"limit": 1, "window_sec": 60}})
        codes = [call() for _ in range(3)]
        limited = [r for r in codes if r.status_code == 429]
        assert limited, f"{name}: no 429 over a 1/min limit"
        assert all(int(r.headers["Retry-After"]) >= 1 for r in limited), name
        assert limited[0].json()["error"]["code"] == "rate_limited"
