"""Exactly-once ledger and alerts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel

from backend.models.types import UTCDateTime, utcnow

__all__ = ["IdempotencyRecord", "Alert"]


class IdempotencyRecord(SQLModel, table=True):
    """A side effect that has happened. Its key survives retries, worker deaths and re-runs."""

    __tablename__ = "idempotency_records"

    key: str = Field(primary_key=True, max_length=300)
    job_id: str | None = Field(default=None, max_length=128, index=True)
    run_id: int | None = None
    result: Any = Field(default=None, sa_column=Column(JSON, nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))


class Alert(SQLModel, table=True):
    """Something a person should look at (e.g. N failures in a row)."""

    __tablename__ = "alerts"

    id: int | None = Field(default=None, primary_key=True)
    job_id: str | None = Field(default=None, max_length=128, index=True)
    run_id: int | None = None
    kind: str = Field(max_length=50)
    message: str = Field(sa_column=Column(Text, nullable=False))
    details: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    acknowledged: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))
