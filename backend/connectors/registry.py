"""Build a catalog connector by platform name (the names the job specs use)."""

from __future__ import annotations

from typing import Any

import httpx

from backend.connectors.blibli import BlibliConnector
from backend.connectors.catalog import CatalogConnector
from backend.connectors.google_shopping import GoogleShoppingConnector
from backend.connectors.idealo import IdealoConnector
from backend.connectors.lazada import LazadaConnector
from backend.connectors.meta_shop import FacebookShopConnector, InstagramShopConnector
from backend.connectors.priceza import PricezaConnector
from backend.connectors.shopee import ShopeeConnector
from backend.connectors.tiktok_shop import TikTokShopConnector, TokopediaConnector
from backend.connectors.website import WebsiteConnector

__all__ = ["CATALOG_PLATFORMS", "catalog_connector"]

CATALOG_PLATFORMS: dict[str, Any] = {
    "shopee": ShopeeConnector,
    "tokopedia": TokopediaConnector,
    "tiktok_shop": TikTokShopConnector,
    "tiktok": TikTokShopConnector,
    "lazada": LazadaConnector,
    "blibli": BlibliConnector,
    "instagram_shop": InstagramShopConnector,
    "facebook_shop": FacebookShopConnector,
    "website": WebsiteConnector,
    "google_shopping": GoogleShoppingConnector,
    "priceza": PricezaConnector,
    "idealo": IdealoConnector,
}


def catalog_connector(
    platform: str, *, client: httpx.AsyncClient, config: Any = None
) -> CatalogConnector:
    """The connector of ``platform`` (config None = the sandbox defaults)."""
    try:
        cls = CATALOG_PLATFORMS[platform]
    except KeyError:
        raise ValueError(f"unknown catalog platform {platform!r}") from None
    return cls(client=client, config=config)  # type: ignore[no-any-return]
