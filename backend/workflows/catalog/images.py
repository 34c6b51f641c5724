"""Catalog sync's images: fetch, fit, compress, convert, publish once per content.

Each source image goes through the multimedia tool (fit within the box, encode at the
quality and format asked; outputs are content-addressed, so an unchanged photo is never
decoded twice), then the output is published once to the shop's own media library (the
website's image API, our CDN) under the key ``catalog:cdn:<sha256 of the source>:<box>``
in the run ledger. Every platform links that one URL. Products stream from a file and
at most ``workers * 2`` images are in flight, so memory stays flat.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import orjson

from backend.connectors.base import ConnectorError
from backend.connectors.policy import CallStats, RetryBudget, call_with_policy
from backend.core.errors import NonRetryableError
from backend.workflows.catalog.rules import SyncInputs
from backend.workflows.common.concurrency import bounded
from backend.workflows.context import WorkflowContext

__all__ = ["process_images", "read_jsonl"]

# A photo the shop's server fails to hand over (5xx, timeouts) is asked for again, the
# way every platform call is (the multimedia tool reads it through the http tool).
FIT_BUDGET = RetryBudget()


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Rows of a JSON-lines file, one at a time."""
    with path.open("rb") as fh:
        for line in fh:
            if line.strip():
                yield orjson.loads(line)


async def process_images(
    ctx: WorkflowContext, *, products: Path, inputs: SyncInputs,
    on_product: Callable[[dict[str, Any], list[str]], Awaitable[None]],
) -> dict[str, Any]:
    """Process every product's images; hand each product and its published image URLs
    to ``on_product`` as soon as they are ready (the listings need not wait for the
    rest of the catalog). Returns the counts; images that cannot be processed are
    listed (the first 50; ``failed_skus`` names every product concerned) and their
    product goes on without them."""
    mm = ctx.tools.multimedia
    cdn = ctx.platforms.catalog("website")
    root = Path(ctx.settings.artifacts_dir)
    box = f"{inputs.image_width}x{inputs.image_height}q{inputs.image_quality}.{inputs.image_format}"
    gate = asyncio.Semaphore(max(2, (ctx.settings.multimedia_workers or 2) * 2))
    stats = {"images": 0, "processed": 0, "reused": 0, "published": 0, "failed": 0,
             "bytes_out": 0, "retries": 0}  # fmt: skip
    problems: list[dict[str, str]] = []
    failed_skus: dict[str, None] = {}  # every product with an image missing, in order

    fits = CallStats()  # the multimedia tool's retries (the CDN's are the door's)

    async def one(url: str) -> str:
        async with gate:
            done = await call_with_policy(
                lambda: mm.fit(url, width=inputs.image_width, height=inputs.image_height,
                               fmt=inputs.image_format, quality=inputs.image_quality),
                budget=FIT_BUDGET, platform="images", stats=fits)  # fmt: skip
        stats["reused" if done.reused else "processed"] += 1
        stats["bytes_out"] += done.size

        async def publish(key: str) -> str:
            data = await asyncio.to_thread((root / done.path).read_bytes)
            ref = await cdn.upload_image(data, filename=Path(done.path).name,
                                         idempotency_key=key)
            stats["published"] += 1
            return ref.url

        return str(await ctx.once(f"catalog:cdn:{done.source_hash}:{box}", publish))

    async def product(p: dict[str, Any]) -> None:
        urls = list(p.get("images") or [])
        stats["images"] += len(urls)
        results = await asyncio.gather(*(one(u) for u in urls), return_exceptions=True)
        good = []
        for url, r in zip(urls, results, strict=True):
            if isinstance(r, ConnectorError | NonRetryableError):
                stats["failed"] += 1
                failed_skus[p["sku"]] = None
                if len(problems) < 50:
                    problems.append({"sku": p["sku"], "url": url,
                                     "error": f"{type(r).__name__}: {r}"})
            elif isinstance(r, BaseException):
                raise r
            else:
                good.append(r)
        await on_product(p, good)

    await bounded(read_jsonl(products), product, concurrency=4)
    stats["retries"] = fits.retried["images"]
    return {**stats, "problems": problems, "failed_skus": list(failed_skus)}
