"""/connectors: platform accounts (admin). Secrets go in, never come out."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, ConfigDict, Field

from backend.api.deps import AdminDep, SessionDep
from backend.connectors import accounts

router = APIRouter(prefix="/connectors", tags=["connectors"])

# The columns' lengths: a longer name is a 422, not a database error.
Platform = Annotated[str, Path(min_length=1, max_length=50)]
AccountName = Annotated[str, Path(min_length=1, max_length=100)]


class AccountIn(BaseModel):
    # An unknown top-level field is a typo (or a wrong body): refuse it rather than
    # save an account with empty settings.
    model_config = ConfigDict(extra="forbid")

    mode: str = Field("sandbox", pattern="^(sandbox|live)$")
    settings: dict[str, Any] = Field(default_factory=dict)


@router.get("")
def list_accounts(session: SessionDep, who: AdminDep) -> list[dict[str, Any]]:
    return [accounts.public_view(a) for a in accounts.list_accounts(session=session)]


@router.put("/{platform}/{name}")
def save_account(platform: Platform, name: AccountName, body: AccountIn, session: SessionDep,
                 who: AdminDep) -> dict[str, Any]:
    account = accounts.save_account(session=session, platform=platform, name=name,
                                    mode=body.mode, settings=body.settings)
    return accounts.public_view(account)


@router.delete("/{platform}/{name}", status_code=204)
def delete_account(platform: Platform, name: AccountName, session: SessionDep,
                   who: AdminDep) -> Response:
    accounts.delete_account(session=session, platform=platform, name=name)
    return Response(status_code=204)
