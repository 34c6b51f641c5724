"""Dated currency rates to IDR (``GET /fx/api/v1/rates?date=&base=``), cached per day."""

from __future__ import annotations

from datetime import date

import httpx
from pydantic import BaseModel, Field

from backend.connectors import market
from backend.connectors.common import send
from backend.connectors.defaults import default_value

__all__ = ["FxConfig", "FxConnector"]

PLATFORM = "fx"


class FxConfig(BaseModel):
    """Where rates come from. Defaults talk to the sandbox."""

    base_url: str = Field(
        default_factory=lambda: default_value(PLATFORM, "base_url"),
        description="Rates API root (sandbox: <sandbox>/fx/api/v1).",
    )


class FxConnector:
    """IDR per unit of a currency on a given day."""

    platform = PLATFORM

    def __init__(self, *, client: httpx.AsyncClient, config: FxConfig | None = None) -> None:
        self._config = config or FxConfig()
        self._client = client
        self._cache: dict[tuple[str, date], float] = {}

    async def to_idr(self, currency: str, day: date) -> float:
        """How many IDR one ``currency`` was worth on ``day`` (1.0 for IDR)."""
        currency = currency.upper()
        if currency == "IDR":
            return 1.0
        key = (currency, day)
        if key not in self._cache:
            response = await send(
                self._client, "GET", f"{self._config.base_url.rstrip('/')}/rates",
                platform=PLATFORM, params={"date": day.isoformat(), "base": currency},
            )
            body = market.raise_for_response(response, platform=PLATFORM)
            self._cache[key] = float(body["rates"]["IDR"])
        return self._cache[key]
