"""Build a catalog connector by platform name (the names the job specs use).

With no explicit config the platform's live account from Settings is used, or the
sandbox defaults when there is none (see :mod:`backend.connectors.runtime`).
"""

from __future__ import annotations

import inspect
from typing import Any

import httpx
from pydantic import BaseModel

from backend.connectors.blibli import BlibliConfig, BlibliConnector
from backend.connectors.catalog import CatalogConnector
from backend.connectors.google_shopping import GoogleShoppingConfig, GoogleShoppingConnector
from backend.connectors.idealo import IdealoConfig, IdealoConnector
from backend.connectors.lazada import LazadaConfig, LazadaConnector
from backend.connectors.meta_shop import (
    FacebookShopConnector,
    InstagramShopConnector,
    MetaShopConfig,
)
from backend.connectors.priceza import PricezaConfig, PricezaConnector
from backend.connectors.runtime import connector_config, token_saver
from backend.connectors.shopee import ShopeeConfig, ShopeeConnector
from backend.connectors.tiktok_shop import (
    TikTokShopConfig,
    TikTokShopConnector,
    TokopediaConfig,
    TokopediaConnector,
)
from backend.connectors.website import WebsiteConfig, WebsiteConnector

__all__ = ["CATALOG_PLATFORMS", "catalog_connector"]

# platform -> (connector class, its config model)
CATALOG_PLATFORMS: dict[str, tuple[Any, type[BaseModel]]] = {
    "shopee": (ShopeeConnector, ShopeeConfig),
    "tokopedia": (TokopediaConnector, TokopediaConfig),
    "tiktok_shop": (TikTokShopConnector, TikTokShopConfig),
    "tiktok": (TikTokShopConnector, TikTokShopConfig),
    "lazada": (LazadaConnector, LazadaConfig),
    "blibli": (BlibliConnector, BlibliConfig),
    "instagram_shop": (InstagramShopConnector, MetaShopConfig),
    "facebook_shop": (FacebookShopConnector, MetaShopConfig),
    "website": (WebsiteConnector, WebsiteConfig),
    "google_shopping": (GoogleShoppingConnector, GoogleShoppingConfig),
    "priceza": (PricezaConnector, PricezaConfig),
    "idealo": (IdealoConnector, IdealoConfig),
}


def catalog_connector(
    platform: str, *, client: httpx.AsyncClient, config: Any = None
) -> CatalogConnector:
    """The connector of ``platform`` (config None = its live account, else the sandbox)."""
    try:
        cls, model = CATALOG_PLATFORMS[platform]
    except KeyError:
        raise ValueError(f"unknown catalog platform {platform!r}") from None
    if config is None:
        config = connector_config(platform, model)
        if config is not None and "on_token_refresh" in inspect.signature(cls).parameters:
            return cls(client=client, config=config, on_token_refresh=token_saver(platform))
    return cls(client=client, config=config)  # type: ignore[no-any-return]
