"""What a price-intelligence run tells people: the AI's explanation of each decision and
the run report (Telegram / email, plus a JSON artifact)."""

from __future__ import annotations

import asyncio
import shutil
import statistics
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any

import orjson

from backend.ai.advice import RulesFigures, pricing_advice
from backend.connectors.messages import Attachment
from backend.core.config import Settings
from backend.core.messages import message
from backend.domain.shops import DEFAULT_ACCOUNT, store_key
from backend.workflows.context import WorkflowContext
from backend.workflows.pricing.excel import XLSX_TYPE, DecisionsBook
from backend.workflows.pricing.rules import PricingRules

__all__ = ["explain", "send_report", "summarize", "Summary", "DEFAULT_REPORT_TO"]

DEFAULT_REPORT_TO = {"telegram": "@spio_pricing", "email": "owner@toko.example"}


async def explain(
    decision: dict[str, Any],
    *,
    product: dict[str, Any],
    rules: PricingRules,
    inputs: dict[str, Any],
    settings: Settings,
) -> dict[str, Any] | None:
    """The advice engine's reading of one decision (offline unless an LLM is set up and
    ``ai_analysis.enabled``); the rules already decided, this only explains."""
    if product.get("cost") is None:
        return None
    use_ai = bool((inputs.get("ai_analysis") or {}).get("enabled", True)) and settings.llm_enabled

    def advise() -> dict[str, Any]:
        advice = pricing_advice(
            my_price=decision["current_price"], cost=product["cost"],
            competitor_prices=[decision["lowest_competitor"] or 0], strategy=rules.strategy,
            min_margin_percent=rules.min_margin_percent,
            max_discount_percent=rules.max_discount_percent, use_ai=use_ai, settings=settings,
            rules=RulesFigures(floor_price=decision["floor_price"],
                               floor_rule=decision.get("floor_rule") or "discount",
                               strategy_price=decision.get("strategy_price")),
        )  # fmt: skip
        return {"engine": advice.engine, "action": advice.action, "reasons": advice.reasons}

    return await asyncio.to_thread(advise) if use_ai else advise()


def _store(d: dict[str, Any]) -> str:
    """The shop of a decision: ``shopee``, or ``shopee@toko-b`` for a second shop."""
    return store_key(d["platform"], d.get("account") or DEFAULT_ACCOUNT)


class Summary:
    """The report's figures, added up slice by slice of decisions and outcomes."""

    def __init__(self) -> None:
        self.adjusted: set[str] = set()
        self.changes: list[float] = []
        self.flagged: set[str] = set()
        self.out_of_stock = 0

    def add(self, *, decisions: Iterable[dict[str, Any]] = (),
            outcomes: Iterable[dict[str, Any]] = ()) -> None:  # fmt: skip
        for o in outcomes:
            if o.get("verified"):
                self.adjusted.add(o["sku"])
                if o.get("from"):
                    self.changes.append((o["target"] - o["from"]) / o["from"] * 100)
        for d in decisions:
            if d["action"] == "review":
                self.flagged.add(f"{d['sku']}@{_store(d)}")
            self.out_of_stock += d["competitors_out_of_stock"]

    def as_dict(self, stores: dict[str, Any]) -> dict[str, Any]:
        changes = self.changes
        return {
            "products_adjusted": len(self.adjusted),
            "prices_changed": len(changes),
            "average_change_percent": round(statistics.fmean(changes), 2) if changes else 0.0,
            "flagged_items": sorted(self.flagged),
            "competitor_offers_out_of_stock": self.out_of_stock,
            "stores": stores,
        }


def summarize(
    decisions: list[dict[str, Any]], outcomes: list[dict[str, Any]], stores: dict[str, Any]
) -> dict[str, Any]:
    """The report's figures."""
    summary = Summary()
    summary.add(decisions=decisions, outcomes=outcomes)
    return summary.as_dict(stores)


# The report message in the job's language (inputs.language: "id", the default, or "en").
_WORDS = {
    "id": {"title": "Laporan harga", "adjusted": "Produk disesuaikan", "prices": "harga",
           "average": "rata-rata", "review": "Perlu ditinjau",
           "out_of_stock": "Penawaran kompetitor stok habis", "stores": "Toko",
           "ok": "berhasil", "failed": "gagal"},
    "en": {"title": "Price report", "adjusted": "Products adjusted", "prices": "prices",
           "average": "average", "review": "To review",
           "out_of_stock": "Competitor offers out of stock", "stores": "Stores",
           "ok": "done", "failed": "failed"},
}  # fmt: skip


def report_language(inputs: dict[str, Any]) -> str:
    return "en" if inputs.get("language") == "en" else "id"


def _text(summary: dict[str, Any], job_id: str, *, lang: str = "id") -> str:
    w = _WORDS[lang]
    stores = ", ".join(f"{p} {s['ok']} {w['ok']}/{s['failed']} {w['failed']}"
                       for p, s in summary["stores"].items())  # fmt: skip
    flagged = ", ".join(summary["flagged_items"][:10]) or "-"
    more = len(summary["flagged_items"]) - 10
    tail = f" +{more}" if more > 0 else ""
    change = f"{summary['average_change_percent']:+.2f}%"
    if lang == "id":
        change = change.replace(".", ",")
    return (
        f"{w['title']} {job_id}\n"
        f"{w['adjusted']}: {summary['products_adjusted']} "
        f"({summary['prices_changed']} {w['prices']}, {w['average']} {change})\n"
        f"{w['review']}: {len(summary['flagged_items'])} ({flagged}{tail})\n"
        f"{w['out_of_stock']}: {summary['competitor_offers_out_of_stock']}\n"
        f"{w['stores']}: {stores}"
    )


async def send_report(
    ctx: WorkflowContext,
    *,
    done: Callable[[], AsyncIterator[dict[str, list[dict[str, Any]]]]],
    summary: dict[str, Any],
    calls: dict[str, Any],
) -> dict[str, Any]:
    """Store the JSON report and send the summary to the report channels, once each.
    ``done()`` yields the run's decisions and outcomes a slice at a time
    (``{"decisions", "outcomes"}``): neither is held whole."""
    relative, target = ctx.tools.files.path_for("price-report.json")
    _, side = ctx.tools.files.path_for("price-report.outcomes.part")
    with target.open("wb") as out, side.open("w+b") as outcomes:
        # {"summary", "decisions", "outcomes", "calls"}: the outcomes wait in a side file
        # so that each slice is read once.
        out.write(b'{"summary":' + orjson.dumps(summary) + b',"decisions":[')
        first = {"d": True, "o": True}
        async for part in done():
            for key, fh, items in (("d", out, part["decisions"]),
                                   ("o", outcomes, part["outcomes"])):  # fmt: skip
                for item in items:
                    fh.write((b"" if first[key] else b",") + orjson.dumps(item))
                    first[key] = False
        out.write(b'],"outcomes":[')
        outcomes.seek(0)
        shutil.copyfileobj(outcomes, out)
        out.write(b'],"calls":' + orjson.dumps(calls) + b"}")
    side.unlink(missing_ok=True)
    stored = await asyncio.to_thread(ctx.tools.files.describe, relative,
                                     content_type="application/json")  # fmt: skip
    await ctx.add_artifact(name="price-report.json", path=stored.path,
                           content_type=stored.content_type, size=stored.size)  # fmt: skip
    attachments: list[Attachment] = []
    if "excel" in (ctx.inputs.get("report_formats") or []):
        book = DecisionsBook()
        async for part in done():
            book.add(part["decisions"])
        data = book.save()
        saved = await ctx.tools.files.save("price-report.xlsx", data, content_type=XLSX_TYPE)
        await ctx.add_artifact(name="price-report.xlsx", path=saved.path,
                               content_type=XLSX_TYPE, size=saved.size)  # fmt: skip
        attachments.append(Attachment("price-report.xlsx", data, XLSX_TYPE))
    targets = {**DEFAULT_REPORT_TO, **(ctx.inputs.get("report_to") or {})}
    sent = []
    lang = report_language(ctx.inputs)
    for entry in ctx.inputs.get("report_channels") or []:
        channel = entry.get("channel") if isinstance(entry, dict) else str(entry)
        to = entry.get("to") if isinstance(entry, dict) else None
        to = targets.get(channel) if to in (None, "default") else to
        if channel not in ("telegram", "email", "whatsapp", "sms") or not to:
            ctx.log(message("log.report_no_recipient", channel=channel), level="warning")
            continue
        key = f"pricing-report:{ctx.job_id}:{ctx.run_id}:{channel}"
        for n, target in enumerate(to if isinstance(to, list) else [to]):  # one or several
            await ctx.tools.messaging.send(
                channel, str(target), _text(summary, ctx.job_id, lang=lang),
                subject=f"{_WORDS[lang]['title']} {ctx.job_id}" if channel == "email" else None,
                attachments=attachments if channel == "email" else None,
                idempotency_key=key if n == 0 else f"{key}:{target}",
            )  # fmt: skip
        sent.append(channel)
    return {**summary, "report_sent_to": sent}
