"""Workflow kinds, one sub-package each; a kind's ``workflow`` module has
``async def run(ctx: WorkflowContext) -> dict`` and reads as its list of steps.

    pricing/     price_intelligence: competitor prices, guarded repricing, report
    campaign/    campaign: segment, send on every channel within limits, report
    catalog/     catalog_sync: changed products, images, listings, verify
    bi_report/   bi_report: fetch sources, aggregate, insights, render, distribute
    crisis/      crisis_monitor: fetch posts, sentiment, alerts, auto-replies
    agent/       agent: an LLM tool-calling loop (needs an LLM)
    common/      what several workflows share (calls within limits, bounded fan-out)
    noop, sleep  the platform's own overhead and failure modes (tests, benches)

A module is imported only when a run of its kind starts.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from typing import Any

from backend.core.errors import NonRetryableError

__all__ = ["get_workflow", "WORKFLOW_MODULES"]

WORKFLOW_MODULES: dict[str, str] = {
    "noop": "backend.workflows.noop",
    "sleep": "backend.workflows.sleep",
    "price_intelligence": "backend.workflows.pricing.workflow",
    "campaign": "backend.workflows.campaign.workflow",
    "bi_report": "backend.workflows.bi_report.workflow",
    "catalog_sync": "backend.workflows.catalog.workflow",
    "crisis_monitor": "backend.workflows.crisis.workflow",
    "agent": "backend.workflows.agent.workflow",
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
