"""Many shops per platform: the sandbox's two Shopee shops through ``ctx.platforms``,
and which accounts a job's ``inputs.accounts`` resolves to.

Each sandbox shop has its own credentials, catalogue and orders; a write through one
shop's connector lands in that shop only, and one shop's token does not open the other.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from backend.connectors.base import AuthFailed
from backend.core.config import Settings, get_settings
from backend.core.errors import NonRetryableError
from tests.sandbox_fixture import SandboxHandle, start_sandbox


@pytest.fixture(scope="module")
def box(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxHandle]:
    handle = start_sandbox(seed=42, data_dir=tmp_path_factory.mktemp("shops-box"))
    yield handle
    handle.stop()


@pytest.fixture
def installed(env: Settings, box: SandboxHandle,
              monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:  # fmt: skip
    monkeypatch.setenv("SANDBOX_PORT", box.base_url.rsplit(":", 1)[1])
    get_settings.cache_clear()
    httpx.post(f"{box.base_url}/_admin/reset").raise_for_status()
    yield get_settings()
    get_settings.cache_clear()


def _with_platforms(settings: Settings, fn: Any) -> Any:
    from backend.tools import build_tools

    async def main() -> Any:
        tools = build_tools(settings=settings, redis=None, run_id=1, job_id="shops-test")
        try:
            return await fn(tools.platforms)
        finally:
            await tools.aclose()

    return asyncio.run(main())


def _counters(box: SandboxHandle) -> dict[str, Any]:
    return dict(httpx.get(f"{box.base_url}/_admin/counters").json())


MARKETPLACES = ["shopee", "tokopedia", "tiktok_shop", "lazada", "blibli"]


@pytest.mark.parametrize("platform", MARKETPLACES)
def test_each_shop_has_its_own_catalogue(installed, box, platform):
    async def read(platforms: Any) -> dict[str, Any]:
        out = {}
        for account in ("default", "toko-b"):
            shop = platforms.catalog(platform, account=account)
            out[account] = {"listing": await shop.get_listing("PROD001"),
                            "missing": await shop.get_listing("PROD700")}  # fmt: skip
        return out

    seen = _with_platforms(installed, read)
    a, b = seen["default"], seen["toko-b"]
    assert a["missing"] is not None and b["missing"] is None  # toko-b lists the first half
    assert a["listing"].listing_id != b["listing"].listing_id
    assert b["listing"].price > a["listing"].price  # its own prices


def test_the_second_shopee_shop_lists_half_the_catalogue(installed, box):
    async def count(platforms: Any) -> list[int | None]:
        return [(await platforms.catalog("shopee", account=a).list_listings(page_size=100)).total
                for a in ("default", "toko-b")]  # fmt: skip

    assert _with_platforms(installed, count) == [1000, 500]


@pytest.mark.parametrize("platform", MARKETPLACES)
def test_a_write_lands_in_the_named_shop_only(installed, box, platform):
    async def write(platforms: Any) -> tuple[int, int]:
        b = platforms.catalog(platform, account="toko-b")
        await b.update_price("PROD002", 123_900, idempotency_key=f"shops-test-{platform}")
        a = platforms.catalog(platform)
        return (await a.get_listing("PROD002")).price, (await b.get_listing("PROD002")).price

    price_a, price_b = _with_platforms(installed, write)
    assert price_b == 123_900 and price_a != 123_900
    changes = _counters(box)["price_changes"]
    assert changes == {f"{platform}@toko-b": {"PROD002": 1}}
    history = httpx.get(f"{box.base_url}/_admin/price_history").json()["items"]
    assert [(h["platform"], h["shop"], h["new"]) for h in history] == [
        (platform, "toko-b", 123_900)]


def test_one_shops_token_does_not_open_the_other(installed, box):
    from backend.connectors.shopee import ShopeeConfig, ShopeeConnector
    from backend.sandbox.defaults import connector_defaults

    mixed = {**connector_defaults("shopee", installed),
             "access_token": connector_defaults("shopee", installed, "toko-b")["access_token"]}

    async def call() -> None:
        async with httpx.AsyncClient() as client:
            shop = ShopeeConnector(client=client, config=ShopeeConfig(**mixed))
            await shop.get_listing("PROD001")

    with pytest.raises(AuthFailed):
        asyncio.run(call())


def test_each_shop_has_its_own_orders(installed, box):
    day = date.today() - timedelta(days=2)

    async def orders(platforms: Any) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for account in ("default", "toko-b"):
            market = platforms.market("shopee", account=account)
            page = await market.orders("shopee", day=day)
            out[account] = [o.order_id for o in page.items]
        return out

    seen = _with_platforms(installed, orders)
    assert seen["default"] and seen["toko-b"]
    assert not set(seen["default"]) & set(seen["toko-b"])
    assert len(seen["toko-b"]) < len(seen["default"])


def test_an_account_neither_saved_nor_played_is_an_error(installed, box):
    async def read(platforms: Any) -> Any:
        return await platforms.catalog("shopee", account="toko-z").get_listing("PROD001")

    with pytest.raises(NonRetryableError, match="toko-z"):
        _with_platforms(installed, read)


def _save(platform: str, name: str, mode: str) -> None:
    from backend.connectors.accounts import forget_accounts
    from backend.core.db import session_scope
    from backend.core.security import encrypt_secret
    from backend.models import ConnectorAccount

    with session_scope() as session:
        session.add(ConnectorAccount(platform=platform, name=name, mode=mode, config={},
                                     secret_encrypted=encrypt_secret(json.dumps({}))))
    forget_accounts()


def test_accounts_resolve_to_live_shops_else_the_sandbox(env):
    from backend.connectors.shops import resolve_accounts

    assert resolve_accounts("shopee", None) == ["default"]
    assert resolve_accounts("shopee", "all") == ["default", "toko-b"]
    assert resolve_accounts("tiktok", "all") == ["default", "toko-b"]
    assert resolve_accounts("shopee", ["toko-b", "toko-b"]) == ["toko-b"]
    _save("shopee", "toko-a", "live")
    _save("shopee", "toko-c", "live")
    _save("shopee", "gudang", "sandbox")
    assert resolve_accounts("shopee", None) == ["toko-a", "toko-c"]
    assert resolve_accounts("shopee", "all") == ["toko-a", "toko-c"]
    assert resolve_accounts("lazada", None) == ["default"]


def test_the_validator_names_unknown_platforms_and_accounts(env):
    from backend.connectors.shops import account_problems

    _save("shopee", "toko-a", "live")
    problems = account_problems({"shopee": ["toko-a", "toko-b", "toko-x"], "shopy": ["a"],
                                 "lazada": "semua", "tiktok": "all"})  # fmt: skip
    by_path = {p.path: p.message for p in problems}
    assert set(by_path) == {"inputs.accounts.shopee[2]", "inputs.accounts.shopy",
                            "inputs.accounts.lazada"}  # fmt: skip
    assert "toko-x" in by_path["inputs.accounts.shopee[2]"]
    assert "toko-a" in by_path["inputs.accounts.shopee[2]"]  # the known ones are listed
    # The editor says the same in the reader's language.
    from backend.core.messages import render_message

    said = {p.path: render_message({"key": p.key, "params": p.params}, "id") for p in problems}
    assert said["inputs.accounts.shopee[2]"].startswith("akun shopee 'toko-x' tidak dikenal")
    assert said["inputs.accounts.lazada"] == 'daftar nama akun, atau "all"'
    assert account_problems(None) == []
    assert [p.path for p in account_problems(["shopee"])] == ["inputs.accounts"]


def test_a_job_naming_an_unknown_account_is_a_422(api):
    spec = {"job_id": "two-shops", "type": "agent.workflow", "workflow": "price_intelligence",
            "schedule": {"interval_sec": 300},
            "inputs": {"products": [{"sku": "PROD001", "my_price": 100_000}],
                       "marketplaces": ["shopee"],
                       "accounts": {"shopee": ["default", "toko-x"]}}}
    refused = api.post("/jobs", json=spec)
    assert refused.status_code == 422
    assert [e["path"] for e in refused.json()["errors"]] == ["inputs.accounts.shopee[1]"]
    spec["inputs"]["accounts"] = {"shopee": ["default", "toko-b"]}
    assert api.post("/jobs", json=spec).status_code == 201


def test_a_crisis_watch_keeps_its_own_list_of_social_accounts(api):
    """``accounts`` of a crisis watch are the social accounts it reads, not shops."""
    from tests.conftest import SEED_JOBS

    spec = json.loads((SEED_JOBS / "social-media-crisis-monitor.json").read_text())
    assert isinstance(spec["inputs"]["accounts"], list)
    assert api.post("/jobs", json=spec).status_code == 201


def test_settings_lists_every_shop_per_platform_never_a_secret(api):
    from backend.connectors.forms import account_form, shop_overview
    from backend.core.db import session_scope

    live = {"mode": "live", "settings": {
        "base_url": "https://partner.shopeemobile.com", "partner_id": 2001,
        "partner_key": "live-partner-key-toko-a", "shop_id": 77,
        "access_token": "live-access-toko-a", "refresh_token": "live-refresh-toko-a"}}
    assert api.put("/connectors/shopee/toko-a", json=live).status_code == 200
    with session_scope() as session:
        rows = shop_overview(session=session)
        form = account_form(session=session, platform="shopee", name="toko-a")
    shopee = [(r["account"], r["mode"], r["saved"]) for r in rows if r["platform"] == "shopee"]
    assert shopee == [("default", "sandbox", False), ("toko-b", "sandbox", False),
                      ("toko-a", "live", True)]  # fmt: skip
    assert [r["account"] for r in rows if r["platform"] == "blibli"] == ["default", "toko-b"]
    assert [r["account"] for r in rows if r["platform"] == "website"] == ["default"]
    assert "tiktok" not in {r["platform"] for r in rows}  # TikTok Shop's alias, listed once
    assert form["mode"] == "live" and form["form_values"]["shop_id"] == 77
    assert "partner_key" in form["secrets_set"]
    assert "live-partner-key-toko-a" not in repr(rows) + repr(form)
