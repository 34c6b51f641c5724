"""Campaign revenue in the database: tracked links, last touches and attributed orders.

A tracked link's token says which campaign, job, customer and channel a click or an
order came from; a customer's last touch (a click) claims an order without a link for
``revenue_attribution_days``; an order counts once (its id is the primary key), however
often the platform repeats the webhook. A campaign's and a job's revenue are sums over
the orders. Redis here keeps nothing on disk, and each of these is money a seller reads
in a report, so none of it lives there.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from backend.models.types import UTCDateTime, utcnow

__all__ = ["TrackedLink", "RevenueTouch", "RevenueOrder"]


class TrackedLink(SQLModel, table=True):
    """The token of ``{public_url}/t/{token}`` in one customer's message."""

    __tablename__ = "tracked_links"

    token: str = Field(primary_key=True, max_length=32)
    campaign_id: str = Field(max_length=300)
    job_id: str = Field(max_length=128)
    customer_id: str = Field(max_length=320)
    channel: str = Field(max_length=20)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))


class RevenueTouch(SQLModel, table=True):
    """A customer's latest campaign touch (``at``: when it happened, epoch seconds)."""

    __tablename__ = "revenue_touches"

    customer_id: str = Field(primary_key=True, max_length=320)
    campaign_id: str = Field(max_length=300)
    job_id: str = Field(max_length=128)
    channel: str = Field(max_length=20)
    at: float


class RevenueOrder(SQLModel, table=True):
    """An order attributed to a campaign (``order_id``: the platform's, else the
    webhook event's id)."""

    __tablename__ = "revenue_orders"

    order_id: str = Field(primary_key=True, max_length=200)
    campaign_id: str = Field(max_length=300, index=True)
    job_id: str = Field(max_length=128, index=True)
    channel: str = Field(max_length=20)
    amount: float
    at: float
