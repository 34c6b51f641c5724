"""/auth/login (no token needed; failed tries back off per user) and /users (admin):
create, list, disable (their sessions end at once) and enable."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from backend.api.deps import AdminDep, SessionDep
from backend.auth import users
from backend.core.redis import get_redis

router = APIRouter(tags=["auth"])


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


class LoginOut(BaseModel):
    token: str
    username: str
    role: str


class UserIn(BaseModel):
    username: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._@-]+$")
    password: str = Field(min_length=8, max_length=200)
    role: str = Field(pattern="^(viewer|operator|admin)$")


class UserOut(BaseModel):
    id: int
    username: str
    role: str
    disabled: bool
    created_at: datetime


@router.post("/auth/login", response_model=LoginOut)
def login(body: LoginIn, session: SessionDep) -> LoginOut:
    user, token = users.login(session=session, client=get_redis(), username=body.username,
                              password=body.password)  # fmt: skip
    return LoginOut(token=token, username=user.username, role=user.role)


@router.post("/users", status_code=201, response_model=UserOut)
def create_user(body: UserIn, session: SessionDep, who: AdminDep) -> UserOut:
    user = users.create_user(session=session, username=body.username, password=body.password,
                             role=body.role)
    return UserOut.model_validate(user, from_attributes=True)


@router.get("/users", response_model=list[UserOut])
def list_users(session: SessionDep, who: AdminDep) -> list[UserOut]:
    return [UserOut.model_validate(u, from_attributes=True)
            for u in users.list_users(session=session)]


@router.post("/users/{username}/{action}", response_model=UserOut)
def set_user_disabled(username: Annotated[str, Path(min_length=1, max_length=100)],
                      action: Literal["disable", "enable"], session: SessionDep,
                      who: AdminDep) -> UserOut:  # fmt: skip
    """Disable (every sign-in session of the user is revoked at once) or enable a user."""
    user = users.set_disabled(session=session, username=username,
                              disabled=action == "disable")  # fmt: skip
    return UserOut.model_validate(user, from_attributes=True)
