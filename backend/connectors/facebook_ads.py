"""Facebook (Meta) Marketing API insights: daily rows per ad set, cursor paging.

Graph errors; code 17/4/613 or HTTP 429 is a rate limit, 190 a refused token.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import orjson
from pydantic import BaseModel, Field, SecretStr

from backend.connectors import meta_shop
from backend.connectors.common import send
from backend.connectors.defaults import default_value
from backend.connectors.types import AdRow

__all__ = ["FacebookAdsConfig", "FacebookAdsConnector", "raise_for_response"]

PLATFORM = "facebook_ads"


class FacebookAdsConfig(BaseModel):
    """One ad account. Defaults talk to the sandbox."""

    base_url: str = Field(
        default_factory=lambda: default_value(PLATFORM, "base_url"),
        description="Graph API root, e.g. https://graph.facebook.com.",
    )
    api_version: str = Field("v19.0", description="Graph API version.")
    ad_account_id: str = Field(
        default_factory=lambda: default_value(PLATFORM, "ad_account_id"),
        description="Ad account id, act_<digits>.",
    )
    access_token: SecretStr = Field(
        default_factory=lambda: SecretStr(default_value(PLATFORM, "access_token")),
        description="Token with ads_read.",
    )


def raise_for_response(response: httpx.Response) -> Any:
    """Graph's error shape, as for the Meta catalogs."""
    return meta_shop.raise_for_response(response, platform=PLATFORM)


def _action(values: list[dict[str, Any]] | None, kind: str = "purchase") -> float:
    return sum(float(a["value"]) for a in values or [] if a.get("action_type") == kind)


class FacebookAdsConnector:
    """Daily ad-set insights."""

    platform = PLATFORM

    def __init__(
        self, *, client: httpx.AsyncClient, config: FacebookAdsConfig | None = None
    ) -> None:
        self._config = config or FacebookAdsConfig()
        self._client = client

    async def daily_rows(self, *, start: date, end: date, page_size: int = 500) -> list[AdRow]:
        cfg = self._config
        url = f"{cfg.base_url.rstrip('/')}/{cfg.api_version}/{cfg.ad_account_id}/insights"
        params: dict[str, Any] = {
            "level": "adset",
            "time_increment": 1,
            "limit": page_size,
            "time_range": orjson.dumps(
                {"since": start.isoformat(), "until": end.isoformat()}
            ).decode(),
            "fields": "campaign_id,campaign_name,adset_id,adset_name,spend,impressions,"
            "clicks,actions,action_values",
        }
        headers = {"Authorization": f"Bearer {cfg.access_token.get_secret_value()}"}
        rows: list[AdRow] = []
        while True:
            response = await send(
                self._client, "GET", url, platform=PLATFORM, params=params, headers=headers
            )
            body = raise_for_response(response)
            rows += [
                AdRow(
                    platform=PLATFORM,
                    day=date.fromisoformat(r["date_start"]),
                    campaign_id=r["campaign_id"],
                    campaign_name=r["campaign_name"],
                    adgroup_id=r["adset_id"],
                    adgroup_name=r["adset_name"],
                    spend=float(r["spend"]),
                    impressions=int(r["impressions"]),
                    clicks=int(r["clicks"]),
                    conversions=_action(r.get("actions")),
                    revenue=_action(r.get("action_values")),
                )
                for r in body["data"]
            ]
            if "next" not in body.get("paging", {}):
                return rows
            params["after"] = body["paging"]["cursors"]["after"]
