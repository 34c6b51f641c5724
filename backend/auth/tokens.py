"""API tokens: create (shown once), verify, list, revoke."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, or_, select

from backend.auth.token_cache import forget_principals
from backend.core.errors import ErrorItem, InvalidInput, NotFound
from backend.core.security import hash_token, new_token, tokens_equal
from backend.domain.vocab import ROLE_RANK
from backend.models import ApiToken, User
from backend.models.types import utcnow

__all__ = ["Principal", "create_token", "verify_token", "list_tokens", "revoke_token",
           "revoke_user_tokens"]


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: a token's name and role (or the demo's anonymous local user)."""

    name: str
    role: str
    token_id: int | None = None


def create_token(*, session: Session, name: str, role: str,
                 user_id: int | None = None) -> tuple[ApiToken, str]:  # fmt: skip
    """Store a new token; returns the row and the plaintext (never stored, shown once).
    ``user_id``: the user a sign-in session belongs to (disabling them revokes it)."""
    if role not in ROLE_RANK:
        raise InvalidInput([ErrorItem("role", f"must be one of {', '.join(ROLE_RANK)}")])
    plaintext = new_token()
    row = ApiToken(name=name, prefix=plaintext[:12], token_hash=hash_token(plaintext), role=role,
                   user_id=user_id)  # fmt: skip
    session.add(row)
    session.flush()
    return row, plaintext


def verify_token(*, session: Session, plaintext: str) -> Principal | None:
    digest = hash_token(plaintext)
    row = session.exec(select(ApiToken).where(ApiToken.token_hash == digest)).first()
    if row is None or row.revoked_at is not None or not tokens_equal(row.token_hash, digest):
        return None
    if row.user_id is not None:
        # A session of a user disabled meanwhile (set_disabled revokes these too; this
        # also covers one minted while the user was being disabled).
        user = session.get(User, row.user_id)
        if user is None or user.disabled:
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
    forget_principals(session=session)
    return row


def revoke_user_tokens(*, session: Session, user_id: int, legacy_name: str) -> int:
    """Revoke every unrevoked session token of a user (``legacy_name``: sessions made
    before tokens carried their user id); returns how many."""
    rows = session.exec(select(ApiToken).where(
        col(ApiToken.revoked_at).is_(None),
        or_(ApiToken.user_id == user_id, ApiToken.name == legacy_name),
    )).all()
    now = utcnow()
    for row in rows:
        row.revoked_at = now
        session.add(row)
    forget_principals(session=session)
    return len(rows)


def has_admin_token(*, session: Session) -> bool:
    return session.exec(
        select(ApiToken.id).where(ApiToken.role == "admin", col(ApiToken.revoked_at).is_(None))
    ).first() is not None
