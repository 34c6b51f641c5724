"""Product catalog sync: changed products to every platform, with images and copy.

Steps (each checkpointed; a retry resumes after the last finished one, and inside the
write step every listing already written is skipped via the ledger):

    load      products changed since the watermark (the PIM's ``updated_at`` of the
              last product a successful sync handled; kept in the database, so a
              Redis restart does not mean a full reload), oldest change first, up to
              ``products.limit``; streamed to a file
    sync      product by product: its images (fetch, fit, compress, convert, publish
              once per content; catalog.images), then at once its listing on every
              platform (copy, price after fees and margin, stock minus the safety
              buffer, those images; create or update by SKU, unchanged listings
              skipped; catalog.writer). The listings of one product are written while
              the next products' images are processed, so the platform calls hide
              behind the image work instead of following it.
    verify    read every platform back, rewrite a difference once, list what is left
    finish    report artifact, alert on failures, advance the watermark (to before the
              oldest failed product, so the next sync takes it again)

With an order trigger (``{"event": "order.created"}``) a run syncs that order's stock to
every platform instead (catalog.stock_sync).
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from backend.core.failures import failure_words
from backend.core.messages import message, render_message
from backend.core.outcome import NothingDone
from backend.workflows.catalog import stock_sync
from backend.workflows.catalog.images import process_images, read_jsonl
from backend.workflows.catalog.listings import verify_all
from backend.workflows.catalog.rules import SyncInputs, parse_sync_inputs, with_stores
from backend.workflows.catalog.stock_sync import is_stock_event
from backend.workflows.catalog.writer import ListingWriter
from backend.workflows.context import WorkflowContext

__all__ = ["run", "WATERMARK_KEY"]

WATERMARK_KEY = "catalog:watermark"


def _path(ctx: WorkflowContext, name: str) -> Path:
    _, target = ctx.tools.files.path_for(name)
    return Path(target)


async def run(ctx: WorkflowContext) -> dict[str, Any]:
    """The workflow entry point (see the module docstring)."""
    if is_stock_event(ctx.inputs):  # one order's stock, to every platform now
        return await stock_sync.run_for_order(ctx)
    # Each shop of each platform (inputs.accounts) is a store of its own from here on.
    inputs: SyncInputs = with_stores(parse_sync_inputs(ctx.inputs), ctx.inputs.get("accounts"))
    started = time.perf_counter()
    products = _path(ctx, "products.jsonl")
    expected = _path(ctx, "expected.jsonl")
    loaded = await ctx.step("load", lambda: load_step(ctx, inputs=inputs, products=products))
    if loaded["count"] == 0:
        await ctx.progress(1.0, message=message("progress.nothing_changed"))
        since = datetime.fromtimestamp(loaded["since"], UTC).isoformat()
        tz = ctx.spec.schedule.timezone if ctx.spec.schedule else "Asia/Jakarta"
        unchanged = NothingDone("catalog_nothing_changed", {"since": since, "tz": tz},
                                expected=False)  # fmt: skip
        return {"products": 0, "platforms": inputs.platforms, "writes": 0, "images": None,
                "failures": [], "message": "nothing changed since the last sync",
                "nothing_done": unchanged}  # fmt: skip
    pushed = await ctx.step("sync", lambda: sync_step(
        ctx, inputs=inputs, products=products, expected=expected, total=loaded["count"]))
    verified = await ctx.step("verify", lambda: verify_all(ctx, expected=expected,
                                                           inputs=inputs))
    finished = await ctx.step("finish", lambda: finish_step(
        ctx, inputs=inputs, products=products, loaded=loaded, pushed=pushed,
        verified=verified))
    await ctx.progress(1.0, message=message("progress.done"))
    image_stats = pushed["images"] or {}
    platforms = pushed["platforms"].values()
    written = sum(s["written"] for s in platforms)
    listings = loaded["count"] * len(inputs.platforms)
    idle: NothingDone | None = None
    if written == 0 and not sum(s["unchanged"] for s in platforms):
        # Products changed, yet not one listing reached a platform: every write failed.
        idle = NothingDone("catalog_nothing_synced", {
            "listings": listings, "failed": sum(len(s["failed"]) for s in platforms)})
    return {
        "nothing_done": idle,
        "products": loaded["count"],
        "platforms": inputs.platforms,
        "writes": written,
        "unchanged": sum(s["unchanged"] for s in platforms),
        "retries": pushed["retries"] + image_stats.get("retries", 0),
        "images": pushed["images"],
        "verified_ok": sum(v["ok"] for v in verified.values()),
        "verified": sum(v["checked"] for v in verified.values()),
        # Listings whose price a repricing decision owns: written with the repricer's
        # price, not compared or rewritten by verify.
        "managed_by_repricing": _managed(pushed, verified),
        "failures": finished["failures"],
        "alerted": finished["alerted"],
        "seconds": round(time.perf_counter() - started, 3),
        # The images are done at "images"; the listings follow them within "sync".
        "step_seconds": {"images": image_stats.get("seconds"), "sync": pushed["seconds"]},
    }


def _managed(pushed: dict[str, Any], verified: dict[str, Any]) -> list[dict[str, Any]]:
    """Every listing left at the repricer's price, once (platform, sku, job, price)."""
    rows = {(p, m["sku"]): {"platform": p, **m}
            for p, s in pushed["platforms"].items() for m in s.get("managed", [])}
    rows |= {(p, m["sku"]): {"platform": p, **m}
             for p, v in verified.items() for m in v.get("managed", [])}
    return sorted(rows.values(), key=lambda m: (m["platform"], m["sku"]))


async def load_step(ctx: WorkflowContext, *, inputs: SyncInputs, products: Path
                    ) -> dict[str, Any]:  # fmt: skip
    """Stream the products changed since the watermark, oldest first, to ``products``."""
    stored = await ctx.tools.state.get(WATERMARK_KEY)
    if stored is None:  # an install from before job_state kept it in Redis
        stored = await ctx.tools.kv.get(WATERMARK_KEY)
    since = float(stored) if stored is not None else inputs.first_since
    pim = ctx.platforms.pim()
    count, newest = 0, since
    cursor: str | None = None
    with products.open("wb") as fh:
        while count < inputs.limit:
            page = await pim.changed_products(since=since, cursor=cursor,
                                              page_size=min(200, inputs.limit))
            for product in page.items[: inputs.limit - count]:
                fh.write(orjson.dumps(product) + b"\n")
                count += 1
                newest = max(newest, float(product["updated_at"]))
            cursor = page.next_cursor
            if not cursor:
                break
    ctx.log(message("log.catalog_changed", count=count,
                    since=datetime.fromtimestamp(since, UTC).isoformat()))
    return {"count": count, "since": since, "newest": newest}


class _SyncProgress:
    """Counts listings written and products imaged, and reports them as progress."""

    def __init__(self, ctx: WorkflowContext, *, inputs: SyncInputs, total: int) -> None:
        self.ctx, self.inputs, self.total = ctx, inputs, total
        self.items = total * len(inputs.platforms)
        self.listed = self.imaged = 0

    async def listing_done(self) -> None:
        self.listed += 1
        text = message("progress.catalog_images", imaged=self.imaged, total=self.total,
                       listed=self.listed, items=self.items) if self.inputs.sync_images \
            else message("progress.catalog_listings", listed=self.listed, items=self.items)
        await self.ctx.progress(0.9 * self.listed / self.items, message=text)


async def sync_step(ctx: WorkflowContext, *, inputs: SyncInputs, products: Path,
                    expected: Path, total: int) -> dict[str, Any]:
    """Images, then every product's listings as soon as its images are ready."""
    progress = _SyncProgress(ctx, inputs=inputs, total=total)
    t0 = time.perf_counter()
    done = await ctx.done_keys(f"catalog:{ctx.job_id}:")
    with expected.open("wb") as expected_out:
        writer = ListingWriter(ctx, inputs=inputs, expected_out=expected_out, done=done,
                               on_item=progress.listing_done)  # fmt: skip

        async def ready(product: dict[str, Any], urls: list[str]) -> None:
            progress.imaged += 1
            await writer.add(product, urls)

        image_stats = None
        try:
            if inputs.sync_images:
                image_stats = await process_images(ctx, products=products, inputs=inputs,
                                                   on_product=ready)  # fmt: skip
                image_stats["seconds"] = round(time.perf_counter() - t0, 3)
            else:
                for product in read_jsonl(products):
                    await writer.add(product, [])
        except BaseException:
            await writer.abort()
            raise
        pushed = await writer.close()
    return {**pushed, "images": image_stats, "seconds": round(time.perf_counter() - t0, 3)}


def failures_of(pushed: dict[str, Any], verified: dict[str, Any]) -> list[dict[str, Any]]:
    """Every listing that failed to write, to verify, or lost a photo, named once."""
    failures = [{"platform": p, "sku": f["sku"], "stage": "write", "reason": f["error"]}
                for p, s in pushed["platforms"].items() for f in s["failed"]]
    known = {(f["platform"], f["sku"]) for f in failures}  # a failed write is named once
    failures += [{"platform": p, "sku": f["sku"], "stage": "verify", "reason": f["reason"],
                  **({"worded": f["worded"]} if f.get("worded") else {})}
                 for p, v in verified.items() for f in v["problems"]
                 if f["reason"] != "not listed" and (p, f["sku"]) not in known]  # fmt: skip
    # A product listed without some of its photos is named too, and taken again by the
    # next sync (no platform write unless the photo comes through by then).
    failures += [{"platform": "images", "sku": f["sku"], "stage": "image",
                  "reason": f"{f['url']}: {f['error']}"}
                 for f in (pushed["images"] or {}).get("problems", [])]  # fmt: skip
    return failures


async def finish_step(ctx: WorkflowContext, *, inputs: SyncInputs, products: Path,
                      loaded: dict[str, Any], pushed: dict[str, Any],
                      verified: dict[str, Any]) -> dict[str, Any]:
    """The report artifact, the alert, and the watermark (before the oldest failure)."""
    failures = failures_of(pushed, verified)
    images = pushed["images"] or {}
    failed_skus = {f["sku"] for f in failures} | set(images.get("failed_skus", []))
    watermark = loaded["newest"]
    if failed_skus:
        stamps = [float(p["updated_at"]) for p in read_jsonl(products)
                  if p["sku"] in failed_skus]  # fmt: skip
        watermark = max(loaded["since"], min(stamps) - 1)
    await ctx.tools.state.set(WATERMARK_KEY, watermark)
    report = {"products": loaded["count"], "platforms": inputs.platforms,
              "images": pushed["images"], "push": pushed, "verify": verified,
              "failures": failures,
              "watermark": {"before": loaded["since"], "after": watermark}}  # fmt: skip
    stored = await ctx.tools.files.save("catalog-sync-report.json",
                                        orjson.dumps(report, option=orjson.OPT_INDENT_2))
    await ctx.add_artifact(name="catalog-sync-report.json", path=stored.path,
                           content_type="application/json", size=stored.size)
    alerted = await alert(ctx, inputs=inputs, failures=failures, total=loaded["count"])
    return {"failures": failures, "watermark": watermark, "alerted": alerted}


def _reason_words(failure: dict[str, Any]) -> Any:
    """A failure's reason for the alert: its words (verify), a write's error worded, or
    the text itself (a photo's URL and error)."""
    if failure.get("worded"):
        return failure["worded"]
    if failure["stage"] == "write":
        return failure_words(str(failure["reason"])) or failure["reason"]
    return failure["reason"]


async def alert(ctx: WorkflowContext, *, inputs: SyncInputs, failures: list[dict[str, Any]],
                total: int) -> int:
    """Tell the ``alert`` recipients what failed (once per run and recipient)."""
    if not failures or not inputs.alert:
        return 0
    lang = inputs.language if inputs.language in ("id", "en") else "id"

    def said(key: str, **params: Any) -> str:
        return render_message(message(key, **params), lang)

    lines = [said("alert.catalog_head", n=len(failures), total=total)]
    per_platform = Counter(f["platform"] for f in failures)
    lines += [said("alert.catalog_platform", platform=platform, n=n)
              for platform, n in per_platform.most_common()]  # fmt: skip
    lines += [said("alert.catalog_line", platform=f["platform"], sku=f["sku"],
                   reason=_reason_words(f)) for f in failures[:20]]  # fmt: skip
    sent = 0
    for target in inputs.alert:
        channel, to = target.get("channel"), target.get("to")
        if not channel or not to:
            continue
        key = f"catalog-alert:{ctx.job_id}:{ctx.run_id}:{channel}:{to}"

        async def send(k: str, channel: str = channel, to: str = to) -> str:
            d = await ctx.tools.messaging.send(channel, to, "\n".join(lines), idempotency_key=k)
            return d.provider_id

        await ctx.once(key, send)
        sent += 1
    return sent
