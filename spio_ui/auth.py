"""Sign-in checks for the UI, through the same token service the REST API uses."""

from __future__ import annotations

from backend.auth.demo import demo_role
from backend.core.db import session_scope

__all__ = ["principal_for_token", "password_login", "end_session", "demo_role"]

# Tokens handed out by a password sign-in are named "session:<username>".
_SESSION = "session:"


def principal_for_token(token: str) -> tuple[str, str] | None:
    """``(name, role)`` of a valid, unrevoked API token; None otherwise."""
    if not token:
        return None
    from backend.auth.tokens import verify_token

    with session_scope() as session:
        principal = verify_token(session=session, plaintext=token)
    if principal is None:
        return None
    return principal.name.removeprefix(_SESSION), principal.role


def end_session(token: str) -> None:
    """Revoke ``token`` if a password sign-in made it (an API token pasted at sign-in
    keeps working elsewhere: signing out of the UI does not revoke it)."""
    if not token:
        return
    from backend.auth.tokens import revoke_token, verify_token

    with session_scope() as session:
        principal = verify_token(session=session, plaintext=token)
        if principal is not None and principal.token_id and principal.name.startswith(_SESSION):
            revoke_token(session=session, token_id=principal.token_id)


def password_login(*, username: str, password: str) -> tuple[str, str, str]:
    """``(session token, name, role)`` for a right username and password, through the
    same user service (and per-user backoff of failed tries) as ``POST /auth/login``.

    Raises ``InvalidInput`` for wrong credentials and ``TooManyAttempts`` past the limit.
    """
    from backend.auth.users import login
    from backend.core.redis import get_redis

    with session_scope() as session:
        user, token = login(session=session, client=get_redis(), username=username,
                            password=password)  # fmt: skip
        return token, user.username, user.role


