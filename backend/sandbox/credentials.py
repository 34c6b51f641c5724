"""The test credentials the sandbox expects, in one place.

Connectors' default configs read these, so a fresh install talks to the sandbox with
no setup. They are public test values, not secrets: the sandbox is loopback-only and
`GET /_admin/credentials` returns them. Real credentials never live here.
"""

from __future__ import annotations

from typing import Any

__all__ = ["CREDENTIALS", "SHOPS", "DEFAULT_SHOP", "credentials_for", "shop_names",
           "shop_credentials"]

CREDENTIALS: dict[str, dict[str, Any]] = {
    # Messaging
    "whatsapp": {
        "access_token": "EAASANDBOXwhatsappTOKEN0000000000",
        "phone_number_id": "106540352242922",
        "waba_id": "102290129340398",
        "api_version": "v19.0",
        # The Meta app's secret: signs status webhooks (X-Hub-Signature-256).
        "app_secret": "sandbox-whatsapp-app-secret-5e4d3c2b",
        "verify_token": "sandbox-whatsapp-verify-token",
    },
    "telegram": {"bot_token": "7000000001:AAsandboxTelegramBotToken_abcdefghij"},
    "sms": {
        "account_sid": "AC00000000000000000000000000000042",
        "auth_token": "sandbox-sms-auth-token-0000000000",
        "from_number": "+15005550006",
        "messaging_service_sid": "MG00000000000000000000000000000042",
    },
    "email": {"smtp_user": "", "smtp_password": ""},
    # Marketplaces (own shop)
    "shopee": {
        "partner_id": 2001887,
        "partner_key": "shpk-sandbox-partner-key-7a6b5c4d3e2f1a0b",
        "shop_id": 600100,
        "access_token": "shopee-sandbox-access-token-0001",
        "refresh_token": "shopee-sandbox-refresh-token-0001",
        "auth_code": "shopee-sandbox-auth-code",
    },
    "tiktok_shop": {
        "app_key": "6a1sandboxttsapp",
        "app_secret": "tts-sandbox-app-secret-9f8e7d6c",
        "shop_cipher": "ROW_sandboxTikTokShopCipher",
        "access_token": "tts-sandbox-access-token-0001",
        "refresh_token": "tts-sandbox-refresh-token-0001",
    },
    "tokopedia": {
        "app_key": "6a1sandboxtokped",
        "app_secret": "tokopedia-sandbox-app-secret-1a2b3c",
        "shop_cipher": "ROW_sandboxTokopediaShopCipher",
        "access_token": "tokopedia-sandbox-access-token-0001",
        "refresh_token": "tokopedia-sandbox-refresh-token-0001",
    },
    "lazada": {
        "app_key": "120001",
        "app_secret": "lazada-sandbox-app-secret-00aa11bb",
        "access_token": "lazada-sandbox-access-token-0001",
        "refresh_token": "lazada-sandbox-refresh-token-0001",
    },
    "blibli": {
        "client_id": "sandbox-blibli-client",
        "client_secret": "sandbox-blibli-client-secret",
        "api_seller_key": "sandbox-blibli-seller-key",
        "store_code": "SPI-60001",
    },
    "instagram_shop": {"access_token": "EAASANDBOXmetaCatalogTOKEN", "catalog_id": "880011"},
    "facebook_shop": {"access_token": "EAASANDBOXmetaCatalogTOKEN", "catalog_id": "880022"},
    "website": {"api_key": "sandbox-website-api-key"},
    "google_shopping": {
        "merchant_id": "5550001",
        "client_id": "sandbox-google-client.apps.googleusercontent.com",
        "client_secret": "sandbox-google-client-secret",
        "access_token": "ya29.sandbox-google-access-token-0001",
        "refresh_token": "1//sandbox-google-refresh-token",
    },
    "priceza": {"merchant_id": "PZ-7001", "api_key": "sandbox-priceza-api-key"},
    "idealo": {
        "shop_id": "318001",
        "client_id": "sandbox-idealo-client",
        "client_secret": "sandbox-idealo-client-secret",
    },
    # Ads, analytics, CRM, social
    "facebook_ads": {"access_token": "EAASANDBOXadsTOKEN", "ad_account_id": "act_1010101"},
    "google_ads": {
        "developer_token": "sandbox-gads-dev-token",
        "access_token": "ya29.sandbox-google-access-token-0001",
        "customer_id": "1234567890",
    },
    "tiktok_ads": {"access_token": "sandbox-tiktok-ads-token", "advertiser_id": "7000000000001"},
    "google_analytics": {
        "access_token": "ya29.sandbox-google-access-token-0001",
        "property_id": "310000001",
    },
    "crm": {"api_key": "sandbox-crm-api-key"},
    "social": {"access_token": "sandbox-social-token"},
}


DEFAULT_SHOP = "default"  # the shop CREDENTIALS above belong to
# The second shop of each marketplace: a seller with two shops on one platform, each with
# its own shop id or cipher and its own tokens (what differs from the default shop's).
SHOPS: dict[str, dict[str, dict[str, Any]]] = {
    "shopee": {"toko-b": {
        "shop_id": 600200,
        "access_token": "shopee-sandbox-access-token-b001",
        "refresh_token": "shopee-sandbox-refresh-token-b001",
    }},
    "tiktok_shop": {"toko-b": {
        "shop_cipher": "ROW_sandboxTikTokShopCipherB",
        "access_token": "tts-sandbox-access-token-b001",
        "refresh_token": "tts-sandbox-refresh-token-b001",
    }},
    "tokopedia": {"toko-b": {
        "shop_cipher": "ROW_sandboxTokopediaShopCipherB",
        "access_token": "tokopedia-sandbox-access-token-b001",
        "refresh_token": "tokopedia-sandbox-refresh-token-b001",
    }},
    "lazada": {"toko-b": {
        "access_token": "lazada-sandbox-access-token-b001",
        "refresh_token": "lazada-sandbox-refresh-token-b001",
    }},
    "blibli": {"toko-b": {
        "store_code": "SPI-60002",
        "api_seller_key": "sandbox-blibli-seller-key-b",
    }},
}  # fmt: skip


def shop_names(platform: str) -> list[str]:
    """The shops the sandbox plays on ``platform``: the default one first."""
    if platform not in CREDENTIALS:
        return []
    return [DEFAULT_SHOP, *SHOPS.get(platform, {})]


def shop_credentials(platform: str, shop: str) -> dict[str, Any] | None:
    """One shop's credentials (None: the sandbox plays no such shop there)."""
    if shop == DEFAULT_SHOP:
        return credentials_for(platform) if platform in CREDENTIALS else None
    own = SHOPS.get(platform, {}).get(shop)
    return None if own is None else {**CREDENTIALS[platform], **own}


def credentials_for(platform: str) -> dict[str, Any]:
    """A copy of one platform's sandbox credentials (KeyError for an unknown platform)."""
    return dict(CREDENTIALS[platform])
