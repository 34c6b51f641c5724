"""Workflow kinds. Each is a module with ``async def run(ctx: RunContext) -> dict``,
imported only when a run of that kind starts."""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from typing import Any

from backend.core.errors import NonRetryableError

__all__ = ["get_workflow", "WORKFLOW_MODULES"]

WORKFLOW_MODULES: dict[str, str] = {
    "noop": "backend.workflows.noop",
    "sleep": "backend.workflows.sleep",
    "price_intelligence": "backend.workflows.price_intelligence",
    "campaign": "backend.workflows.campaign",
    "bi_report": "backend.workflows.bi_report",
    "catalog_sync": "backend.workflows.catalog_sync",
    "crisis_monitor": "backend.workflows.crisis_monitor",
    "agent": "backend.workflows.agent",
}


def get_workflow(kind: str) -> Callable[[Any], Awaitable[dict[str, Any]]]:
    """The ``run`` function of a workflow kind; a missing kind fails the run at once."""
    module_name = WORKFLOW_MODULES.get(kind)
    if module_name is None:
        raise NonRetryableError(f"unknown workflow kind {kind!r}")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        raise NonRetryableError(f"workflow {kind!r} is not installed in this version") from exc
    return module.run  # type: ignore[no-any-return]
