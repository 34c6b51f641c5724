"""The shop's own stock count per SKU, and each order's claim on it, once.

Marketplaces each keep a copy of a SKU's stock; this row is the one the others follow.
An order takes its units in one conditional update (``available >= qty``), so two
orders for the last unit on two marketplaces cannot both have it; the move row makes
the claim once per order and SKU however often its event is delivered or its run
retried.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from backend.models.types import UTCDateTime, utcnow

__all__ = ["StockLevel", "StockMove"]


class StockLevel(SQLModel, table=True):
    """Units of a SKU the shop can still sell; ``version`` grows with every change (a
    push of an older count knows it is stale)."""

    __tablename__ = "stock_levels"

    sku: str = Field(primary_key=True, max_length=100)
    available: int = 0
    version: int = 0
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))


class StockMove(SQLModel, table=True):
    """One order's claim on one SKU (``taken``, ``short`` when too few were left, or
    ``returned`` after a cancellation), keyed ``<platform>:<order_id>:<sku>``."""

    __tablename__ = "stock_moves"

    key: str = Field(primary_key=True, max_length=300)
    sku: str = Field(max_length=100, index=True)
    qty: int
    outcome: str = Field(max_length=20)
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))
