"""The http tool against the sandbox: its 429s obeyed, its faults retried, its dedup used."""

from __future__ import annotations

import asyncio

import pytest

from backend.connectors.base import TransientError
from backend.sandbox.credentials import credentials_for
from backend.tools.http import HttpTool
from tests.connectors.messaging_support import admin, sandbox, sandbox_handle

__all__ = ["sandbox", "sandbox_handle"]
pytestmark = pytest.mark.anyio

WA = credentials_for("whatsapp")


def _message(to: str) -> dict:
    return {
        "messaging_product": "whatsapp",
        "to": to,
        "type": "template",
        "template": {"name": "hello_world", "language": {"code": "en_US"}},
    }


async def _post(http: HttpTool, base: str, to: str, key: str):
    return await http.post(
        f"{base}/{WA['api_version']}/{WA['phone_number_id']}/messages",
        json=_message(to),
        headers={"Authorization": f"Bearer {WA['access_token']}", "Idempotency-Key": key},
        platform="whatsapp",
    )


async def test_retry_after_obeyed_until_every_call_passes(settings, sandbox) -> None:
    admin(sandbox, "limits", {"whatsapp.messages": {"limit": 2, "window_sec": 1}})
    http = HttpTool(settings=settings, retries=5)
    try:
        responses = await asyncio.gather(
            *(_post(http, sandbox.base_url, f"62811000000{i}", f"k{i}") for i in range(5))
        )
    finally:
        await http.aclose()
    assert [r.status_code for r in responses] == [200] * 5
    counters = admin(sandbox, "counters")
    assert counters["rate_limited"]["whatsapp"] >= 1  # the sandbox did push back
    assert sum(counters["messages"]["whatsapp"].values()) == 5


async def test_keyed_post_retried_through_5xx_without_duplicates(settings, sandbox) -> None:
    admin(sandbox, "faults", {"platforms": {"whatsapp": {"p_5xx": 0.5}}})
    http = HttpTool(settings=settings, retries=8, backoff_base_sec=0.01)
    try:
        responses = [
            await _post(http, sandbox.base_url, f"62812000000{i}", f"f{i}") for i in range(6)
        ]
        admin(sandbox, "faults", {"platforms": {"whatsapp": {"p_5xx": 1.0}}})
        with pytest.raises(TransientError, match="HTTP 5"):
            await _post(http, sandbox.base_url, "628130000000", "down")
    finally:
        await http.aclose()
    assert all(r.status_code == 200 for r in responses)
    counters = admin(sandbox, "counters")
    assert counters["faults"]  # faults were injected and survived
    assert counters["messages"]["whatsapp"] == {f"62812000000{i}": 1 for i in range(6)}
