"""TikTok Marketing API: integrated reports, daily rows per ad group, page numbers.

Header ``Access-Token``. Errors come as ``{"code": <non-zero>, "message"}`` (often with
HTTP 200) and map to actions in :func:`raise_for_response`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import orjson
from pydantic import BaseModel, Field, SecretStr

from backend.connectors.base import AuthFailed, RateLimited, Rejected, TransientError
from backend.connectors.common import json_or_none, retry_after, send
from backend.connectors.defaults import default_value
from backend.connectors.types import AdRow

__all__ = ["TikTokAdsConfig", "TikTokAdsConnector", "raise_for_response"]

PLATFORM = "tiktok_ads"
_AUTH = frozenset({40001, 40104, 40105, 40102})
_RATE = frozenset({40100, 40133})
_TRANSIENT = frozenset({50000, 50002, 51000})


class TikTokAdsConfig(BaseModel):
    """One TikTok advertiser. Defaults talk to the sandbox."""

    base_url: str = Field(
        default_factory=lambda: default_value(PLATFORM, "base_url"),
        description="API root, e.g. https://business-api.tiktok.com/open_api/v1.3.",
    )
    advertiser_id: str = Field(
        default_factory=lambda: default_value(PLATFORM, "advertiser_id"),
        description="Advertiser id.",
    )
    access_token: SecretStr = Field(
        default_factory=lambda: SecretStr(default_value(PLATFORM, "access_token")),
        description="Long-term access token (Access-Token header).",
    )


def raise_for_response(response: httpx.Response) -> Any:
    """Return ``data`` of a success; raise the error that says what to do otherwise."""
    body = json_or_none(response)
    status = response.status_code
    if not isinstance(body, dict) or "code" not in body:
        raise TransientError("malformed response body", platform=PLATFORM, status=status)
    code, message = body["code"], str(body.get("message") or f"HTTP {status}")
    if code == 0 and status < 300:
        return body.get("data")
    if status == 429 or code in _RATE:
        raise RateLimited(
            message, platform=PLATFORM, retry_after=retry_after(response), status=status
        )
    if status >= 500 or code in _TRANSIENT:
        raise TransientError(message, platform=PLATFORM, status=status, body=body)
    if code in _AUTH or status in (401, 403):
        raise AuthFailed(f"{code}: {message}", platform=PLATFORM, status=status)
    raise Rejected(f"{code}: {message}", platform=PLATFORM, status=status, body=body)


class TikTokAdsConnector:
    """Daily ad-group metrics."""

    platform = PLATFORM

    def __init__(self, *, client: httpx.AsyncClient, config: TikTokAdsConfig | None = None) -> None:
        self._config = config or TikTokAdsConfig()
        self._client = client

    async def daily_rows(self, *, start: date, end: date, page_size: int = 1000) -> list[AdRow]:
        cfg = self._config
        url = f"{cfg.base_url.rstrip('/')}/report/integrated/get/"
        headers = {"Access-Token": cfg.access_token.get_secret_value()}
        rows: list[AdRow] = []
        page = 1
        while True:
            params = {
                "advertiser_id": cfg.advertiser_id,
                "report_type": "BASIC",
                "data_level": "AUCTION_ADGROUP",
                "start_date": start.isoformat(),
                "end_date": end.isoformat(),
                "page": page,
                "page_size": page_size,
                "dimensions": orjson.dumps(["adgroup_id", "stat_time_day"]).decode(),
                "metrics": orjson.dumps(
                    ["spend", "impressions", "clicks", "conversion", "total_complete_payment_rate"]
                ).decode(),
            }
            response = await send(
                self._client, "GET", url, platform=PLATFORM, params=params, headers=headers
            )
            data = raise_for_response(response)
            for item in data["list"]:
                d, m = item["dimensions"], item["metrics"]
                rows.append(
                    AdRow(
                        platform=PLATFORM,
                        day=date.fromisoformat(d["stat_time_day"][:10]),
                        campaign_id=str(m.get("campaign_id", "")),
                        campaign_name=m.get("campaign_name", ""),
                        adgroup_id=str(d["adgroup_id"]),
                        adgroup_name=m.get("adgroup_name", ""),
                        spend=float(m["spend"]),
                        impressions=int(m["impressions"]),
                        clicks=int(m["clicks"]),
                        conversions=float(m["conversion"]),
                        revenue=float(m.get("total_complete_payment_rate", 0)),
                    )
                )
            if page >= int(data["page_info"]["total_page"]):
                return rows
            page += 1
