"""API tokens: create (shown once), verify, list, revoke."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from backend.core.errors import ErrorItem, InvalidInput, NotFound
from backend.core.security import ROLE_RANK, hash_token, new_token, tokens_equal
from backend.models import ApiToken
from backend.models.types import utcnow

__all__ = ["Principal", "create_token", "verify_token", "list_tokens", "revoke_token"]


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: a token's name and role (or the demo's anonymous local user)."""

    name: str
    role: str
    token_id: int | None = None


def create_token(*, session: Session, name: str, role: str) -> tuple[ApiToken, str]:
    """Store a new token; returns the row and the plaintext (never stored, shown once)."""
    if role not in ROLE_RANK:
        raise InvalidInput([ErrorItem("role", f"must be one of {', '.join(ROLE_RANK)}")])
    plaintext = new_token()
    row = ApiToken(name=name, prefix=plaintext[:12], token_hash=hash_token(plaintext), role=role)
    session.add(row)
    session.flush()
    return row, plaintext


def verify_token(*, session: Session, plaintext: str) -> Principal | None:
    digest = hash_token(plaintext)
    row = session.exec(select(ApiToken).where(ApiToken.token_hash == digest)).first()
    if row is None or row.revoked_at is not None or not tokens_equal(row.token_hash, digest):
        return None
    return Principal(name=row.name, role=row.role, token_id=row.id)


def list_tokens(*, session: Session) -> list[ApiToken]:
    return list(session.exec(select(ApiToken).order_by(col(ApiToken.id))).all())


def revoke_token(*, session: Session, token_id: int) -> ApiToken:
    row = session.get(ApiToken, token_id)
    if row is None:
        raise NotFound(f"no token {token_id}")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
    return row


def has_admin_token(*, session: Session) -> bool:
    return session.exec(
        select(ApiToken.id).where(ApiToken.role == "admin", col(ApiToken.revoked_at).is_(None))
    ).first() is not None
