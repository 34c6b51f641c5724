"""FastAPI dependencies: a database session per request and the caller's role."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlmodel import Session

from backend.auth.demo import demo_role
from backend.auth.tokens import Principal, verify_token
from backend.core.db import session_scope
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


def get_session() -> Iterator[Session]:
    with session_scope() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def _principal(request: Request, session: Session) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        principal = verify_token(session=session, plaintext=token.strip())
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


def require_role(needed: str) -> Callable[[Request, Session], Principal]:
    def dependency(request: Request, session: SessionDep) -> Principal:
        principal = _principal(request, session)
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
