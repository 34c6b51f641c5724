"""Users who log in to the UI with a password; a login hands out a session token."""

from __future__ import annotations

import math
import secrets
import time
from typing import cast

import redis
from sqlmodel import Session, col, select

from backend.auth.tokens import create_token, revoke_user_tokens
from backend.core.config import get_settings
from backend.core.errors import Conflict, ErrorItem, InvalidInput, NotFound, SpioError
from backend.core.redis import key
from backend.core.security import check_password_timing_safe, hash_password
from backend.domain.vocab import ROLE_RANK
from backend.models import User

__all__ = ["TooManyAttempts", "create_user", "list_users", "login", "set_disabled",
           "new_password"]


_MAX_BACKOFF_SEC = 30.0
_FAILURE_MEMORY_SEC = 900


class TooManyAttempts(SpioError):
    status_code = 429
    code = "too_many_attempts"

    def __init__(self, message: str, *, retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def new_password() -> str:
    return secrets.token_urlsafe(12)


def create_user(*, session: Session, username: str, password: str, role: str) -> User:
    if role not in ROLE_RANK:
        raise InvalidInput([ErrorItem("role", f"must be one of {', '.join(ROLE_RANK)}")])
    if len(password) < 8:
        raise InvalidInput([ErrorItem("password", "at least 8 characters")])
    if session.exec(select(User).where(User.username == username)).first() is not None:
        raise Conflict(f"user {username!r} exists", key="error.user_exists",
                       params={"user": username})
    user = User(username=username, password_hash=hash_password(password), role=role)
    session.add(user)
    session.flush()
    return user


def list_users(*, session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(col(User.username))).all())


def set_disabled(*, session: Session, username: str, disabled: bool) -> User:
    """Disable (or enable) a user; disabling revokes their sign-in sessions at once."""
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        raise NotFound(f"no user {username!r}")
    user.disabled = disabled
    session.add(user)
    if disabled:
        revoke_user_tokens(session=session, user_id=int(user.id or 0),
                           legacy_name=f"session:{user.username}")  # fmt: skip
    return user


def _check_backoff(client: redis.Redis, bucket: str) -> None:
    """Refuse a try while the user's backoff runs (says how long to wait)."""
    next_at = client.hget(bucket, "next_at")
    if next_at is None:
        return
    wait = float(cast(str, next_at)) - time.time()  # a synchronous client: a value
    if wait > 0:
        raise TooManyAttempts(f"too many failed sign-ins for this user; try again in "
                              f"{math.ceil(wait)} s", retry_after=math.ceil(wait))


def _record_failure(client: redis.Redis, bucket: str) -> None:
    """Count a failure; past the free tries each further one doubles the wait (capped),
    so a guesser gets a few tries a minute while the real user waits seconds, not hours."""
    free = get_settings().login_attempts_per_minute
    failures = int(cast(int, client.hincrby(bucket, "failures", 1)))
    if failures >= free:
        wait = min(2.0 ** (failures - free), _MAX_BACKOFF_SEC)
        client.hset(bucket, "next_at", repr(time.time() + wait))
    client.expire(bucket, _FAILURE_MEMORY_SEC)


def login(*, session: Session, client: redis.Redis, username: str,
          password: str) -> tuple[User, str]:
    """Check the password and return the user with a fresh session token (role of the
    user). Failures say nothing about which part was wrong, and take the same time for
    a name that exists and one that does not (one scrypt either way). Failed tries are
    counted per username, whatever the address (behind a proxy all share one)."""
    bucket = key("login", "user", username.lower())
    _check_backoff(client, bucket)
    user = session.exec(select(User).where(User.username == username)).first()
    ok = check_password_timing_safe(password, user.password_hash if user else None)
    if user is None or not ok or user.disabled:
        _record_failure(client, bucket)
        raise InvalidInput([ErrorItem("password", "wrong username or password")])
    client.delete(bucket)
    _, token = create_token(session=session, name=f"session:{user.username}", role=user.role,
                            user_id=user.id)  # fmt: skip
    return user, token
