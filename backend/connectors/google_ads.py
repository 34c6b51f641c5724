"""Google Ads API: ``googleAds:search`` with GAQL, daily rows per ad group, page tokens.

Needs the ``developer-token`` header and an OAuth bearer (refreshed on 401).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
from pydantic import BaseModel, Field, SecretStr

from backend.connectors import google_api
from backend.connectors.common import send
from backend.connectors.defaults import default_value
from backend.connectors.types import AdRow

__all__ = ["GoogleAdsConfig", "GoogleAdsConnector"]

PLATFORM = "google_ads"
_QUERY = (
    "SELECT campaign.id, campaign.name, ad_group.id, ad_group.name, segments.date, "
    "metrics.cost_micros, metrics.impressions, metrics.clicks, metrics.conversions, "
    "metrics.conversions_value FROM ad_group WHERE segments.date BETWEEN '{start}' AND '{end}'"
)


class GoogleAdsConfig(BaseModel):
    """One Google Ads customer. Defaults talk to the sandbox."""

    base_url: str = Field(
        default_factory=lambda: default_value(PLATFORM, "base_url"),
        description="API root, e.g. https://googleads.googleapis.com/v17.",
    )
    customer_id: str = Field(
        default_factory=lambda: default_value(PLATFORM, "customer_id"),
        description="Customer id without dashes.",
    )
    developer_token: SecretStr = Field(
        default_factory=lambda: SecretStr(default_value(PLATFORM, "developer_token")),
        description="Google Ads developer token.",
    )
    oauth: google_api.GoogleOAuthConfig = Field(
        default_factory=google_api.GoogleOAuthConfig, description="OAuth client and tokens."
    )


class GoogleAdsConnector:
    """Daily ad-group metrics."""

    platform = PLATFORM

    def __init__(self, *, client: httpx.AsyncClient, config: GoogleAdsConfig | None = None) -> None:
        self._config = config or GoogleAdsConfig()
        self._client = client
        self.tokens = google_api.token_keeper(client, self._config.oauth, platform=PLATFORM)

    async def _search(self, body: dict[str, Any]) -> Any:
        cfg = self._config
        url = f"{cfg.base_url.rstrip('/')}/customers/{cfg.customer_id}/googleAds:search"

        async def attempt(token: str) -> Any:
            headers = {
                "Authorization": f"Bearer {token}",
                "developer-token": cfg.developer_token.get_secret_value(),
            }
            response = await send(
                self._client, "POST", url, platform=PLATFORM, json=body, headers=headers
            )
            return google_api.raise_for_response(response, platform=PLATFORM)

        return await self.tokens.call(attempt)

    async def daily_rows(self, *, start: date, end: date, page_size: int = 1000) -> list[AdRow]:
        body: dict[str, Any] = {"query": _QUERY.format(start=start, end=end), "pageSize": page_size}
        rows: list[AdRow] = []
        while True:
            out = await self._search(body)
            for r in out.get("results", []):
                m = r["metrics"]
                rows.append(
                    AdRow(
                        platform=PLATFORM,
                        day=date.fromisoformat(r["segments"]["date"]),
                        campaign_id=str(r["campaign"]["id"]),
                        campaign_name=r["campaign"]["name"],
                        adgroup_id=str(r["adGroup"]["id"]),
                        adgroup_name=r["adGroup"]["name"],
                        spend=int(m["costMicros"]) / 1_000_000,
                        impressions=int(m["impressions"]),
                        clicks=int(m["clicks"]),
                        conversions=float(m["conversions"]),
                        revenue=float(m["conversionsValue"]),
                    )
                )
            if not out.get("nextPageToken"):
                return rows
            body["pageToken"] = out["nextPageToken"]
