"""Product catalog sync: changed products to every platform, with images and copy.

Steps (each checkpointed; a retry resumes after the last finished one, and inside the
write step every listing already written is skipped via the ledger):

    load      products changed since the watermark (the PIM's ``updated_at`` of the
              last product a successful sync handled; kept in the database, so a
              Redis restart does not mean a full reload), oldest change first, up to
              ``products.limit``; streamed to a file
    sync      product by product: its images (fetch, fit, compress, convert, publish
              once per content; catalog_images), then at once its listing on every
              platform (copy, price after fees and margin, stock minus the safety
              buffer, those images; create or update by SKU, unchanged listings
              skipped; catalog_writer). The listings of one product are written while
              the next products' images are processed, so the platform calls hide
              behind the image work instead of following it.
    verify    read every platform back, rewrite a difference once, list what is left
    finish    report artifact, alert on failures, advance the watermark (to before the
              oldest failed product, so the next sync takes it again)
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Any

import orjson

from backend.connectors.pim import PimConnector
from backend.workflows.catalog_images import process_images, read_jsonl
from backend.workflows.catalog_push import verify_all
from backend.workflows.catalog_retry import call_with_retries
from backend.workflows.catalog_rules import SyncInputs, parse_sync_inputs
from backend.workflows.catalog_writer import ListingWriter

__all__ = ["run", "WATERMARK_KEY"]

WATERMARK_KEY = "catalog:watermark"


def _path(ctx: Any, name: str) -> tuple[str, Path]:
    rel, target = ctx.tools.files.path_for(name)
    return rel, Path(target)


async def run(ctx: Any) -> dict[str, Any]:
    """The workflow entry point (see the module docstring)."""
    inputs: SyncInputs = parse_sync_inputs(ctx.inputs)
    started = time.perf_counter()
    _, products_path = _path(ctx, "products.jsonl")
    _, expected_path = _path(ctx, "expected.jsonl")

    async def load() -> dict[str, Any]:
        stored = await ctx.tools.state.get(WATERMARK_KEY)
        if stored is None:  # an install from before job_state kept it in Redis
            stored = await ctx.tools.kv.get(WATERMARK_KEY)
        since = float(stored) if stored is not None else inputs.first_since
        pim = PimConnector(client=ctx.tools.http.client)
        count, newest, oldest = 0, since, None
        cursor: str | None = None
        with products_path.open("wb") as fh:
            while count < inputs.limit:
                page = await call_with_retries(lambda c=cursor: pim.changed_products(
                    since=since, cursor=c, page_size=min(200, inputs.limit)))
                for product in page.items[: inputs.limit - count]:
                    fh.write(orjson.dumps(product) + b"\n")
                    count += 1
                    newest = max(newest, float(product["updated_at"]))
                    oldest = product["updated_at"] if oldest is None else oldest
                cursor = page.next_cursor
                if not cursor:
                    break
        ctx.log(f"{count} product(s) changed since {since:.0f}")
        return {"count": count, "since": since, "newest": newest}

    loaded = await ctx.step("load", load)
    if loaded["count"] == 0:
        await ctx.progress(1.0, message="nothing changed")
        return {"products": 0, "platforms": inputs.platforms, "writes": 0, "images": None,
                "failures": [], "message": "nothing changed since the last sync"}  # fmt: skip
    total = loaded["count"]

    async def sync() -> dict[str, Any]:
        items, listed, imaged = total * len(inputs.platforms), 0, 0

        async def tick() -> None:
            nonlocal listed
            listed += 1
            images_note = f"images of {imaged}/{total} products, " if inputs.sync_images else ""
            await ctx.progress(0.9 * listed / items,
                               message=f"{images_note}{listed}/{items} listings")

        t0 = time.perf_counter()
        done = await ctx.done_keys(f"catalog:{ctx.job_id}:")
        with expected_path.open("wb") as expected:
            writer = ListingWriter(ctx, inputs=inputs, expected_out=expected, done=done,
                                   on_item=tick)

            async def ready(product: dict[str, Any], urls: list[str]) -> None:
                nonlocal imaged
                imaged += 1
                await writer.add(product, urls)

            image_stats = None
            try:
                if inputs.sync_images:
                    image_stats = await process_images(ctx, products=products_path,
                                                       inputs=inputs, on_product=ready)
                    image_stats["seconds"] = round(time.perf_counter() - t0, 3)
                else:
                    for product in read_jsonl(products_path):
                        await writer.add(product, [])
            except BaseException:
                await writer.abort()
                raise
            pushed = await writer.close()
        return {**pushed, "images": image_stats, "seconds": round(time.perf_counter() - t0, 3)}

    pushed = await ctx.step("sync", sync)
    image_stats = pushed["images"]

    async def verify() -> dict[str, Any]:
        return await verify_all(ctx, expected=expected_path, inputs=inputs)

    verified = await ctx.step("verify", verify)

    async def finish() -> dict[str, Any]:
        failures = [{"platform": p, "sku": f["sku"], "stage": "write", "reason": f["error"]}
                    for p, s in pushed["platforms"].items() for f in s["failed"]]
        known = {(f["platform"], f["sku"]) for f in failures}  # a failed write is named once
        failures += [{"platform": p, "sku": f["sku"], "stage": "verify", "reason": f["reason"]}
                     for p, v in verified.items() for f in v["problems"]
                     if f["reason"] != "not listed" and (p, f["sku"]) not in known]  # fmt: skip
        # A product listed without some of its photos is named too, and taken again by
        # the next sync (no platform write unless the photo comes through by then).
        images = image_stats or {}
        failures += [{"platform": "images", "sku": f["sku"], "stage": "image",
                      "reason": f"{f['url']}: {f['error']}"}
                     for f in images.get("problems", [])]  # fmt: skip
        failed_skus = {f["sku"] for f in failures} | set(images.get("failed_skus", []))
        watermark = loaded["newest"]
        if failed_skus:
            stamps = [float(p["updated_at"]) for p in read_jsonl(products_path)
                      if p["sku"] in failed_skus]  # fmt: skip
            watermark = max(loaded["since"], min(stamps) - 1)
        await ctx.tools.state.set(WATERMARK_KEY, watermark)
        report = {"products": total, "platforms": inputs.platforms, "images": image_stats,
                  "push": pushed, "verify": verified, "failures": failures,
                  "watermark": {"before": loaded["since"], "after": watermark}}  # fmt: skip
        stored = await ctx.tools.files.save("catalog-sync-report.json",
                                            orjson.dumps(report, option=orjson.OPT_INDENT_2))
        await ctx.add_artifact(name="catalog-sync-report.json", path=stored.path,
                               content_type="application/json", size=stored.size)
        alerted = await _alert(ctx, inputs, failures, total)
        return {"failures": failures, "watermark": watermark, "alerted": alerted}

    finished = await ctx.step("finish", finish)
    await ctx.progress(1.0, message="done")
    writes = sum(s["written"] for s in pushed["platforms"].values())
    return {
        "products": total,
        "platforms": inputs.platforms,
        "writes": writes,
        "unchanged": sum(s["unchanged"] for s in pushed["platforms"].values()),
        "retries": pushed["retries"] + (image_stats or {}).get("retries", 0),
        "images": image_stats,
        "verified_ok": sum(v["ok"] for v in verified.values()),
        "verified": sum(v["checked"] for v in verified.values()),
        "failures": finished["failures"],
        "alerted": finished["alerted"],
        "seconds": round(time.perf_counter() - started, 3),
        # The images are done at "images"; the listings follow them within "sync".
        "step_seconds": {"images": (image_stats or {}).get("seconds"),
                         "sync": pushed["seconds"]},
    }


async def _alert(ctx: Any, inputs: SyncInputs, failures: list[dict[str, Any]],
                 total: int) -> int:
    """Tell the ``alert`` recipients what failed (once per run and recipient)."""
    if not failures or not inputs.alert:
        return 0
    lines = [f"Catalog sync: {len(failures)} problem(s) over {total} products"]
    per_platform = Counter(f["platform"] for f in failures)
    lines += [f"{platform}: {n} listing(s)" for platform, n in per_platform.most_common()]
    lines += [f"- {f['platform']} {f['sku']}: {f['reason']}" for f in failures[:20]]
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
