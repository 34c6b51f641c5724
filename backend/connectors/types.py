"""The project's own small types that platform payloads are mapped to.

Workflows only ever see these, whatever platform the data came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, TypeVar

__all__ = [
    "Listing",
    "Variant",
    "PriceQuote",
    "ImageRef",
    "Post",
    "AdRow",
    "AnalyticsRow",
    "DailyStat",
    "Customer",
    "Order",
    "Page",
    "TokenPair",
]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Variant:
    """One buyable option of a listing (a size): its own SKU, price and stock."""

    sku: str
    option: str
    price: int
    stock: int | None = None
    attribute: str = "Size"


@dataclass(frozen=True, slots=True)
class Listing:
    """One of our products as listed on a platform (prices in whole IDR).

    ``category_id`` is the platform's own category id (mapped from ours), ``tags`` are
    search keywords where the platform has such a field, ``variants`` the options bought
    separately (empty: the product is one SKU). Connectors that cannot read a field back
    cheaply leave it empty on the listings they return (said on each connector)."""

    platform: str
    sku: str
    title: str
    price: int
    stock: int | None = None
    description: str = ""
    images: tuple[str, ...] = ()
    listing_id: str | None = None
    currency: str = "IDR"
    status: str = "active"
    url: str | None = None
    category_id: str | None = None
    tags: tuple[str, ...] = ()
    variants: tuple[Variant, ...] = ()


@dataclass(frozen=True, slots=True)
class PriceQuote:
    """A competitor's offer for one of our SKUs, seen at ``observed_at``."""

    platform: str
    sku: str
    seller: str
    price: int
    observed_at: datetime
    currency: str = "IDR"
    listing_id: str | None = None
    shop_name: str | None = None
    stock: int | None = None
    rating: float | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class ImageRef:
    """An image the platform stored for us."""

    platform: str
    image_id: str
    url: str


@dataclass(frozen=True, slots=True)
class Post:
    """A social post or comment mentioning the brand."""

    platform: str
    post_id: str
    account: str
    text: str
    created_at: datetime
    author_id: str
    author_handle: str
    author_name: str = ""
    author_verified: bool = False
    author_followers: int = 0
    likes: int = 0
    shares: int = 0
    comments: int = 0
    url: str | None = None


@dataclass(frozen=True, slots=True)
class AdRow:
    """One day of one ad group (spend and revenue in IDR)."""

    platform: str
    day: date
    campaign_id: str
    campaign_name: str
    adgroup_id: str
    adgroup_name: str
    spend: float
    impressions: int
    clicks: int
    conversions: float
    revenue: float


@dataclass(frozen=True, slots=True)
class AnalyticsRow:
    """A web-analytics report row: dimension values and metric values by name."""

    dimensions: dict[str, str]
    metrics: dict[str, float]


@dataclass(frozen=True, slots=True)
class DailyStat:
    """A platform's numbers for one day (sales, orders, visitors, followers ...)."""

    platform: str
    day: date
    metrics: dict[str, float]


@dataclass(frozen=True, slots=True)
class Customer:
    """A CRM customer with what campaigns need to choose channel and message."""

    customer_id: str
    name: str
    email: str | None
    phone: str | None
    telegram_chat_id: str | None
    consent: dict[str, bool]
    preferred_channel: str
    segment_hint: str
    orders_count: int = 0
    total_spent: int = 0
    city: str | None = None
    purchase_history: tuple[dict[str, Any], ...] = ()
    browsing_history: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class Order:
    """A shop order (totals in IDR)."""

    order_id: str
    platform: str
    created_at: datetime
    customer_id: str
    total: int
    status: str
    items: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of results; ``next_cursor`` is None on the last page."""

    items: list[T]
    next_cursor: str | None = None
    total: int | None = None


@dataclass(slots=True)
class TokenPair:
    """OAuth-style tokens a connector refreshes; ``expires_at`` is epoch seconds.

    The tokens are left out of ``repr`` so a logged TokenPair leaks nothing."""

    access_token: str = field(repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    expires_at: float | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
