"""Images/s of the multimedia tool beside a plain Pillow open-resize-save loop.

Source: 3000×3000 product photos made by the sandbox's image renderer (the images a
catalog sync processes), cached in the temp folder between runs. Work: fit within 1200×1200,
WebP quality 85. The plain loop opens, resizes with Lanczos and saves, one image after
another, the way a script would. The tool uses JPEG draft mode and its spawn process
pool (one worker per core); its pool is started before the clock runs, as in a
long-lived worker. A second pass over the same sources shows the content-hash reuse.

Usage: python bench/images.py [--images N] [--rounds R]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from backend.sandbox.images import render_image  # noqa: E402
from backend.tools.multimedia import MultimediaTool, shutdown_pool  # noqa: E402
from bench._common import Report, peak_rss_mb, print_table  # noqa: E402

SIZE = 3000
BOX = 1200
QUALITY = 85
GOAL = 1.5


def make_sources(count: int) -> list[Path]:
    """``count`` distinct 3000×3000 product photos as the sandbox serves them (its own
    renderer: textured background, shapes, a label; JPEG q90), cached between runs."""
    folder = Path(tempfile.gettempdir()) / "spio-bench-images" / "sandbox-42"
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    index = 0
    while len(paths) < count:
        sku, index = f"SKU-{index:05d}", index + 1
        path, other = folder / f"{sku}.jpg", folder / f"{sku}.other-size"
        if other.exists():
            continue
        if not path.exists():
            photo = render_image(42, sku, 0)
            if photo.size != (SIZE, SIZE):
                other.touch()  # the sandbox also makes 2400² and 3000×2000 photos
                continue
            photo.save(path, "JPEG", quality=90)
        paths.append(path)
    return paths


def plain_loop(paths: list[Path]) -> float:
    """Images/s of open → resize → save WebP, one after another."""
    start = time.perf_counter()
    for path in paths:
        with Image.open(path) as image:
            image.load()
            scale = min(BOX / image.width, BOX / image.height, 1.0)
            size = (round(image.width * scale), round(image.height * scale))
            resized = image.resize(size, Image.Resampling.LANCZOS)
            out = io.BytesIO()
            resized.save(out, "WEBP", quality=QUALITY)
    return len(paths) / (time.perf_counter() - start)


async def tool_pass(tool: MultimediaTool, paths: list[Path]) -> tuple[float, int]:
    """Images/s of the multimedia tool, and how many outputs were reused."""
    start = time.perf_counter()
    results = await tool.fit_many(paths, width=BOX, height=BOX, fmt="webp", quality=QUALITY)
    rate = len(paths) / (time.perf_counter() - start)
    assert all((r.width, r.height) == (BOX, BOX) for r in results)
    return rate, sum(r.reused for r in results)


async def start_pool(tool: MultimediaTool) -> None:
    """Start every worker process before timing (a worker keeps its pool for its life)."""
    warm = io.BytesIO()
    Image.new("RGB", (64, 64)).save(warm, "JPEG")
    await asyncio.gather(
        *(tool.fit(warm.getvalue() + bytes([i]), width=8, height=8) for i in range(8))
    )


def measure(paths: list[Path], rounds: int, workdir: Path) -> tuple[float, float, float, int]:
    """Rounds alternate the plain loop and the tool over the same images, so load from
    other processes on a shared machine falls on both alike; rates are over all rounds."""
    plain_loop(paths[:1])  # load codecs outside the clock
    plain_sec = tool_sec = 0.0
    again, reused = 0.0, 0

    async def run() -> None:
        nonlocal plain_sec, tool_sec, again, reused
        for index in range(rounds):
            plain_sec += len(paths) / plain_loop(paths)
            tool = MultimediaTool(
                artifacts_dir=workdir / f"round-{index}", workers=os.cpu_count() or 1
            )
            await start_pool(tool)
            rate, _ = await tool_pass(tool, paths)
            tool_sec += len(paths) / rate
            if index == rounds - 1:
                again, reused = await tool_pass(tool, paths)

    asyncio.run(run())
    count = len(paths) * rounds
    return count / plain_sec, count / tool_sec, again, reused


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--images", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    paths = make_sources(args.images)
    megabytes = sum(p.stat().st_size for p in paths) / 2**20
    with tempfile.TemporaryDirectory() as workdir:
        try:
            base, fresh, again, reused = measure(paths, args.rounds, Path(workdir))
        finally:
            shutdown_pool()
    print(
        f"{len(paths)} JPEGs {SIZE}×{SIZE} ({megabytes / len(paths):.1f} MB each) "
        f"→ fit {BOX}×{BOX} WebP q{QUALITY}; {os.cpu_count()} cores, {args.rounds} rounds"
    )
    print_table(
        ["pipeline", "images/s", "ms/image", "x plain"],
        [
            ("plain Pillow loop", base, 1000 / base, 1.0),
            ("multimedia tool (draft + spawn pool)", fresh, 1000 / fresh, fresh / base),
            (
                f"multimedia tool, unchanged sources ({reused} reused)",
                again,
                1000 / again,
                again / base,
            ),
        ],
    )
    print(f"parent peak RSS {peak_rss_mb():.0f} MB, workers {peak_rss_mb(children=True):.0f} MB")
    report = Report()
    report.target("images_tool_vs_plain", fresh / base, goal=GOAL)
    report.figure("images_per_sec_tool", fresh)
    report.figure("images_per_sec_plain", base)
    report.figure("images_per_sec_reused", again)
    report.emit()


if __name__ == "__main__":
    main()
