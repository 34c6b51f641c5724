"""Idempotency-Key under concurrency: two racing requests with one key act once."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from backend.sandbox.credentials import CREDENTIALS
from tests.sandbox_fixture import SandboxHandle

pytestmark = pytest.mark.anyio
SMS = CREDENTIALS["sms"]


async def test_racing_duplicates_get_the_first_answer(sandbox: SandboxHandle) -> None:
    # SMS is slow here so both requests are in flight together.
    httpx.post(
        f"{sandbox.base_url}/_admin/faults",
        json={"platforms": {"sms": {"p_slow": 1.0, "slow_ms": 200}}},
    )
    url = f"{sandbox.base_url}/sms/2010-04-01/Accounts/{SMS['account_sid']}/Messages.json"
    form = {"To": "+6281234500001", "From": SMS["from_number"], "Body": "Kode OTP 1234"}
    async with httpx.AsyncClient(auth=(SMS["account_sid"], SMS["auth_token"])) as client:
        first, second = await asyncio.gather(
            *(client.post(url, data=form, headers={"Idempotency-Key": "otp-1"}) for _ in range(2))
        )
    assert first.status_code == second.status_code == 201
    assert first.json()["sid"] == second.json()["sid"]
    counters = httpx.get(f"{sandbox.base_url}/_admin/counters").json()
    assert counters["messages"]["sms"] == {"+6281234500001": 1}
    assert counters["duplicates"]["sms"] == 1


async def test_a_refused_first_attempt_is_not_replayed(sandbox: SandboxHandle) -> None:
    url = f"{sandbox.base_url}/sms/2010-04-01/Accounts/{SMS['account_sid']}/Messages.json"
    form = {"To": "+6281234500002", "From": SMS["from_number"], "Body": "Halo"}
    httpx.post(f"{sandbox.base_url}/_admin/faults", json={"platforms": {"sms": {"p_5xx": 1.0}}})
    async with httpx.AsyncClient(auth=(SMS["account_sid"], SMS["auth_token"])) as client:
        failed = await client.post(url, data=form, headers={"Idempotency-Key": "k-5xx"})
        httpx.post(f"{sandbox.base_url}/_admin/faults", json={"platforms": {"sms": None}})
        retried = await client.post(url, data=form, headers={"Idempotency-Key": "k-5xx"})
    assert failed.status_code >= 500 and retried.status_code == 201
    counters = httpx.get(f"{sandbox.base_url}/_admin/counters").json()
    assert counters["messages"]["sms"] == {"+6281234500002": 1}
    assert counters["duplicates"].get("sms", 0) == 0
