"""Users, API tokens and connector credentials."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel

from backend.domain.vocab import ROLES
from backend.models.types import UTCDateTime, utcnow

__all__ = ["ROLES", "User", "ApiToken", "ConnectorAccount"]



class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=100, unique=True, index=True)
    password_hash: str = Field(max_length=300)
    role: str = Field(default="viewer", max_length=20)
    disabled: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))


class ApiToken(SQLModel, table=True):
    """A bearer token. Only its SHA-256 is stored; ``prefix`` lets people tell tokens apart."""

    __tablename__ = "api_tokens"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    prefix: str = Field(max_length=16)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    role: str = Field(max_length=20)
    user_id: int | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))
    last_used_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True))
    revoked_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True))


class ConnectorAccount(SQLModel, table=True):
    """A platform account. ``secret_encrypted`` is Fernet ciphertext; it is never returned."""

    __tablename__ = "connector_accounts"

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=50, index=True)
    name: str = Field(max_length=100)
    mode: str = Field(default="sandbox", max_length=10)
    config: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    secret_encrypted: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))
