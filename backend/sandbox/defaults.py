"""The sandbox's demo accounts, registered as the connectors' defaults.

Shipped code never imports the sandbox: the package's metadata names this module's
:func:`connector_defaults` under the ``spio.connector_defaults`` entry point, and
``backend.connectors.defaults`` asks it, once per process, for the settings a connector
uses when no live account is saved. Base URLs follow the sandbox's address
(``SANDBOX_HOST``/``SANDBOX_PORT``), read on every call so a test may move it.
"""

from __future__ import annotations

from typing import Any

from backend.core.config import Settings, get_settings
from backend.sandbox.credentials import (
    CREDENTIALS,
    DEFAULT_SHOP,
    SHOPS,
    shop_credentials,
    shop_names,
)

__all__ = ["connector_defaults", "sandbox_shops", "ROUTES", "AUTH_ROUTES"]

# Where each connector's API lives on the sandbox.
ROUTES: dict[str, str] = {
    "shopee": "/shopee", "tokopedia": "/tokopedia", "tiktok_shop": "/tiktok-shop",
    "lazada": "/lazada/rest", "blibli": "/blibli/proxy/seller/v1", "instagram_shop": "",
    "facebook_shop": "", "website": "/website/api/v1", "google_shopping": "/google/content/v2.1",
    "priceza": "/priceza/api/v1", "idealo": "/idealo/api/v2", "facebook_ads": "",
    "google_ads": "/google/ads/v17", "tiktok_ads": "/tiktok-ads/open_api/v1.3",
    "google_analytics": "/google/analytics/v1beta", "crm": "/crm/api/v1", "social": "",
    "whatsapp": "", "telegram": "", "sms": "/sms", "market": "/market",
    "inventory": "/inventory/v1", "pim": "/pim/api/v1", "fx": "/fx/api/v1",
}  # fmt: skip
# Where platforms with a token host of their own refresh tokens on the sandbox.
AUTH_ROUTES = {"lazada": "/lazada-auth/rest", "tiktok_shop": "/tiktok-shop-auth",
               "tokopedia": "/tiktok-shop-auth"}  # fmt: skip
_GOOGLE_OAUTH = ("client_id", "client_secret", "access_token", "refresh_token")


def _shop_tokens(shop: str) -> dict[str, str]:
    """The shop token each marketplace's stats and orders take (the market connector):
    ``shop``'s where the sandbox plays it on that marketplace, else the default shop's."""
    out = {}
    for name in ("shopee", "tokopedia", "tiktok_shop", "lazada", "website"):
        creds = shop_credentials(name, shop) or CREDENTIALS[name]
        out[name] = str(creds.get("access_token") or creds.get("api_key"))
    return out


def sandbox_shops(platform: str) -> list[str]:
    """The shops the sandbox plays on ``platform`` (``spio.connector_shops``)."""
    return shop_names(platform)


def connector_defaults(name: str, settings: Settings | None = None,
                       account: str = DEFAULT_SHOP) -> dict[str, Any]:  # fmt: skip
    """The demo settings of connector ``name`` for the shop ``account`` (empty when the
    sandbox plays no such connector or shop), at the sandbox address of ``settings``
    (default: the process's). Connectors without shops of their own (market, inventory,
    messaging) answer for any account with their one demo account."""
    if account != DEFAULT_SHOP and name in SHOPS and account not in SHOPS[name]:
        return {}
    url = (settings or get_settings()).sandbox_url
    values: dict[str, Any] = dict(shop_credentials(name, account) or CREDENTIALS.get(name, {}))
    if name in ROUTES:
        values["base_url"] = url + ROUTES[name]
    if name in AUTH_ROUTES:
        values["auth_base_url"] = url + AUTH_ROUTES[name]
    if name == "inventory":
        values["api_key"] = CREDENTIALS["crm"]["api_key"]
    elif name == "pim":
        values["api_key"] = CREDENTIALS["website"]["api_key"]
    elif name == "market":
        values["shop_tokens"] = _shop_tokens(account)
    elif name == "google_oauth":
        values = {k: CREDENTIALS["google_shopping"][k] for k in _GOOGLE_OAUTH}
        values["token_url"] = f"{url}/google/oauth2/token"
    return values
