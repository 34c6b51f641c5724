"""FastAPI dependencies: a database session per request and the caller's role."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from functools import partial
from typing import Annotated

from anyio import CancelScope, CapacityLimiter, to_thread
from fastapi import Depends, Path, Request
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from backend.auth.demo import demo_role
from backend.auth.token_cache import cache_epoch, cached_principal, remember_principal
from backend.auth.tokens import Principal, verify_token
from backend.core.db import end_session, get_engine, session_scope
from backend.core.errors import PermissionDenied, SpioError
from backend.core.security import role_allows

__all__ = [
    "DbId",
    "SessionDep",
    "Unauthorized",
    "require_role",
    "ViewerDep",
    "OperatorDep",
    "AdminDep",
    "require_viewer",
    "require_operator",
    "require_admin",
]


# Row ids are 32-bit integers on PostgreSQL: a larger one is a 422, not a database error.
DbId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class Unauthorized(SpioError):
    status_code = 401
    code = "unauthorized"


async def get_session() -> AsyncIterator[Session]:
    """The request's session. Opening one does no I/O (it connects on first use), so it
    is made on the event loop; its end (commit or rollback, then the connection back to
    the pool) runs on a thread with a limiter of its own, never queued behind requests
    that wait for a connection, and shielded, so a client that hangs up cannot leave a
    connection checked out."""
    session = Session(get_engine(), expire_on_commit=False)
    commit = False
    try:
        yield session
        commit = True
    finally:
        with CancelScope(shield=True):
            if session.in_transaction():
                await to_thread.run_sync(partial(end_session, session, commit=commit),
                                         limiter=CapacityLimiter(1))
            else:
                session.close()  # never touched the database: nothing to end


# scope="function": the session commits and gives its connection back as soon as the
# endpoint returns, before the response is serialised and sent. A commit that fails is
# then the request's error, not a 200 already on its way; and no request holds a pooled
# connection while it waits for a worker thread, which under a burst (every thread
# waiting for a connection, every connection waiting for a thread) wedged the API until
# the pool timed out.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def _verify(plaintext: str) -> Principal | None:
    """The token checked in a short session of its own (the request's is not opened)."""
    epoch = cache_epoch()  # before the row is read: a revocation meanwhile voids it
    with session_scope() as session:
        principal = verify_token(session=session, plaintext=plaintext)
    if principal is not None:
        remember_principal(plaintext, principal, epoch=epoch)
    return principal


async def _principal(request: Request) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() == "bearer" and token:
        # A token seen a moment ago costs no thread and no database round trip.
        principal = cached_principal(token) or await run_in_threadpool(_verify, token)
        if principal is None:
            raise Unauthorized("invalid or revoked token")
        return principal
    if header:
        raise Unauthorized("use 'Authorization: Bearer <token>'")
    role = demo_role(
        client_host=request.client.host if request.client else "",
        headers=dict(request.headers),
        http_version=str(request.scope.get("http_version", "1.1")),
    )
    if role:
        return Principal(name="local-demo", role=role)
    raise Unauthorized("missing token: send 'Authorization: Bearer <token>'")


def require_role(needed: str) -> Callable[[Request], Awaitable[Principal]]:
    async def dependency(request: Request) -> Principal:
        principal = await _principal(request)
        if not role_allows(principal.role, needed):
            raise PermissionDenied(f"this needs the {needed} role; your token is {principal.role}")
        return principal

    return dependency


require_viewer = require_role("viewer")
require_operator = require_role("operator")
require_admin = require_role("admin")
ViewerDep = Annotated[Principal, Depends(require_viewer)]
OperatorDep = Annotated[Principal, Depends(require_operator)]
AdminDep = Annotated[Principal, Depends(require_admin)]
