"""What a settings form needs to edit connector accounts: each platform's fields and
where each platform stands (sandbox or live, which secrets are stored).

Secrets are described by name only; their values, stored or default, never leave here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import SecretStr
from sqlmodel import Session

from backend.connectors.accounts import (
    is_secret_field,
    list_accounts,
    live_required,
    public_view,
)
from backend.connectors.runtime import ACCOUNT_NAME, account_models

__all__ = ["FieldForm", "platform_fields", "platform_overview"]


@dataclass(frozen=True, slots=True)
class FieldForm:
    name: str
    description: str
    secret: bool
    kind: str  # "text", "number" or "bool": the input to show
    required_live: bool  # a live account must set it (its default is the sandbox's)

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.description, "secret": self.secret,
                "kind": self.kind, "required_live": self.required_live}


def _kind(annotation: Any) -> str:
    if annotation is bool:
        return "bool"
    if annotation in (int, float):
        return "number"
    return "text"


def platform_fields(platform: str) -> list[FieldForm]:
    """The settings an account of ``platform`` can hold, in the connector's order."""
    model = account_models().get(platform)
    if model is None:
        return []
    required = set(live_required(platform, model))
    return [
        FieldForm(
            name=name,
            description=field.description or "",
            secret=is_secret_field(name) or field.annotation is SecretStr,
            kind=_kind(field.annotation),
            required_live=name in required,
        )
        for name, field in model.model_fields.items()
    ]


def platform_overview(*, session: Session) -> list[dict[str, Any]]:
    """Every platform with its ``default`` account's state: mode, settings shown, the
    names of stored secrets. A platform without an account is on the sandbox."""
    saved = {a.platform: public_view(a) for a in list_accounts(session=session)
             if a.name == ACCOUNT_NAME}
    rows = []
    for platform in sorted(account_models()):
        view = saved.get(platform)
        rows.append({
            "platform": platform,
            "mode": view["mode"] if view else "sandbox",
            "settings": view["settings"] if view else {},
            "secrets_set": view["secrets_set"] if view else [],
            "updated_at": view["updated_at"] if view else None,
        })
    return rows
