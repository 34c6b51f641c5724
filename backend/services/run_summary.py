"""What a run did, in numbers, per workflow: the figures the run page opens with.

Read from the run's stored result and, where the durable records know better, from them:
a campaign's messages per channel are what the sent-message ledger recorded (a status
webhook that failed a message later is counted too). Figures only: the UI words them in
the reader's language (``summary.<key>`` in ``spio_ui.i18n``) and formats the numbers.

Each figure is ``{"key", "value", "unit", "arg"}``: ``unit`` is ``count``, ``percent``
(a signed change, in percent) or ``rupiah``; ``arg`` fills the label ("{channel}").
A run with no result yet (queued, running) has no figures.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["run_figures"]

Figure = dict[str, Any]


def _fig(key: str, value: Any, unit: str = "count", arg: str = "") -> Figure:
    return {"key": key, "value": value, "unit": unit, "arg": arg}


def _number(value: Any) -> float | int | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _pricing(result: dict[str, Any], run_id: int) -> list[Figure]:
    changed = _number(result.get("prices_changed", result.get("changed"))) or 0
    figures = [_fig("prices_changed", changed)]
    if changed:
        figures.append(_fig("average_change", result.get("average_change_percent") or 0.0,
                            "percent"))  # fmt: skip
    figures += [_fig("proposed_for_review", _number(result.get("flagged")) or 0),
                _fig("listings_priced", _number(result.get("decisions")) or 0),
                _fig("competitor_offers", _number(result.get("competitor_quotes")) or 0)]
    if _number(result.get("failed")):
        figures.append(_fig("price_writes_failed", result["failed"]))
    return figures


def _campaign(result: dict[str, Any], run_id: int) -> list[Figure]:
    from backend.core.errors import NotFound
    from backend.services import campaign_state

    try:  # the ledger's word: what was really sent, per channel
        counters = campaign_state.stats(run_id)["counters"]
    except NotFound:  # the run stopped before its campaign started
        counters = {"sent": result.get("sent", 0)}
    sent = {k.split(":", 1)[1]: v for k, v in counters.items() if k.startswith("sent:")}
    figures = [_fig("messages_sent", _number(counters.get("sent")) or 0)]
    figures += [_fig("sent_on", n, arg=channel) for channel, n in sorted(sent.items())]
    failed = sum(v for k, v in counters.items() if k.startswith("failed:")
                 and k.count(":") == 1 and _number(v))  # fmt: skip
    if failed:
        figures.append(_fig("messages_failed", failed))
    skipped = sum((result.get("skipped") or {}).values()) if isinstance(
        result.get("skipped"), dict) else 0  # fmt: skip
    if skipped:
        figures.append(_fig("customers_left_out", skipped))
    revenue = _number(counters.get("revenue", result.get("revenue_so_far")))
    if revenue:
        figures.append(_fig("revenue", revenue, "rupiah"))
    return figures


def _bi_report(result: dict[str, Any], run_id: int) -> list[Figure]:
    rows = result.get("rows")
    total = sum(v for v in rows.values() if _number(v)) if isinstance(rows, dict) else rows
    deliveries = result.get("deliveries")
    sent = len(deliveries.get("sent") or []) if isinstance(deliveries, dict) else 0
    figures = [_fig("rows_reported", _number(total) or 0),
               _fig("report_files", len(result.get("files") or {})),
               _fig("reports_sent", sent)]  # fmt: skip
    sales = _number((result.get("headline") or {}).get("sales"))
    if sales is not None:
        figures.append(_fig("sales", sales, "rupiah"))
    if result.get("sources_failed"):
        figures.append(_fig("sources_failed", len(result["sources_failed"])))
    return figures


def _stock(result: dict[str, Any]) -> list[Figure]:
    """One order's stock moved (catalog.stock_sync): SKUs, listings written, cancels."""
    claims = result.get("claims") or []
    figures = [_fig("stock_skus", len(claims)),
               _fig("listings_written", _number(result.get("written")) or 0)]  # fmt: skip
    if result.get("oversold"):
        figures.append(_fig("orders_cancelled_oversold", 1 if result.get("cancelled") else 0))
    return figures


def _catalog(result: dict[str, Any], run_id: int) -> list[Figure]:
    if "claims" in result:  # a run an order event started: that order's stock
        return _stock(result)
    figures = [_fig("listings_written", _number(result.get("writes")) or 0),
               _fig("products_synced", _number(result.get("products")) or 0),
               _fig("platforms", len(result.get("platforms") or []))]  # fmt: skip
    images = result.get("images")
    if isinstance(images, dict) and _number(images.get("processed")):
        figures.append(_fig("images_processed", images["processed"]))
    if _number(result.get("verified")):
        figures.append(_fig("listings_verified", result.get("verified_ok") or 0))
    if result.get("failures"):
        figures.append(_fig("listings_failed", len(result["failures"])))
    return figures


def _crisis(result: dict[str, Any], run_id: int) -> list[Figure]:
    figures = [_fig("posts_read", _number(result.get("posts")) or 0),
               _fig("mentions", _number(result.get("mentions")) or 0),
               _fig("alerts_sent", _number(result.get("alerts_sent")) or 0)]  # fmt: skip
    if _number(result.get("auto_responses")):
        figures.append(_fig("auto_responses", result["auto_responses"]))
    return figures


_BY_WORKFLOW: dict[str, Callable[[dict[str, Any], int], list[Figure]]] = {
    "price_intelligence": _pricing,
    "campaign": _campaign,
    "bi_report": _bi_report,
    "catalog_sync": _catalog,
    "crisis_monitor": _crisis,
}


def run_figures(*, run_id: int, workflow: str, result: Any) -> list[Figure]:
    """The run's figures (see the module docstring); [] when it has none to show."""
    summarise = _BY_WORKFLOW.get(workflow)
    if summarise is None or not isinstance(result, dict):
        return []
    return summarise(result, run_id)
