"""A workflow's door to one shop's catalog by its store key (``shopee@toko-b``)."""

from __future__ import annotations

from typing import Any

from backend.connectors.catalog import CatalogConnector
from backend.domain.shops import split_store
from backend.workflows.context import WorkflowContext

__all__ = ["store_catalog"]


def store_catalog(ctx: WorkflowContext, store: str, **kwargs: Any) -> CatalogConnector:
    """``ctx.platforms.catalog`` of the shop ``store`` names (its platform and account)."""
    platform, account = split_store(store)
    return ctx.platforms.catalog(platform, account=account, **kwargs)
