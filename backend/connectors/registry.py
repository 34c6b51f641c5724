"""Which connector class and settings model serve each platform name (the names job
specs and saved accounts use). Building a connector for a run, with its account, is
:mod:`backend.connectors.runtime`'s job; this module only knows the classes.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from backend.connectors.blibli import BlibliConfig, BlibliConnector
from backend.connectors.crm import CrmConfig, CrmConnector
from backend.connectors.email import EmailConfig, EmailConnector
from backend.connectors.facebook_ads import FacebookAdsConfig, FacebookAdsConnector
from backend.connectors.fx import FxConfig, FxConnector
from backend.connectors.google_ads import GoogleAdsConfig, GoogleAdsConnector
from backend.connectors.google_analytics import GoogleAnalyticsConfig, GoogleAnalyticsConnector
from backend.connectors.google_shopping import GoogleShoppingConfig, GoogleShoppingConnector
from backend.connectors.idealo import IdealoConfig, IdealoConnector
from backend.connectors.inventory import InventoryConfig, InventoryConnector
from backend.connectors.lazada import LazadaConfig, LazadaConnector
from backend.connectors.market import MarketConfig, MarketConnector
from backend.connectors.meta_shop import (
    FacebookShopConnector,
    InstagramShopConnector,
    MetaShopConfig,
)
from backend.connectors.pim import PimConfig, PimConnector
from backend.connectors.priceza import PricezaConfig, PricezaConnector
from backend.connectors.shopee import ShopeeConfig, ShopeeConnector
from backend.connectors.sms import SmsConfig, SmsConnector
from backend.connectors.social import SocialConfig, SocialConnector
from backend.connectors.telegram import TelegramConfig, TelegramConnector
from backend.connectors.tiktok_ads import TikTokAdsConfig, TikTokAdsConnector
from backend.connectors.tiktok_shop import (
    TikTokShopConfig,
    TikTokShopConnector,
    TokopediaConfig,
    TokopediaConnector,
)
from backend.connectors.website import WebsiteConfig, WebsiteConnector
from backend.connectors.whatsapp import WhatsAppConfig, WhatsAppConnector

__all__ = ["CATALOG_PLATFORMS", "ADS_PLATFORMS", "CHANNELS", "DATA_SOURCES", "account_models",
           "catalog_class", "account_platform"]  # fmt: skip

# Marketplace names jobs use for a platform whose accounts are saved under another (the
# seed's price watch says "tiktok"; Settings keeps TikTok Shop's accounts as tiktok_shop).
ACCOUNT_ALIASES = {"tiktok": "tiktok_shop"}


def account_platform(name: str) -> str:
    """The platform a job's marketplace name keeps its accounts under."""
    return ACCOUNT_ALIASES.get(name, name)

# platform -> (connector class, its settings model)
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
ADS_PLATFORMS: dict[str, tuple[Any, type[BaseModel]]] = {
    "facebook_ads": (FacebookAdsConnector, FacebookAdsConfig),
    "google_ads": (GoogleAdsConnector, GoogleAdsConfig),
    "tiktok_ads": (TikTokAdsConnector, TikTokAdsConfig),
}
CHANNELS: dict[str, tuple[Any, type[BaseModel]]] = {
    "whatsapp": (WhatsAppConnector, WhatsAppConfig),
    "telegram": (TelegramConnector, TelegramConfig),
    "sms": (SmsConnector, SmsConfig),
    "email": (EmailConnector, EmailConfig),
}
# The shop's data and services that are not a catalog, an ad account or a channel.
DATA_SOURCES: dict[str, tuple[Any, type[BaseModel]]] = {
    "market": (MarketConnector, MarketConfig),
    "inventory": (InventoryConnector, InventoryConfig),
    "pim": (PimConnector, PimConfig),
    "crm": (CrmConnector, CrmConfig),
    "social": (SocialConnector, SocialConfig),
    "google_analytics": (GoogleAnalyticsConnector, GoogleAnalyticsConfig),
    "fx": (FxConnector, FxConfig),
}


def account_models() -> dict[str, type[BaseModel]]:
    """Platform → the settings model its account fills in (Settings → Connectors); an
    alias has no accounts of its own."""
    return {name: model for table in (CATALOG_PLATFORMS, ADS_PLATFORMS, CHANNELS, DATA_SOURCES)
            for name, (_, model) in table.items() if name not in ACCOUNT_ALIASES}  # fmt: skip


def catalog_class(platform: str) -> tuple[Any, type[BaseModel]]:
    """The connector class and settings model of a catalog platform."""
    try:
        return CATALOG_PLATFORMS[platform]
    except KeyError:
        raise ValueError(f"unknown catalog platform {platform!r}") from None
