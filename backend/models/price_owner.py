"""Who sets a listing's price: the catalog, or the repricing job whose decision stands.

One row per listing (``platform``, ``account``, ``sku``: the shop's own listing; a
seller's two Shopee shops price the same SKU apart) that a repricing job has priced. While it is
``active``, the repricer's accepted decision is the listing's price: catalog sync and
its verify step leave it alone and report it as managed by repricing. It ends
(``released``, with the reason) when the repricer's rule is switched off or the
catalog's base price changes; the repricer changing the price again keeps it active.
Durable on purpose: Redis here may lose everything, and a lost row would let the next
catalog sync undo every repricing decision.
"""

from __future__ import annotations

from sqlmodel import Field, SQLModel

__all__ = ["PriceOwner"]


class PriceOwner(SQLModel, table=True):
    """The repricing decision a listing's price stands on (epoch-second times)."""

    __tablename__ = "price_owners"

    platform: str = Field(primary_key=True, max_length=40)
    account: str = Field(default="default", primary_key=True, max_length=100,
                         sa_column_kwargs={"server_default": "default"})
    sku: str = Field(primary_key=True, max_length=200)
    job_id: str = Field(max_length=128, index=True)  # the repricing job
    run_id: int | None = None  # the run that set the price last
    price: int  # what the repricer set
    # The catalog's base price the decision stands on: recorded by the catalog sync the
    # first time it leaves the price alone; a different base price later ends the row.
    base_price: int | None = None
    status: str = Field(default="active", max_length=20, index=True)  # active / released
    released_reason: str | None = Field(default=None, max_length=300)
    taken_at: float
    updated_at: float
