"""Every catalog connector against the sandbox: the same promises on ten platforms.

Signed/authenticated calls are accepted, wrong credentials are refused with the
platform's own error (AuthFailed), 429 becomes RateLimited with retry_after, repeated
idempotency keys are counted as duplicates and applied once, and upserts by SKU work.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from backend.connectors.base import AuthFailed, RateLimited, Rejected
from backend.connectors.blibli import BlibliConfig
from backend.connectors.google_api import GoogleOAuthConfig
from backend.connectors.google_shopping import GoogleShoppingConfig
from backend.connectors.idealo import IdealoConfig
from backend.connectors.lazada import LazadaConfig
from backend.connectors.meta_shop import MetaShopConfig
from backend.connectors.priceza import PricezaConfig
from backend.connectors.registry import catalog_class
from backend.connectors.shopee import ShopeeConfig
from backend.connectors.tiktok_shop import TikTokShopConfig, TokopediaConfig
from backend.connectors.types import Listing
from backend.connectors.website import WebsiteConfig
from tests.connectors.platform_support import admin, client, sandbox, sandbox_handle
from tests.sandbox_fixture import SandboxHandle

__all__ = ["client", "sandbox", "sandbox_handle"]
pytestmark = pytest.mark.anyio

PLATFORMS = [
    "shopee",
    "tokopedia",
    "tiktok_shop",
    "lazada",
    "blibli",
    "instagram_shop",
    "facebook_shop",
    "website",
    "google_shopping",
    "priceza",
    "idealo",
]
BAD = SecretStr("wrong-secret")


def _config(platform: str, base: str, *, bad: bool = False) -> Any:
    """The sandbox config of ``platform`` at ``base``; ``bad`` spoils its secret."""
    b = base
    if platform == "shopee":
        return ShopeeConfig(base_url=f"{b}/shopee", **({"partner_key": BAD} if bad else {}))
    if platform in ("tokopedia", "tiktok_shop"):
        cls = TokopediaConfig if platform == "tokopedia" else TikTokShopConfig
        prefix = "/tokopedia" if platform == "tokopedia" else "/tiktok-shop"
        return cls(base_url=b + prefix, auth_base_url=b + "/tiktok-shop-auth",
                   **({"app_secret": BAD} if bad else {}))
    if platform == "lazada":
        return LazadaConfig(base_url=f"{b}/lazada/rest", auth_base_url=f"{b}/lazada-auth/rest",
                            **({"app_secret": BAD} if bad else {}))
    if platform == "blibli":
        return BlibliConfig(
            base_url=f"{b}/blibli/proxy/seller/v1", **({"client_secret": BAD} if bad else {})
        )
    if platform in ("instagram_shop", "facebook_shop"):
        return MetaShopConfig.for_platform(
            platform, base_url=b, **({"access_token": BAD} if bad else {})
        )
    if platform == "website":
        return WebsiteConfig(base_url=f"{b}/website/api/v1", **({"api_key": BAD} if bad else {}))
    if platform == "google_shopping":
        oauth = GoogleOAuthConfig(
            token_url=f"{b}/google/oauth2/token",
            **({"access_token": BAD, "client_secret": BAD} if bad else {}),
        )
        return GoogleShoppingConfig(base_url=f"{b}/google/content/v2.1", oauth=oauth)
    if platform == "priceza":
        return PricezaConfig(base_url=f"{b}/priceza/api/v1", **({"api_key": BAD} if bad else {}))
    if platform == "idealo":
        return IdealoConfig(
            base_url=f"{b}/idealo/api/v2", **({"client_secret": BAD} if bad else {})
        )
    raise AssertionError(platform)


def _connector(
    platform: str, sandbox: SandboxHandle, client: httpx.AsyncClient, *, bad: bool = False
) -> Any:
    cls, _ = catalog_class(platform)
    return cls(client=client, config=_config(platform, sandbox.base_url, bad=bad))


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_lists_and_reads_our_listings(platform, sandbox, client) -> None:
    conn = _connector(platform, sandbox, client)
    page = await conn.list_listings(page_size=5)
    assert len(page.items) == 5 and page.next_cursor is not None
    assert page.items[0].sku == "PROD001" and page.items[0].price == 150_000
    second = await conn.list_listings(cursor=page.next_cursor, page_size=5)
    assert second.items[0].sku == "PROD006"
    listing = await conn.get_listing("PROD003")
    assert listing is not None and listing.sku == "PROD003" and listing.price > 0
    assert await conn.get_listing("NOPE-404") is None


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_price_update_lands_once_despite_a_repeat(platform, sandbox, client) -> None:
    conn = _connector(platform, sandbox, client)
    await conn.update_price("PROD003", 123_400, idempotency_key=f"job:PROD003:{platform}:123400")
    await conn.update_price("PROD003", 123_400, idempotency_key=f"job:PROD003:{platform}:123400")
    listing = await conn.get_listing("PROD003")
    assert listing is not None and listing.price == 123_400
    counters = admin(sandbox, "counters")
    assert counters["price_changes"][platform] == {"PROD003": 1}
    assert counters["duplicates"][platform] == 1


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_upsert_creates_then_updates_by_sku(platform, sandbox, client) -> None:
    conn = _connector(platform, sandbox, client)
    new = Listing(
        platform=platform,
        sku="NEW-TAS-01",
        title="Kirana Tas Gym Waterproof - Navy",
        price=189_900,
        stock=40,
        description="Tas gym anti air, muat banyak.",
        images=(f"{sandbox.base_url}/img/PROD150/1.jpg",),
    )
    assert await conn.get_listing("NEW-TAS-01") is None
    await conn.upsert_listing(new, idempotency_key=f"sync:{platform}:NEW-TAS-01:v1")
    created = await conn.get_listing("NEW-TAS-01")
    assert created is not None and created.title == new.title and created.price == 189_900
    changed = Listing(**{**{f: getattr(new, f) for f in new.__slots__}, "price": 179_900})
    await conn.upsert_listing(changed, idempotency_key=f"sync:{platform}:NEW-TAS-01:v2")
    updated = await conn.get_listing("NEW-TAS-01")
    assert updated is not None and updated.price == 179_900
    assert admin(sandbox, "counters")["listing_writes"][platform] == {"NEW-TAS-01": 2}


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_wrong_credentials_are_refused(platform, sandbox, client) -> None:
    conn = _connector(platform, sandbox, client, bad=True)
    with pytest.raises(AuthFailed) as info:
        await conn.list_listings(page_size=2)
    assert info.value.platform == platform
    assert not info.value.retryable


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_over_the_limit_is_rate_limited_with_retry_after(platform, sandbox, client) -> None:
    admin(sandbox, "limits", {f"{platform}.api": {"limit": 2, "window_sec": 30}})
    conn = _connector(platform, sandbox, client)
    with pytest.raises(RateLimited) as info:
        for _ in range(4):
            await conn.update_price("PROD004", 99_900)
    assert info.value.retry_after >= 1
    assert admin(sandbox, "counters")["rate_limited"][platform] >= 1


@pytest.mark.parametrize(
    "platform", ["shopee", "tokopedia", "tiktok_shop", "lazada", "google_shopping", "idealo"]
)
async def test_expired_token_is_refreshed_and_the_call_succeeds(platform, sandbox, client) -> None:
    conn = _connector(platform, sandbox, client)
    await conn.get_listing("PROD005")  # a live token first (idealo fetches its own)
    assert admin(sandbox, "tokens/expire", {"platform": platform})["expired"] >= 1
    await conn.update_price("PROD005", 88_800)
    assert conn.tokens.refreshes >= 1
    listing = await conn.get_listing("PROD005")
    assert listing is not None and listing.price == 88_800
    assert admin(sandbox, "counters")["auth_failures"][platform] >= 1


@pytest.mark.parametrize("platform", ["shopee", "tokopedia", "lazada", "blibli", "website"])
async def test_image_upload_returns_a_platform_reference(platform, sandbox, client) -> None:
    image = (await client.get(f"{sandbox.base_url}/img/PROD001/1.jpg")).content
    ref = await _connector(platform, sandbox, client).upload_image(image, filename="p1.jpg")
    assert ref.platform == platform and ref.image_id and ref.url.startswith("http")
    assert admin(sandbox, "counters")["image_uploads"][platform] == 1


@pytest.mark.parametrize(
    ("platform", "platform_error"),
    [
        ("shopee", "error_sign"),
        ("tokopedia", "106001"),
        ("tiktok_shop", "106001"),
        ("lazada", "IncompleteSignature"),
    ],
)
async def test_a_wrong_signature_gets_the_platforms_own_error(
    platform, platform_error, sandbox, client
) -> None:
    with pytest.raises(AuthFailed) as info:
        await _connector(platform, sandbox, client, bad=True).update_price("PROD001", 1000)
    assert platform_error in str(info.value)
    counters = admin(sandbox, "counters")
    assert counters["price_changes"] == {}


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_changing_an_unlisted_sku_is_rejected_not_retried(platform, sandbox, client) -> None:
    with pytest.raises(Rejected) as info:
        await _connector(platform, sandbox, client).update_price("NOT-LISTED-9", 10_000)
    assert not info.value.retryable and info.value.platform == platform
    assert admin(sandbox, "counters")["price_changes"] == {}
