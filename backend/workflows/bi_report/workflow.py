"""Daily BI report: fetch every source, clean and aggregate, find insights, write the PDF,
the workbook and the dashboard data, send them, keep the day as history.

Steps (each checkpointed; a retry resumes after the last finished one):

    plan       report date in the job's zone, comparison days, source kinds
    fetch      all sources concurrently into raw files (a failed source retries the run
               while attempts remain, then is published as a data-quality warning)
    aggregate  DuckDB: dedup, IDR at dated rates, local days, KPIs, deltas, checks
    insights   anomalies, trends, recommendations (offline engine; LLM when configured)
    render     PDF, Excel (+ full CSV) and dashboard JSON as run artifacts
    distribute email (PDF + workbook attached), Telegram (PDF), WhatsApp (summary), each
               exactly once per report date and recipient
    history    the day's totals in the job's durable state (``bi:history:<date>``, for
               trend charts; it survives a Redis restart) and as metrics
"""

from __future__ import annotations

import asyncio
import dataclasses
import shutil
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import orjson

from backend.core.errors import NonRetryableError, RetryableError
from backend.core.messages import message
from backend.core.outcome import NothingDone
from backend.reports import aggregate, labels
from backend.reports.aggregate import Windows, quality_finding
from backend.workflows.bi_report.inputs import BiInputs, parse_inputs
from backend.workflows.bi_report.publish import distribute, render_outputs, summary_text
from backend.workflows.bi_report.sources import (
    classify,
    detail_days_for,
    fetch_sources,
    with_shops,
)
from backend.workflows.context import WorkflowContext

__all__ = ["run", "HISTORY_PREFIX"]

HISTORY_PREFIX = "bi:history:"
_HEADLINE = ("sales", "orders", "visitors", "ad_spend", "roas", "conversion_rate")


def _inputs(ctx: WorkflowContext) -> BiInputs:
    now = ctx.scheduled_for or datetime.now(UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    schedule = ctx.spec.schedule
    tz = schedule.timezone if schedule is not None else "Asia/Jakarta"
    inputs = parse_inputs(ctx.inputs, now=now, timezone=tz, job_name=ctx.spec.name or "")
    # One marketplace source per shop (inputs.accounts): each shop's figures named by it.
    return dataclasses.replace(inputs, sources=with_shops(inputs.sources,
                                                          ctx.inputs.get("accounts")))


def _folder(ctx: WorkflowContext) -> Path:
    _, target = ctx.tools.files.path_for("raw")
    target.mkdir(parents=True, exist_ok=True)
    return Path(target)


async def run(ctx: WorkflowContext) -> dict[str, Any]:
    """The workflow entry point (see the module docstring)."""
    inputs = _inputs(ctx)
    windows = aggregate.windows_for(inputs.report_date, inputs.compare_with)
    kinds = {str(s["platform"]): classify(s) for s in inputs.sources}
    folder = _folder(ctx)
    await ctx.step("plan", lambda: plan_step(inputs=inputs, windows=windows, kinds=kinds))
    fetched = await ctx.step("fetch", lambda: fetch_step(
        ctx, inputs=inputs, windows=windows, folder=folder))
    await ctx.progress(0.45, message=message("progress.aggregating"))
    agg = await ctx.step("aggregate", lambda: aggregate_step(
        ctx, inputs=inputs, windows=windows, kinds=kinds, folder=folder, fetched=fetched))
    data = orjson.loads(await ctx.tools.files.read(agg["data_path"]))
    await ctx.progress(0.6, message=message("progress.insights"))
    insights = await ctx.step("insights", lambda: insights_step(ctx, inputs=inputs, data=data))
    await ctx.progress(0.7, message=message("progress.writing_files"))
    files = await ctx.step("render", lambda: render_outputs(
        ctx, data=data, insights=insights, inputs=inputs, folder=folder))
    # The raw rows (hundreds of MB for a big shop) are not needed once the files exist.
    await asyncio.to_thread(shutil.rmtree, folder, True)
    await ctx.progress(0.85, message=message("progress.sending"))
    sent = await ctx.step("distribute", lambda: distribute(
        ctx, data=data, insights=insights, inputs=inputs, files=files))
    await ctx.step("history", lambda: history_step(ctx, inputs=inputs, data=data))
    await ctx.progress(1.0, message=message("progress.done"))
    idle = None if agg["rows"] else NothingDone("report_no_rows", {
        "day": inputs.report_date.isoformat(),
        "sources": sorted(str(s["platform"]) for s in inputs.sources)})  # fmt: skip
    return {
        "nothing_done": idle,
        "report_date": inputs.report_date.isoformat(),
        "rows": agg["rows"],
        "calls": fetched["calls"],
        "sources_failed": sorted(p for p, s in fetched["sources"].items() if s["error"]),
        "headline": {k: agg["totals"].get(k) for k in _HEADLINE},
        "files": {k: v["path"] for k, v in files.items()},
        "deliveries": sent,
        "summary": summary_text(data, insights, limit=3, language=inputs.language),
        "seconds": {"fetch": fetched["seconds"], "aggregate": agg["seconds"],
                    **{f"render_{k}": v.get("seconds") for k, v in files.items()}},
    }  # fmt: skip


async def plan_step(*, inputs: BiInputs, windows: Windows, kinds: dict[str, str]
                    ) -> dict[str, Any]:  # fmt: skip
    """What the report covers (kept so the run's page shows it)."""
    return {"report_date": inputs.report_date.isoformat(), "timezone": inputs.timezone,
            "windows": {n: d.isoformat() for n, d in windows.compare.items()},
            "kinds": kinds, "skipped_recipients": inputs.skipped_recipients}  # fmt: skip


class _PageProgress:
    """Counts the order pages fetched, as progress."""

    def __init__(self, ctx: WorkflowContext) -> None:
        self.ctx = ctx
        self.pages = 0

    async def page(self, _: str) -> None:
        self.pages += 1
        await self.ctx.progress(min(0.4, 0.05 + self.pages / 2000),
                                message=message("progress.fetched_pages", pages=self.pages))


async def fetch_step(ctx: WorkflowContext, *, inputs: BiInputs, windows: Windows,
                     folder: Path) -> dict[str, Any]:
    """Every source into raw files; a failed source retries the run while it may."""
    from backend.reports.rawdata import RawTables

    tables = RawTables(folder)
    tables.reset()
    calls_before = ctx.platforms.stats()["calls_total"]
    started = time.perf_counter()
    got = await fetch_sources(ctx.platforms, sources=inputs.sources, windows=windows,
                              tables=tables, on_page=_PageProgress(ctx).page,
                              detail_days=detail_days_for(windows, inputs.detail_days))
    calls = ctx.platforms.stats()["calls_total"] - calls_before
    failed = {p: s["error"] for p, s in got["sources"].items() if s["error"]}
    fatal = [p for p, s in got["sources"].items() if s.get("fatal")]
    if fatal:
        raise NonRetryableError(f"sources refused the request: {', '.join(fatal)} "
                                f"({failed[fatal[0]]})")
    if failed and ctx.attempt <= ctx.spec.retry_policy.max_retry:
        raise RetryableError(f"{len(failed)} source(s) failed: {sorted(failed)} "
                             f"(attempt {ctx.attempt})")
    for platform, error in failed.items():
        ctx.log(message("log.report_without_platform", platform=platform, error=error),
                level="warning")
    return {"rows": tables.counts(), "sources": got["sources"], "calls": calls,
            "retries": got["retries"], "seconds": round(time.perf_counter() - started, 3)}


async def aggregate_step(ctx: WorkflowContext, *, inputs: BiInputs, windows: Windows,
                         kinds: dict[str, str], folder: Path,
                         fetched: dict[str, Any]) -> dict[str, Any]:
    """Dedup, convert to IDR at dated rates, KPIs, deltas and data-quality checks."""
    def load() -> Any:
        con = aggregate.open_tables(folder)
        return con, aggregate.foreign_currency_days(con, timezone=inputs.timezone)

    def build(con: Any, rates: dict[tuple[str, date], float]) -> dict[str, Any]:
        data = aggregate.build(con, windows=windows, timezone=inputs.timezone, rates=rates,
                               kinds=kinds)  # fmt: skip
        aggregate.save_for_render(con, folder=folder, day=inputs.report_date,
                                  language=inputs.language, timezone=inputs.timezone)
        return data

    started = time.perf_counter()
    con, needed = await asyncio.to_thread(load)
    try:
        fx = ctx.platforms.fx()
        rates: dict[tuple[str, date], float] = {}
        for currency, day in needed:
            rates[(currency, day)] = await fx.to_idr(currency, day)
        data = await asyncio.to_thread(build, con, rates)
    finally:
        con.close()
    failed = {p: s["error"] for p, s in fetched["sources"].items() if s["error"]}
    data["quality"]["checks"] += [quality_finding("source_failed", platform=p, error=err)
                                  for p, err in failed.items()]  # fmt: skip
    data["fetch"] = {k: fetched[k] for k in ("calls", "retries", "seconds")}
    stored = await ctx.tools.files.save("report-data.json", orjson.dumps(data))
    return {"data_path": stored.path, "rows": data["rows"],
            "seconds": round(time.perf_counter() - started, 3),
            "totals": data["totals"]["report"], "deltas": data["deltas"]}  # fmt: skip


async def insights_step(ctx: WorkflowContext, *, inputs: BiInputs, data: dict[str, Any]
                        ) -> dict[str, Any]:  # fmt: skip
    """Anomalies, trends and recommendations (offline engine; the LLM when set up)."""
    from backend.ai.insights import bi_insights

    s = data["series"]
    metrics = {m: [v or 0.0 for v in s[m]] for m in ("sales", "orders", "visitors",
                                                      "ad_spend") if any(s[m])}  # fmt: skip
    channels = {}
    for p, info in data["platforms"].items():
        if info["kind"] == "ads" and info["values"]["report"].get("spend"):
            now, before = info["values"]["report"], info["values"].get("last_week", {})
            # By the name the reader knows ("Google Ads"): the insights quote it.
            channels[labels.platform(p)] = {
                "spend": now["spend"], "revenue": now.get("revenue", 0.0),
                "prev_spend": before.get("spend"), "prev_revenue": before.get("revenue")}
    found = await asyncio.to_thread(
        bi_insights, metrics=metrics, dates=[date.fromisoformat(d) for d in s["dates"]],
        channels=channels, language=inputs.language,
        use_ai=inputs.ai_enabled and ctx.settings.llm_enabled, settings=ctx.settings)
    return found.model_dump()


async def history_step(ctx: WorkflowContext, *, inputs: BiInputs, data: dict[str, Any]
                       ) -> dict[str, Any]:  # fmt: skip
    """The day's totals as durable history (trend charts) and as metrics."""
    day = inputs.report_date.isoformat()
    totals = data["totals"]["report"]
    # The trend's past must outlive a Redis restart: durable state, one row a day.
    await ctx.tools.state.set(f"{HISTORY_PREFIX}{day}", {"date": day, **totals})
    for metric in ("sales", "orders", "visitors", "ad_spend", "roas"):
        if totals.get(metric) is not None:
            await ctx.tools.metrics.set_gauge(f"bi_{metric}", float(totals[metric]),
                                              help=f"Daily BI report: {metric}")
    days = await ctx.tools.state.items(HISTORY_PREFIX)
    return {"stored": day, "days": len(days)}
