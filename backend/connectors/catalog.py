"""The interface every shop-catalog connector offers (marketplaces, website, feeds).

Workflows program against :class:`CatalogConnector`; ``backend.connectors.registry``
builds the right one for a platform name. Mutations take an ``idempotency_key`` that
the caller derives from what it means to do (job + sku + platform + target price), so
a retried call is recognised instead of applied twice.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from backend.connectors.types import ImageRef, Listing, Page

__all__ = ["CatalogConnector"]


@runtime_checkable
class CatalogConnector(Protocol):
    """Our own listings on one platform."""

    platform: str

    async def list_listings(
        self, *, cursor: str | None = None, page_size: int = 50
    ) -> Page[Listing]:
        """One page of our listings; pass ``next_cursor`` back for the next page."""
        ...

    async def get_listing(self, sku: str) -> Listing | None:
        """Our listing of ``sku``, or None when it is not listed."""
        ...

    async def update_price(
        self, sku: str, price: int, *, idempotency_key: str | None = None
    ) -> None:
        """Set the selling price (whole IDR)."""
        ...

    async def update_stock(
        self, sku: str, stock: int, *, idempotency_key: str | None = None
    ) -> None:
        """Set the available stock."""
        ...

    async def upsert_listing(
        self, listing: Listing, *, idempotency_key: str | None = None
    ) -> Listing:
        """Create the listing or update the one with the same SKU."""
        ...

    async def upload_image(
        self, data: bytes, *, filename: str, idempotency_key: str | None = None
    ) -> ImageRef:
        """Store an image on the platform; use the returned URL/id in listings."""
        ...
