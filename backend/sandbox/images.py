"""Product images: multi-megapixel JPEGs generated on first request, cached on disk.

``GET /img/{sku}/{n}.jpg`` serves image ``n`` of a product. Each image is unique (the
product's own colours, shapes and label over a textured background) but cheap to make:
the noisy backgrounds are built once per process and reused. Files land under
``data_dir/sandbox/img/<seed>/`` and are served from there afterwards.
"""

from __future__ import annotations

import asyncio
import functools
import os
import threading
from pathlib import Path
from typing import Any

from aiohttp import web
from PIL import Image, ImageDraw, ImageFont

from backend.sandbox.data.catalog import product_index, products
from backend.sandbox.data.rng import rng_for
from backend.sandbox.platform import DATA_DIR_KEY, STATE_KEY, json_response

__all__ = ["register", "image_file", "render_image", "photo_count", "SIZES"]

SIZES = ((3000, 3000), (2400, 2400), (3000, 2000))
_lock = threading.Lock()


@functools.lru_cache(maxsize=len(SIZES) * 2)
def _background(width: int, height: int, variant: int) -> Image.Image:
    grad = Image.linear_gradient("L").resize((width, height))
    radial = Image.radial_gradient("L").resize((width, height))
    bands = (grad, grad.rotate(90 + 180 * variant), radial)
    base = Image.merge("RGB", bands if variant == 0 else bands[::-1])
    noise = Image.effect_noise((width, height), 28).convert("RGB")
    return Image.blend(base, noise, 0.12)


def render_image(seed: int, sku: str, n: int) -> Image.Image:
    """Image ``n`` of product ``sku`` (deterministic for the seed)."""
    rng = rng_for(seed, "image", sku, n)
    width, height = SIZES[rng.randrange(len(SIZES))]
    with _lock:  # the cached background must not be read while it is being built
        background = _background(width, height, rng.randrange(2))
    im = background.copy()
    draw = ImageDraw.Draw(im)
    colour = tuple(rng.randrange(40, 240) for _ in range(3))
    cx, cy, r = width // 2, height // 2, min(width, height) // 3
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colour)  # type: ignore[arg-type]
    inner = tuple(255 - c for c in colour)
    w2, h2 = int(r * rng.uniform(0.4, 0.8)), int(r * rng.uniform(0.4, 0.8))
    draw.rounded_rectangle((cx - w2, cy - h2, cx + w2, cy + h2), radius=r // 8, fill=inner)  # type: ignore[arg-type]
    font = ImageFont.load_default(size=max(48, height // 18))
    draw.text((width // 20, height // 20), f"{sku}  #{n}", font=font, fill=(255, 255, 255))
    return im


def image_file(data_dir: Path, seed: int, sku: str, n: int) -> Path:
    """The cached JPEG of image ``n`` of ``sku``, rendered first if missing."""
    path = data_dir / "img" / str(seed) / f"{sku}_{n}.jpg"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    im = render_image(seed, sku, n)
    tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
    im.save(tmp, "JPEG", quality=90)
    os.replace(tmp, path)  # atomic: concurrent renderers of the same image are harmless
    return path


def photo_count(state: Any, product: Any) -> int:
    """How many photos ``product`` has: its seeded 3-5, or what a benchmark asked for
    (``POST /_admin/images/photos {"per_product": 5}``)."""
    return int(state.photos_per_product or product.image_count)


async def set_photos(request: web.Request) -> web.Response:
    """``POST /_admin/images/photos {"per_product": 1-10 | null}``."""
    body = await request.json() if request.can_read_body else {}
    wanted = body.get("per_product")
    if wanted is not None and (not isinstance(wanted, int) or not 1 <= wanted <= 10):
        return json_response({"error": "per_product: a whole number 1-10, or null"},
                             status=400)
    request.app[STATE_KEY].photos_per_product = wanted
    return json_response({"per_product": wanted})


async def serve_image(request: web.Request) -> web.StreamResponse:
    state = request.app[STATE_KEY]
    sku, raw_n = request.match_info["sku"], request.match_info["n"]
    product = product_index(state.seed).get(sku)
    n = int(raw_n) if raw_n.isdigit() else 0
    if product is None or not 1 <= n <= photo_count(state, product):
        raise web.HTTPNotFound(text="no such image")
    state.counters.requests["images"] += 1
    path = await asyncio.get_running_loop().run_in_executor(
        None, image_file, request.app[DATA_DIR_KEY], state.seed, sku, n
    )
    return web.FileResponse(
        path, headers={"Content-Type": "image/jpeg", "Cache-Control": "public, max-age=86400"}
    )


class _Warmer:
    """Renders product images ahead of a benchmark, off the event loop."""

    def __init__(self) -> None:
        self.total = 0
        self.done = 0
        self.task: asyncio.Future[Any] | None = None

    def progress(self) -> dict[str, Any]:
        running = self.task is not None and not self.task.done()
        return {"total": self.total, "done": self.done, "running": running}


_WARMER_KEY: web.AppKey[_Warmer] = web.AppKey("sandbox_image_warmer", _Warmer)


async def warm(request: web.Request) -> web.Response:
    """``POST /_admin/images/warm {"products": 1000}``: render their images now, in the
    background (2 threads); ``GET`` shows progress. Cached files are skipped."""
    warmer = request.app[_WARMER_KEY]
    if request.method == "POST" and not (warmer.task and not warmer.task.done()):
        body = await request.json() if request.can_read_body else {}
        state = request.app[STATE_KEY]
        count = max(0, min(int(body.get("products", 1000)), len(products(state.seed))))
        jobs = [
            (p.sku, n) for p in products(state.seed)[:count]
            for n in range(1, photo_count(state, p) + 1)
        ]  # fmt: skip
        warmer.total, warmer.done = len(jobs), 0
        data_dir, seed = request.app[DATA_DIR_KEY], state.seed

        def run(chunk: list[tuple[str, int]]) -> None:
            for sku, n in chunk:
                image_file(data_dir, seed, sku, n)
                warmer.done += 1

        loop = asyncio.get_running_loop()
        warmer.task = asyncio.gather(
            *(loop.run_in_executor(None, run, jobs[i::2]) for i in range(2))
        )
    return json_response(warmer.progress())


def register(app: web.Application) -> None:
    app[_WARMER_KEY] = _Warmer()
    app.router.add_get("/img/{sku}/{n}.jpg", serve_image)
    app.router.add_route("*", "/_admin/images/warm", warm)
    app.router.add_post("/_admin/images/photos", set_photos)
