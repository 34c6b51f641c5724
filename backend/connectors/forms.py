"""What a settings form needs to edit connector accounts: each platform's fields and
where each platform stands (sandbox or live, which secrets are stored).

Secrets are described by name only; their values, stored or default, never leave here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, get_origin

from pydantic import BaseModel, SecretStr
from pydantic.fields import FieldInfo
from sqlmodel import Session

from backend.connectors.accounts import DEFAULT_ACCOUNT as ACCOUNT_NAME
from backend.connectors.accounts import (
    is_secret_field,
    list_accounts,
    live_required,
    public_view,
)
from backend.connectors.defaults import default_accounts
from backend.connectors.registry import CATALOG_PLATFORMS, account_models
from backend.connectors.secret_fields import Shape, shape_of

__all__ = ["FieldForm", "platform_fields", "platform_overview", "form_values", "shop_overview",
           "account_form"]


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
    """The settings an account of ``platform`` can hold, in the connector's order; a
    nested model's fields as dotted names (``oauth.client_secret``), a dict of secrets
    as one field per key its default holds (``shop_tokens.shopee``)."""
    model = account_models().get(platform)
    if model is None:
        return []
    required = set(live_required(platform, model))
    return _fields(model, shape_of(model), prefix="", required=required)


def _fields(model: type[BaseModel], shape: Shape, *, prefix: str,
            required: set[str]) -> list[FieldForm]:  # fmt: skip
    out: list[FieldForm] = []
    for name, field in model.model_fields.items():
        rule = shape.get(name)
        if isinstance(rule, dict):
            nested = _nested_model(field.annotation)
            if nested is not None:
                out += _fields(nested, rule, prefix=f"{prefix}{name}.", required=set())
                continue
        keys = _secret_dict_keys(field) if rule is True else []
        for dotted in [f"{prefix}{name}.{key}" for key in keys] or [f"{prefix}{name}"]:
            out.append(FieldForm(
                name=dotted, description=field.description or "",
                secret=rule is True or is_secret_field(name) or field.annotation is SecretStr,
                kind=_kind(field.annotation), required_live=name in required and not prefix,
            ))  # fmt: skip
    return out


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) \
        else None


def _secret_dict_keys(field: FieldInfo) -> list[str]:
    """The keys of a ``dict[str, SecretStr]`` field's default (one input each)."""
    if get_origin(field.annotation) is not dict:
        return []
    default = field.get_default(call_default_factory=True)
    return sorted(default) if isinstance(default, dict) else []


def form_values(settings: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Stored public settings by the form's dotted names."""
    out: dict[str, Any] = {}
    for name, value in settings.items():
        if isinstance(value, dict):
            out.update(form_values(value, f"{prefix}{name}."))
        else:
            out[f"{prefix}{name}"] = value
    return out


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
            "form_values": form_values(view["settings"]) if view else {},
            "secrets_set": view["secrets_set"] if view else [],
            "updated_at": view["updated_at"] if view else None,
        })
    return rows


def account_form(*, session: Session, platform: str, name: str) -> dict[str, Any]:
    """One account's form state: mode, its (non-secret) values, the names of its stored
    secrets. An account not saved yet is on the sandbox with nothing set."""
    view = next((public_view(a) for a in list_accounts(session=session)
                 if a.platform == platform and a.name == name), None)  # fmt: skip
    return {"platform": platform, "account": name,
            "mode": view["mode"] if view else "sandbox",
            "form_values": form_values(view["settings"]) if view else {},
            "secrets_set": view["secrets_set"] if view else [],
            "updated_at": view["updated_at"] if view else None}  # fmt: skip


def shop_overview(*, session: Session) -> list[dict[str, Any]]:
    """The shops per shop platform (Shopee, Tokopedia, ...): every account saved for it
    and every shop the sandbox plays there, ``default`` first. ``saved`` tells a saved
    account (sandbox or live) from a demo shop nothing was saved for."""
    saved: dict[tuple[str, str], dict[str, Any]] = {
        (a.platform, a.name): public_view(a) for a in list_accounts(session=session)}
    platforms = [p for p in CATALOG_PLATFORMS if p != "tiktok"]  # tiktok: TikTok Shop's alias
    rows = []
    for platform in platforms:
        names = list(default_accounts(platform))
        names += sorted({n for p, n in saved if p == platform} - set(names))
        for name in names:
            view = saved.get((platform, name))
            rows.append({"platform": platform, "account": name, "saved": view is not None,
                         "mode": view["mode"] if view else "sandbox",
                         "secrets_set": view["secrets_set"] if view else [],
                         "updated_at": view["updated_at"] if view else None})  # fmt: skip
    return rows
