"""/tokens: admins create (shown once), list and revoke API tokens."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from backend.api.deps import AdminDep, DbId, SessionDep
from backend.auth import tokens

router = APIRouter(prefix="/tokens", tags=["tokens"])


class TokenIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    role: str = Field(pattern="^(viewer|operator|admin)$")


class TokenOut(BaseModel):
    id: int
    name: str
    role: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None


class TokenCreated(TokenOut):
    token: str = Field(description="Shown once; store it now.")


@router.post("", status_code=201, response_model=TokenCreated)
def create_token(body: TokenIn, session: SessionDep, who: AdminDep) -> TokenCreated:
    row, plaintext = tokens.create_token(session=session, name=body.name, role=body.role)
    return TokenCreated(**TokenOut.model_validate(row, from_attributes=True).model_dump(),
                        token=plaintext)


@router.get("", response_model=list[TokenOut])
def list_tokens(session: SessionDep, who: AdminDep) -> list[TokenOut]:
    return [TokenOut.model_validate(t, from_attributes=True)
            for t in tokens.list_tokens(session=session)]


@router.delete("/{token_id}", response_model=TokenOut)
def revoke_token(token_id: DbId, session: SessionDep,
                 who: AdminDep) -> TokenOut:
    return TokenOut.model_validate(tokens.revoke_token(session=session, token_id=token_id),
                                   from_attributes=True)
