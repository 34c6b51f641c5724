"""The BI report's outputs and their delivery: files as run artifacts, messages once.

``render_outputs`` writes the PDF, the workbook (with a CSV of every cleaned order) and
the dashboard JSON, then records them as artifacts. ``distribute`` sends the report to
each recipient exactly once per report date (key ``bi:{job}:{date}:{channel}:{to}``,
held in the run ledger and passed to the platform as its idempotency key).

The dashboard artifact ``dashboard-<date>.json`` (for the UI) holds ``report_date``,
``timezone``, ``totals`` and ``deltas`` per window, ``platforms`` (kind, report-day
values, deltas), ``figures`` (Plotly figure dicts: sales_trend, sales_by_platform,
hourly_sales, roas_by_channel), ``insights`` and the data-quality ``quality`` checks.
"""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson

from backend.connectors.base import ConnectorError
from backend.core.errors import NonRetryableError, RetryableError
from backend.core.messages import message
from backend.workflows.bi_report.inputs import BiInputs
from backend.workflows.context import WorkflowContext

__all__ = ["render_outputs", "distribute", "summary_text"]

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def summary_text(data: Mapping[str, Any], insights: Mapping[str, Any], *, limit: int = 5,
                 language: str = "id") -> str:
    """A short plain-text summary in ``language`` (chat messages, email body, the run
    result): the headline figures against last week (or the first comparison day)."""
    from backend.reports import labels
    from backend.reports.locale import day_long
    from backend.reports.pdf import fmt_delta, fmt_value

    t, d = data["totals"]["report"], data["deltas"]
    base = "last_week" if "last_week" in d else next(iter(d), None)
    week: Mapping[str, Any] = d.get(base, {}) if base else {}
    lines = [f"{labels.text('report_title', lang=language)} "
             f"{day_long(data['report_date'], lang=language)}"]  # fmt: skip
    for m in ("sales", "orders", "visitors", "ad_spend", "roas"):
        if t.get(m) is None:
            continue
        line = f"{labels.kpi(m, lang=language)}: {fmt_value(m, t[m], lang=language)}"
        if base:
            line += f" ({fmt_delta(week.get(m), lang=language)} {labels.vs(base, lang=language)})"
        lines.append(line)
    for key in ("anomalies", "recommendations"):
        lines += [f"- {x}" for x in list(insights.get(key, []))[:limit]]
    return "\n".join(lines)


async def render_outputs(ctx: WorkflowContext, *, data: dict[str, Any], insights: dict[str, Any],
                         inputs: BiInputs, folder: Path) -> dict[str, dict[str, Any]]:
    """Write the requested formats from the aggregate step's files in ``folder``
    (``aggregate.save_for_render``); returns name -> {path, size, content_type, seconds}."""
    import duckdb

    from backend.reports import aggregate, exports, labels
    from backend.reports.charts import dashboard_figures
    from backend.reports.excel import render_excel
    from backend.reports.pdf import render_pdf

    files = ctx.tools.files
    day = inputs.report_date
    # laporan-bi-2026-12-06.pdf: the name an email attachment and a download carry.
    report = labels.text("file_report", lang=inputs.language)
    orders_file = labels.text("file_orders", lang=inputs.language)
    out: dict[str, dict[str, Any]] = {}
    if "pdf" in inputs.formats:
        started = time.perf_counter()
        rel, target = files.path_for(f"{report}-{day}.pdf")
        await asyncio.to_thread(render_pdf, data, insights, path=target, title=inputs.title,
                                job_id=ctx.job_id, language=inputs.language)
        out["pdf"] = {"path": rel, "content_type": "application/pdf",
                      "seconds": round(time.perf_counter() - started, 3)}  # fmt: skip
    if "excel" in inputs.formats:
        started = time.perf_counter()
        rel, target = files.path_for(f"{report}-{day}.xlsx")
        csv_rel, csv_target = files.path_for(f"{orders_file}-{day}.csv")

        def excel() -> None:
            con = duckdb.connect(str(folder / aggregate.RENDER_DB), read_only=True)
            try:
                render_excel(data, insights, path=target, orders=exports.day_orders(con, day),
                             ads=exports.day_ads(con, day), language=inputs.language)
            finally:
                con.close()
            # The full export was written by the aggregate step (a retried render may find
            # it moved already).
            if (folder / aggregate.ORDERS_CSV).exists():
                shutil.move(folder / aggregate.ORDERS_CSV, csv_target)

        await asyncio.to_thread(excel)
        out["excel"] = {"path": rel, "content_type": _XLSX,
                        "seconds": round(time.perf_counter() - started, 3)}  # fmt: skip
        out["csv"] = {"path": csv_rel, "content_type": "text/csv", "seconds": None}
    if "dashboard" in inputs.formats:
        started = time.perf_counter()
        board = {"report_date": data["report_date"], "timezone": data["timezone"],
                 "totals": data["totals"], "deltas": data["deltas"],
                 "platforms": {p: {"kind": v["kind"], "report": v["values"]["report"],
                                   "deltas": v["deltas"]} for p, v in data["platforms"].items()},
                 "figures": dashboard_figures(data, lang=inputs.language), "insights": insights,
                 "quality": data["quality"]["checks"]}  # fmt: skip
        stored = await files.save(f"dashboard-{day}.json", orjson.dumps(board))
        out["dashboard"] = {"path": stored.path, "content_type": "application/json",
                            "seconds": round(time.perf_counter() - started, 3)}  # fmt: skip
    for name, info in out.items():
        described = files.describe(info["path"], content_type=info["content_type"])
        info["size"] = described.size
        await ctx.add_artifact(name=Path(info["path"]).name, path=described.path,
                               content_type=info["content_type"], size=described.size)
        ctx.log(message("log.report_file", name=name, file=Path(info["path"]).name,
                        size=described.size))
    return out


async def distribute(ctx: WorkflowContext, *, data: dict[str, Any], insights: dict[str, Any],
                     inputs: BiInputs, files: Mapping[str, Mapping[str, Any]]
                     ) -> dict[str, Any]:
    """Send to every recipient once; failures are listed (and retried while the run may)."""
    from backend.connectors.messages import Attachment
    from backend.reports.locale import day_long

    text = summary_text(data, insights, language=inputs.language)
    attachments: dict[str, Attachment] = {}
    for name in ("pdf", "excel"):
        if name in files:
            raw = await ctx.tools.files.read(files[name]["path"])
            attachments[name] = Attachment(Path(files[name]["path"]).name, raw,
                                           files[name]["content_type"])  # fmt: skip
    subject = f"{inputs.title} · {day_long(inputs.report_date, lang=inputs.language)}"
    sent: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []
    retryable = False
    for r in inputs.recipients:
        key = f"bi:{ctx.job_id}:{inputs.report_date}:{r.channel}:{r.to}"
        attach: list[Attachment] = []
        if r.channel == "email":
            attach = list(attachments.values())
        elif r.channel == "telegram" and "pdf" in attachments:
            attach = [attachments["pdf"]]

        async def send(k: str, r: Any = r, attach: list[Attachment] = attach) -> dict[str, Any]:
            delivery = await ctx.tools.messaging.send(
                r.channel, r.to, text, idempotency_key=k, attachments=attach,
                subject=subject if r.channel == "email" else None)
            return {"channel": r.channel, "to": r.to, "provider_id": delivery.provider_id,
                    "status": delivery.status}  # fmt: skip

        try:
            sent.append(await ctx.once(key, send))
        except (ConnectorError, NonRetryableError, RetryableError, ValueError) as exc:
            retryable = retryable or isinstance(exc, RetryableError)
            failed.append({"channel": r.channel, "to": r.to, "error": f"{type(exc).__name__}: "
                           f"{exc}"})  # fmt: skip
            ctx.log(message("log.delivery_failed", channel=r.channel, to=r.to, error=str(exc)),
                    level="warning")
    if retryable and ctx.attempt <= ctx.spec.retry_policy.max_retry:
        raise RetryableError(f"{len(failed)} delivery(ies) failed; retrying the rest")
    return {"sent": sent, "failed": failed, "skipped": inputs.skipped_recipients}
