"""What the whole install last said about its own health, so an outage is announced
once however many processes watch for it (they move this row with a conditional
UPDATE; the one whose UPDATE lands raises the alert)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from backend.models.types import UTCDateTime, utcnow

__all__ = ["SystemStatus"]


class SystemStatus(SQLModel, table=True):
    """One row per watched thing (``health``): ``ok`` or ``degraded``, since when."""

    __tablename__ = "system_status"

    name: str = Field(primary_key=True, max_length=50)
    status: str = Field(max_length=20)
    reasons: Any = Field(default=None, sa_column=Column(JSON, nullable=True))
    changed_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))
