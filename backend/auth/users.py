"""Users who log in to the UI with a password; a login hands out a session token."""

from __future__ import annotations

import secrets
from typing import cast

import redis
from sqlmodel import Session, col, select

from backend.auth.tokens import create_token
from backend.core.config import get_settings
from backend.core.errors import Conflict, ErrorItem, InvalidInput, NotFound, SpioError
from backend.core.redis import key
from backend.core.security import ROLE_RANK, hash_password, verify_password
from backend.models import User

__all__ = ["TooManyAttempts", "create_user", "list_users", "login", "set_disabled",
           "new_password"]


class TooManyAttempts(SpioError):
    status_code = 429
    code = "too_many_attempts"


def new_password() -> str:
    return secrets.token_urlsafe(12)


def create_user(*, session: Session, username: str, password: str, role: str) -> User:
    if role not in ROLE_RANK:
        raise InvalidInput([ErrorItem("role", f"must be one of {', '.join(ROLE_RANK)}")])
    if len(password) < 8:
        raise InvalidInput([ErrorItem("password", "at least 8 characters")])
    if session.exec(select(User).where(User.username == username)).first() is not None:
        raise Conflict(f"user {username!r} exists")
    user = User(username=username, password_hash=hash_password(password), role=role)
    session.add(user)
    session.flush()
    return user


def list_users(*, session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(col(User.username))).all())


def set_disabled(*, session: Session, username: str, disabled: bool) -> User:
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        raise NotFound(f"no user {username!r}")
    user.disabled = disabled
    session.add(user)
    return user


def _limit(client: redis.Redis, who: str) -> None:
    """At most login_attempts_per_minute tries per client address (and per username)."""
    limit = get_settings().login_attempts_per_minute
    bucket = key("login", who)
    count = cast(int, client.incr(bucket))
    if count == 1:
        client.expire(bucket, 60)
    if count > limit:
        raise TooManyAttempts("too many login attempts; wait a minute")


def login(*, session: Session, client: redis.Redis, username: str, password: str,
          address: str) -> tuple[User, str]:
    """Check the password and return the user with a fresh session token (role of the
    user). Failures say nothing about which part was wrong."""
    _limit(client, f"addr:{address}")
    _limit(client, f"user:{username.lower()}")
    user = session.exec(select(User).where(User.username == username)).first()
    # Hash even when the user does not exist, so timing does not reveal usernames.
    ok = verify_password(password, user.password_hash if user else hash_password("x"))
    if user is None or not ok or user.disabled:
        raise InvalidInput([ErrorItem("password", "wrong username or password")])
    _, token = create_token(session=session, name=f"session:{user.username}", role=user.role)
    return user, token
