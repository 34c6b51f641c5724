"""Which settings of a connector account are secret, at any depth, and how an account's
settings split into a public tree (stored as JSON, shown) and a secret tree (stored
encrypted, never shown).

A value is secret when its field is typed ``SecretStr`` (or a dict / list / optional
of it) in the connector's config model, or when its name ends in key, secret, token or
password. Nested models (``oauth: GoogleOAuthConfig``) are walked field by field; free
dicts are walked key by key with the name rule, so ``oauth.client_secret`` and
``market.shop_tokens.shopee`` are as secret as a top-level ``partner_key``.
"""

from __future__ import annotations

import re
import types
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, SecretBytes, SecretStr

__all__ = ["is_secret_name", "split_secrets", "merge_trees", "leaf_paths", "expand_dotted",
           "Shape", "shape_of"]

_SECRET_NAME = re.compile(r"(key|secret|token|password)s?$", re.IGNORECASE)
_SECRET_TYPES = (SecretStr, SecretBytes)

# A model's shape: field name -> True (the whole value is secret) or a nested Shape.
Shape = dict[str, "bool | Shape"]


def is_secret_name(name: str) -> bool:
    return bool(_SECRET_NAME.search(name))


def _members(annotation: Any) -> tuple[Any, ...]:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        return tuple(a for a in get_args(annotation) if a is not type(None))
    return (annotation,)


def _holds_secret(annotation: Any) -> bool:
    """``SecretStr``, ``dict[str, SecretStr]``, ``list[SecretStr]``, ``SecretStr | None``."""
    for member in _members(annotation):
        if member in _SECRET_TYPES:
            return True
        if get_origin(member) in (dict, list, tuple, set) and any(
            _holds_secret(arg) for arg in get_args(member)
        ):
            return True
    return False


def _model_of(annotation: Any) -> type[BaseModel] | None:
    for member in _members(annotation):
        if isinstance(member, type) and issubclass(member, BaseModel):
            return member
    return None


def shape_of(model: type[BaseModel]) -> Shape:
    """The secret fields of ``model``: True for a secret, a Shape for a nested model."""
    shape: Shape = {}
    for name, field in model.model_fields.items():
        nested = _model_of(field.annotation)
        if is_secret_name(name) or _holds_secret(field.annotation):
            shape[name] = True
        elif nested is not None:
            shape[name] = shape_of(nested)
    return shape


def split_secrets(settings: dict[str, Any], shape: Shape | None) -> tuple[dict[str, Any],
                                                                           dict[str, Any]]:
    """``(public, secret)`` trees of ``settings``. Empty secrets (None, "") are dropped:
    a form that leaves a secret blank keeps the stored one."""
    public: dict[str, Any] = {}
    secret: dict[str, Any] = {}
    for name, value in settings.items():
        rule = shape.get(name) if shape is not None else None
        if rule is True or (rule is None and is_secret_name(str(name))):
            if value not in (None, "", {}):
                secret[name] = value
        elif isinstance(value, dict):
            sub_public, sub_secret = split_secrets(value, rule if isinstance(rule, dict) else None)
            public[name] = sub_public
            if sub_secret:
                secret[name] = sub_secret
        else:
            public[name] = value
    return public, secret


def merge_trees(base: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    """``update`` laid over ``base``, dicts merged key by key."""
    merged = dict(base)
    for name, value in update.items():
        if isinstance(value, dict) and isinstance(merged.get(name), dict):
            merged[name] = merge_trees(merged[name], value)
        else:
            merged[name] = value
    return merged


def leaf_paths(tree: dict[str, Any], prefix: str = "") -> list[str]:
    """Dotted paths of the leaves (``oauth.client_secret``), sorted."""
    paths: list[str] = []
    for name, value in tree.items():
        path = f"{prefix}{name}"
        if isinstance(value, dict) and value:
            paths += leaf_paths(value, path + ".")
        else:
            paths.append(path)
    return sorted(paths)


def expand_dotted(settings: dict[str, Any]) -> dict[str, Any]:
    """``{"oauth.client_id": "x"}`` as ``{"oauth": {"client_id": "x"}}`` (the settings
    form flattens nested fields into dotted names)."""
    out: dict[str, Any] = {}
    for name, value in settings.items():
        parts = str(name).split(".")
        if len(parts) == 1 or not all(parts):
            out = merge_trees(out, {name: value})
            continue
        nested: Any = value
        for part in reversed(parts[1:]):
            nested = {part: nested}
        out = merge_trees(out, {parts[0]: nested})
    return out
