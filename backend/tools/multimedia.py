"""The multimedia tool: fetch, fit within W×H, compress, WebP/JPEG/PNG, on every core.

``await multimedia.fit(url_or_path_or_bytes, width=1200, height=1200, fmt="webp",
quality=85)`` returns a :class:`ProcessedImage` whose ``path`` is relative to the
artifacts folder (``media/ab/<sha256>-1200x1200-q85.webp``). Decoding and encoding run
in a pool of worker processes started with 'spawn' (safe beside threads and event
loops, unlike fork), one per core by default and shared by every run in this process.
Outputs are content-addressed by the source's SHA-256, so an unchanged product photo is
processed once, however many syncs and platforms ask for it.
"""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError

from backend.core.errors import NonRetryableError
from backend.core.orphan import exit_with_parent
from backend.tools.imaging import FORMATS, process_image

__all__ = ["MultimediaTool", "ProcessedImage", "ImageError", "shutdown_pool"]

Source = bytes | str | Path

_pool: ProcessPoolExecutor | None = None
_pool_size = 0
_pool_lock = threading.Lock()


def _get_pool(workers: int) -> ProcessPoolExecutor:
    """The process-wide image pool, started on first use."""
    global _pool, _pool_size
    with _pool_lock:
        if _pool is None or _pool_size != workers:
            if _pool is not None:
                _pool.shutdown(wait=False, cancel_futures=True)
            context = multiprocessing.get_context("spawn")
            # An image process whose worker was killed would otherwise wait for work forever.
            # The owner's pid is passed in: a process spawned under load may find its
            # owner already dead by the time it runs the initializer.
            _pool = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                        initializer=functools.partial(
                                            exit_with_parent, parent=os.getpid()))
            _pool_size = workers
        return _pool


def shutdown_pool(*, timeout_sec: float = 10.0) -> None:
    """Stop the image processes (worker shutdown, tests, benchmarks): waiting images are
    dropped, one being processed gets ``timeout_sec`` to finish, then its process is
    killed. Left running, the pool's processes would keep the worker process from
    exiting (multiprocessing joins a process's children when it ends)."""
    global _pool
    with _pool_lock:
        pool, _pool = _pool, None
    if pool is None:
        return
    # The executor has no public handle on its processes, and no way to stop a busy one.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + timeout_sec
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join(2.0)


class ImageError(NonRetryableError):
    """The source is not an image Pillow can read (or is a decompression bomb)."""


@dataclass(frozen=True, slots=True)
class ProcessedImage:
    path: str  # relative to the artifacts folder
    width: int
    height: int
    size: int
    content_type: str
    source_hash: str
    reused: bool  # the same source was processed with the same settings before


class MultimediaTool:
    """Image pipeline over a spawn process pool."""

    def __init__(self, *, artifacts_dir: Path, http: Any = None, workers: int = 0) -> None:
        self._root = Path(artifacts_dir)
        self._media = self._root / "media"
        self._http = http
        self._workers = workers or os.cpu_count() or 1

    async def _load(self, source: Source) -> bytes | str:
        if isinstance(source, Path):
            return str(source)
        if isinstance(source, str) and source.startswith(("http://", "https://")):
            if self._http is None:
                raise ValueError("fetching images by URL needs the http tool")
            response = await self._http.get(source, follow_redirects=True)
            if response.status_code != 200:
                raise ImageError(f"image {source} answered HTTP {response.status_code}")
            return response.content
        return source

    async def fit(
        self,
        source: Source,
        *,
        width: int,
        height: int,
        fmt: str = "webp",
        quality: int = 85,
    ) -> ProcessedImage:
        """Fit one image within ``width``×``height`` (never upscaled) and encode it."""
        fmt = fmt.lower()
        if fmt not in FORMATS:
            raise ValueError(f"format {fmt!r} not supported; use webp, jpeg or png")
        if not (1 <= quality <= 100) or width < 1 or height < 1:
            raise ValueError("quality must be 1-100 and the box at least 1×1")
        loaded = await self._load(source)
        job = functools.partial(
            process_image,
            loaded,
            out_root=str(self._media),
            width=width,
            height=height,
            fmt=fmt,
            quality=quality,
        )
        loop = asyncio.get_running_loop()
        try:
            result = await loop.run_in_executor(_get_pool(self._workers), job)
        except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError) as exc:
            if isinstance(exc, FileNotFoundError):
                raise
            raise ImageError(f"cannot process image: {exc}") from None
        return ProcessedImage(
            path=f"media/{result['path']}",
            width=result["width"],
            height=result["height"],
            size=result["size"],
            content_type=FORMATS[fmt][2],
            source_hash=result["source_hash"],
            reused=result["reused"],
        )

    async def fit_many(
        self,
        sources: Sequence[Source],
        *,
        width: int,
        height: int,
        fmt: str = "webp",
        quality: int = 85,
    ) -> list[ProcessedImage]:
        """Process many images, keeping every worker busy (results in input order).

        At most two images per worker are loaded at a time, so memory stays flat
        however long the list is."""
        gate = asyncio.Semaphore(self._workers * 2)

        async def one(source: Source) -> ProcessedImage:
            async with gate:
                return await self.fit(source, width=width, height=height, fmt=fmt, quality=quality)

        return list(await asyncio.gather(*(one(s) for s in sources)))

    def absolute(self, processed: ProcessedImage) -> Path:
        """Where a processed image is on disk."""
        return self._root / processed.path
