"""``ctx.platforms``: a live account saved for a platform is where its calls go.

Two sandboxes run: the one the install's defaults point at, and a second one playing
the shop's real platforms (a "live" account whose base URL is its address). For every
connector the door hands out, a call made through ``Platforms`` must reach the live
one and never the defaults; with no live account, the defaults.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterator
from datetime import date
from typing import Any

import httpx
import pytest

from backend.connectors.base import ConnectorError
from backend.connectors.messages import OutboundMessage
from backend.connectors.runtime import Platforms
from backend.core.config import Settings, get_settings
from backend.core.errors import NonRetryableError
from backend.sandbox.defaults import connector_defaults
from tests.sandbox_fixture import SandboxHandle, start_sandbox

DAY = date(2026, 11, 20)
Call = Callable[[Platforms], Awaitable[Any]]


def _listings(platform: str) -> Call:
    return lambda p: p.catalog(platform).list_listings(page_size=1)


def _ads(platform: str) -> Call:
    return lambda p: p.ads(platform).daily_rows(start=DAY, end=DAY)


def _send(channel: str, to: str) -> Call:
    message = OutboundMessage(to=to, text="halo", subject="halo")
    return lambda p: p.channel(channel).send(message, idempotency_key=f"live-{channel}")


CALLS: dict[str, Call] = {
    **{name: _listings(name) for name in (
        "shopee", "tokopedia", "tiktok_shop", "lazada", "blibli", "instagram_shop",
        "facebook_shop", "website", "google_shopping", "priceza", "idealo")},
    "market": lambda p: p.market("shopee").daily_stats("shopee", start=DAY, end=DAY),
    "inventory": lambda p: p.inventory().products(["PROD001"]),
    "pim": lambda p: p.pim().changed_products(since=0, page_size=1),
    "crm": lambda p: p.crm().customers(),
    "social": lambda p: p.social().insights("instagram", "brand_official", start=DAY, end=DAY),
    "google_analytics": lambda p: p.analytics().report(start=DAY, end=DAY, dimensions=["date"],
                                                       metrics=["sessions"]),
    "fx": lambda p: p.fx().to_idr("USD", DAY),
    **{name: _ads(name) for name in ("facebook_ads", "google_ads", "tiktok_ads")},
    "whatsapp": _send("whatsapp", "6281234567001"),
    "telegram": _send("telegram", "100200300"),
    "sms": _send("sms", "+6281234567001"),
    "email": _send("email", "owner@toko.example"),
}  # fmt: skip


@pytest.fixture(scope="module")
def boxes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SandboxHandle, ...]]:
    default = start_sandbox(seed=42, data_dir=tmp_path_factory.mktemp("default-box"))
    live = start_sandbox(seed=42, data_dir=tmp_path_factory.mktemp("live-box"))
    yield default, live
    default.stop()
    live.stop()


@pytest.fixture
def installed(env: Settings, boxes: tuple[SandboxHandle, ...],
              monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:  # fmt: skip
    """The install with its defaults at the first sandbox."""
    default, _ = boxes
    monkeypatch.setenv("SANDBOX_PORT", default.base_url.rsplit(":", 1)[1])
    monkeypatch.setenv("SMTP_PORT", str(default.smtp_port))
    get_settings.cache_clear()
    for box in boxes:
        httpx.post(f"{box.base_url}/_admin/reset").raise_for_status()
    yield get_settings()
    get_settings.cache_clear()


def _live_settings(platform: str, live: SandboxHandle) -> dict[str, Any]:
    """What a person would save for ``platform``: the live platform's address and the
    credentials it accepts (the live sandbox takes the demo ones)."""
    if platform == "email":
        return {"host": "127.0.0.1", "port": live.smtp_port, "sender": "Toko <halo@toko.example>"}
    at = Settings(sandbox_port=int(live.base_url.rsplit(":", 1)[1]))
    values = connector_defaults(platform, at)
    if platform in ("google_analytics", "google_ads", "google_shopping"):
        values["oauth"] = connector_defaults("google_oauth", at)
    return values


def _save_live(platform: str, values: dict[str, Any]) -> None:
    """Store a live account as Settings would (secrets encrypted), without its https
    check: the live platform here is a loopback server."""
    from backend.connectors.accounts import forget_accounts
    from backend.connectors.registry import account_models
    from backend.connectors.secret_fields import shape_of, split_secrets
    from backend.core.db import session_scope
    from backend.core.security import encrypt_secret
    from backend.models import ConnectorAccount

    public, secrets = split_secrets(values, shape_of(account_models()[platform]))
    with session_scope() as session:
        session.add(ConnectorAccount(platform=platform, name="default", mode="live",
                                     config=public,
                                     secret_encrypted=encrypt_secret(json.dumps(secrets))))
    forget_accounts()


def _seen(box: SandboxHandle) -> int:
    counters = httpx.get(f"{box.base_url}/_admin/counters").json()
    mail = httpx.get(f"{box.base_url}/_admin/mail").json()
    return sum(counters["requests"].values()) + mail["count"]


def _through_the_door(settings: Settings, call: Call) -> None:
    from backend.tools import build_tools

    async def main() -> None:
        tools = build_tools(settings=settings, redis=None, run_id=1, job_id="live-test")
        try:
            await call(tools.platforms)
        except (ConnectorError, NonRetryableError):
            pass  # the platform answered; where the request went is what counts
        finally:
            await tools.aclose()

    asyncio.run(main())


@pytest.mark.parametrize("platform", sorted(CALLS))
def test_a_live_account_is_where_the_calls_go(installed, boxes, platform):
    default, live = boxes
    _save_live(platform, _live_settings(platform, live))
    _through_the_door(installed, CALLS[platform])
    assert _seen(live) > 0, f"{platform}: the live platform got no request"
    assert _seen(default) == 0, f"{platform}: a call went to the defaults (the sandbox)"


@pytest.mark.parametrize("platform", ["shopee", "crm", "whatsapp"])
def test_without_a_live_account_the_defaults_are_used(installed, boxes, platform):
    default, live = boxes
    _through_the_door(installed, CALLS[platform])
    assert _seen(default) > 0 and _seen(live) == 0


def test_crisis_auto_replies_go_to_the_live_social_account(installed, boxes):
    """The auto-reply connector used to be built with the sandbox's settings whatever
    was saved: a live shop's replies went to the sandbox."""
    default, live = boxes
    _save_live("social", _live_settings("social", live))
    _through_the_door(installed, lambda p: p.social_replies().reply(
        "twitter", "1000000000000000001", "Mohon maaf, Kak.", idempotency_key="reply-1"))
    assert _seen(live) > 0 and _seen(default) == 0


def test_a_dry_run_keeps_the_defaults_whatever_is_live(installed, boxes):
    from backend.connectors.runtime import sandbox_only

    default, live = boxes
    _save_live("shopee", _live_settings("shopee", live))
    with sandbox_only():
        _through_the_door(installed, CALLS["shopee"])
    assert _seen(default) > 0 and _seen(live) == 0


def test_a_job_saying_tiktok_uses_the_tiktok_shop_account(installed, boxes):
    """The seed's price watch names its marketplace "tiktok"; Settings keeps TikTok Shop's
    account as tiktok_shop, and offers no second "TikTok Shop" row for the alias."""
    from backend.connectors.registry import account_models

    assert "tiktok" not in account_models() and "tiktok_shop" in account_models()
    default, live = boxes
    _save_live("tiktok_shop", _live_settings("tiktok_shop", live))
    _through_the_door(installed, _listings("tiktok"))
    assert _seen(live) > 0, "a job's 'tiktok' did not reach the saved TikTok Shop account"
    assert _seen(default) == 0
