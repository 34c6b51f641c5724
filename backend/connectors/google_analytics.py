"""Google Analytics 4 Data API: ``properties/{id}:runReport`` with offset paging."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
from pydantic import BaseModel, Field

from backend.connectors import google_api
from backend.connectors.common import send
from backend.connectors.defaults import default_value
from backend.connectors.types import AnalyticsRow

__all__ = ["GoogleAnalyticsConfig", "GoogleAnalyticsConnector"]

PLATFORM = "google_analytics"


class GoogleAnalyticsConfig(BaseModel):
    """One GA4 property. Defaults talk to the sandbox."""

    base_url: str = Field(
        default_factory=lambda: default_value(PLATFORM, "base_url"),
        description="Data API root, e.g. https://analyticsdata.googleapis.com/v1beta.",
    )
    property_id: str = Field(
        default_factory=lambda: default_value(PLATFORM, "property_id"),
        description="GA4 property id.",
    )
    oauth: google_api.GoogleOAuthConfig = Field(
        default_factory=google_api.GoogleOAuthConfig, description="OAuth client and tokens."
    )


class GoogleAnalyticsConnector:
    """Reports of sessions, users, bounce and conversion by any supported dimensions."""

    platform = PLATFORM

    def __init__(
        self, *, client: httpx.AsyncClient, config: GoogleAnalyticsConfig | None = None
    ) -> None:
        self._config = config or GoogleAnalyticsConfig()
        self._client = client
        self.tokens = google_api.token_keeper(client, self._config.oauth, platform=PLATFORM)

    async def report(
        self,
        *,
        start: date,
        end: date,
        dimensions: list[str],
        metrics: list[str],
        page_size: int = 10_000,
    ) -> list[AnalyticsRow]:
        cfg = self._config
        url = f"{cfg.base_url.rstrip('/')}/properties/{cfg.property_id}:runReport"
        rows: list[AnalyticsRow] = []
        offset = 0
        while True:
            body = {
                "dateRanges": [{"startDate": start.isoformat(), "endDate": end.isoformat()}],
                "dimensions": [{"name": d} for d in dimensions],
                "metrics": [{"name": m} for m in metrics],
                "limit": page_size,
                "offset": offset,
            }

            async def attempt(token: str, body: dict[str, Any] = body) -> Any:
                response = await send(
                    self._client,
                    "POST",
                    url,
                    platform=PLATFORM,
                    json=body,
                    headers={"Authorization": f"Bearer {token}"},
                )
                return google_api.raise_for_response(response, platform=PLATFORM)

            out = await self.tokens.call(attempt)
            for r in out.get("rows", []):
                rows.append(
                    AnalyticsRow(
                        dimensions={
                            d: v["value"]
                            for d, v in zip(dimensions, r["dimensionValues"], strict=True)
                        },
                        metrics={
                            m: float(v["value"])
                            for m, v in zip(metrics, r["metricValues"], strict=True)
                        },
                    )
                )
            offset += page_size
            if offset >= int(out.get("rowCount", 0)):
                return rows
