"""A base for the catalog connectors whose APIs are plain REST over JSON.

Website, Blibli, Priceza, Idealo, Google Shopping and the Meta shops differ in paths,
auth and JSON, not in flow. A subclass supplies those (``_headers``, paths, the two
mapping functions and its module's ``raise_for_response``); this class does paging,
the calls and the token-refresh-once rule.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

import httpx

from backend.connectors.base import Rejected
from backend.connectors.common import idempotency_headers, send
from backend.connectors.types import ImageRef, Listing, Page

__all__ = ["RestCatalogConnector"]


class RestCatalogConnector(ABC):
    """List/get/upsert/price/stock/image over a REST catalog API."""

    platform: ClassVar[str]
    page_base: ClassVar[int] = 1  # number of the first page

    def __init__(self, *, client: httpx.AsyncClient, base_url: str) -> None:
        self._client = client
        self._base = base_url.rstrip("/")

    # --- what a platform supplies ------------------------------------------------------
    @abstractmethod
    async def _headers(self) -> dict[str, str]:
        """Auth headers for the next call."""

    @abstractmethod
    def _check(self, response: httpx.Response) -> Any:
        """The module's raise_for_response."""

    @abstractmethod
    def _list_request(self, page: int, size: int) -> tuple[str, dict[str, Any]]:
        """Path and query of one page."""

    @abstractmethod
    def _parse_page(self, body: Any, page: int, size: int) -> tuple[list[dict[str, Any]], bool]:
        """Raw items and whether more pages follow."""

    @abstractmethod
    def _item_path(self, sku: str) -> str: ...

    @abstractmethod
    def _to_listing(self, raw: dict[str, Any]) -> Listing: ...

    @abstractmethod
    def _upsert_request(self, listing: Listing) -> tuple[str, str, dict[str, Any]]:
        """Method, path and JSON body creating or replacing a listing."""

    @abstractmethod
    def _patch_request(
        self, sku: str, *, price: int | None, stock: int | None
    ) -> tuple[str, str, dict[str, Any]]:
        """Method, path and JSON body changing price and/or stock."""

    def _unwrap(self, body: Any) -> dict[str, Any]:
        """The item inside a single-item response."""
        return body  # type: ignore[no-any-return]

    upload_path: ClassVar[str | None] = None
    upload_field: ClassVar[str] = "file"

    def _parse_upload(self, body: Any) -> ImageRef:
        return ImageRef(self.platform, str(body["id"]), str(body["url"]))

    # --- the shared flow ---------------------------------------------------------------
    async def _request(
        self, method: str, path: str, *, key: str | None = None, **kwargs: Any
    ) -> Any:
        headers = {**await self._headers(), **idempotency_headers(key)}
        response = await send(
            self._client,
            method,
            self._base + path,
            platform=self.platform,
            headers=headers,
            **kwargs,
        )
        return self._check(response)

    async def _call(self, method: str, path: str, *, key: str | None = None, **kwargs: Any) -> Any:
        return await self._request(method, path, key=key, **kwargs)

    async def list_listings(
        self, *, cursor: str | None = None, page_size: int = 50
    ) -> Page[Listing]:
        page = int(cursor) if cursor else self.page_base
        path, params = self._list_request(page, page_size)
        body = await self._call("GET", path, params=params)
        raw, more = self._parse_page(body, page, page_size)
        return Page(
            items=[self._to_listing(r) for r in raw], next_cursor=str(page + 1) if more else None
        )

    async def get_listing(self, sku: str) -> Listing | None:
        try:
            body = await self._call("GET", self._item_path(sku))
        except Rejected as exc:
            if exc.status == 404:
                return None
            raise
        return self._to_listing(self._unwrap(body))

    async def update_price(
        self, sku: str, price: int, *, idempotency_key: str | None = None
    ) -> None:
        method, path, body = self._patch_request(sku, price=price, stock=None)
        await self._call(method, path, json=body, key=idempotency_key)

    async def update_stock(
        self, sku: str, stock: int, *, idempotency_key: str | None = None
    ) -> None:
        method, path, body = self._patch_request(sku, price=None, stock=stock)
        await self._call(method, path, json=body, key=idempotency_key)

    async def upsert_listing(
        self, listing: Listing, *, idempotency_key: str | None = None
    ) -> Listing:
        method, path, body = self._upsert_request(listing)
        out = await self._call(method, path, json=body, key=idempotency_key)
        return self._to_listing(self._unwrap(out))

    async def upload_image(
        self, data: bytes, *, filename: str, idempotency_key: str | None = None
    ) -> ImageRef:
        if self.upload_path is None:
            raise Rejected("this platform takes image URLs, not uploads", platform=self.platform)
        body = await self._call(
            "POST",
            self.upload_path,
            key=idempotency_key,
            files={self.upload_field: (filename, data, "image/jpeg")},
        )
        return self._parse_upload(body)
