"""Records workflows leave for people to act on: price reviews and crisis incidents.

They live in the database, not Redis: Redis here keeps nothing on disk, and a review a
person has not decided yet, or an open incident, must survive a restart. Each row keeps
the columns the API filters and sorts on; the rest of the record is one JSON column, in
the shape the API has always returned.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel, col, select
from sqlmodel.sql.expression import SelectOfScalar

__all__ = ["PriceReview", "CrisisIncident", "records_query"]


class PriceReview(SQLModel, table=True):
    """A repricing the rules did not let a run apply alone (``job:sku:store``, the
    store ``shopee`` or ``shopee@toko-b``: see ``backend.domain.shops``)."""

    __tablename__ = "price_reviews"

    id: str = Field(primary_key=True, max_length=400)
    job_id: str = Field(max_length=128, index=True)
    account: str = Field(default="default", max_length=100, index=True)  # the shop
    status: str = Field(max_length=20, index=True)  # pending/approved/rejected/applied
    created_at: float  # epoch seconds, as the API returns them
    updated_at: float
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class CrisisIncident(SQLModel, table=True):
    """A crisis of one monitor job, from the tick that met the crisis rule to its close.

    ``open_job`` is the job id while the incident is open and NULL after: unique, so a
    job has at most one open incident however many ticks race to open one.
    """

    __tablename__ = "crisis_incidents"

    id: str = Field(primary_key=True, max_length=200)
    job_id: str = Field(max_length=128, index=True)
    status: str = Field(max_length=20, index=True)  # open/closed
    open_job: str | None = Field(default=None, max_length=128, unique=True)
    opened_at: float
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


_Record = TypeVar("_Record", PriceReview, CrisisIncident)


def records_query(
    model: type[_Record], *, job_id: str | None, status: str | None, newest: Any
) -> SelectOfScalar[_Record]:
    """Records of one job and/or status (None = any), ``newest`` column first."""
    query = select(model).order_by(col(newest).desc())
    if job_id is not None:
        query = query.where(model.job_id == job_id)
    if status is not None:
        query = query.where(model.status == status)
    return query
