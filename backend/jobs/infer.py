"""Which workflow a job runs, when its spec does not say.

The seed's specs name only a `type` (`agent.workflow`, `report.daily`,
`monitor.channel`); the inputs tell the rest. The rule that decided is returned so
the API can say how it inferred the kind.
"""

from __future__ import annotations

from typing import Any

__all__ = ["infer_workflow", "KNOWN_TYPES"]

_BY_TYPE = {
    "report.daily": "bi_report",
    "report.bi": "bi_report",
    "monitor.channel": "crisis_monitor",
    "monitor.social": "crisis_monitor",
    "campaign.send": "campaign",
    "catalog.sync": "catalog_sync",
    "price.intelligence": "price_intelligence",
    "system.noop": "noop",
    "system.sleep": "sleep",
}


# Every type a job may declare: the ones above, plus the generic one whose inputs decide.
KNOWN_TYPES: tuple[str, ...] = ("agent.workflow", *_BY_TYPE)


def infer_workflow(*, job_type: str, inputs: dict[str, Any]) -> tuple[str, str]:
    """Return ``(workflow, reason)`` for a spec without an explicit workflow."""
    if job_type in _BY_TYPE:
        return _BY_TYPE[job_type], f"type {job_type!r} runs the {_BY_TYPE[job_type]} workflow"
    keys = set(inputs)
    if "campaign" in keys or ("channels" in keys and "personalization" in keys):
        return "campaign", "inputs have a campaign and channels"
    if "pricing_strategy" in keys or ("marketplaces" in keys and "competitor_accounts" in keys):
        return "price_intelligence", "inputs have a pricing strategy and competitor accounts"
    if "platforms" in keys and ("sync_options" in keys or "image_processing" in keys):
        return "catalog_sync", "inputs have target platforms and sync options"
    if "data_sources" in keys or "output_formats" in keys:
        return "bi_report", "inputs have data sources and report formats"
    if "monitor_keywords" in keys or "crisis_detection" in keys:
        return "crisis_monitor", "inputs have keywords to monitor and crisis rules"
    if "sleep_sec" in keys:
        return "sleep", "inputs have sleep_sec"
    return "agent", "no built-in workflow matches the inputs; the tool-using agent runs it"
