"""A test workflow: steps that sleep, optional failures, and counted side effects.

inputs:
  sleep_sec       seconds per step (default 0)
  steps           number of steps (default 1)
  fail_attempts   the first N attempts raise a retryable error in the last step
  fail_permanently  raise a non-retryable error
  effects         side effects per step, each through ctx.once, recorded in Redis under
                  ``{prefix}:test-effects:{job_id}`` as a receiver that dedups by key
  images          images per step put through the multimedia tool's process pool
                  (generated, 1600x1600 PNG fitted into 300x300 WebP)
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any

from backend.core.errors import NonRetryableError, RetryableError
from backend.core.messages import message
from backend.core.redis import get_redis, key
from backend.workflows.context import WorkflowContext


async def _effect(idem_key: str, job_id: str) -> str:
    """A receiver that counts deliveries per key, like the sandbox does."""
    client = get_redis()
    client.hincrby(key("test-effects", job_id), idem_key, 1)
    return idem_key


def _image(seed: int) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1600), (seed % 256, (seed // 256) % 256, 90)).save(buffer, "PNG")
    return buffer.getvalue()


async def run(ctx: WorkflowContext) -> dict[str, Any]:
    """The workflow entry point (see the module docstring)."""
    steps = int(ctx.inputs.get("steps", 1))
    if ctx.inputs.get("fail_permanently"):
        raise NonRetryableError("configured to fail permanently")
    for index in range(steps):
        await ctx.step(f"step-{index + 1}", functools.partial(sleep_step, ctx, index=index,
                                                              last=steps - 1))
        await ctx.progress(index + 1, steps, message("progress.step_of", step=index + 1,
                                                             steps=steps))
    return {"steps": steps, "attempt": ctx.attempt}


async def sleep_step(ctx: WorkflowContext, *, index: int, last: int) -> dict[str, Any]:
    """The step's side effects (each once), images, sleep, and the configured failure."""
    sleep_sec = float(ctx.inputs.get("sleep_sec", 0))
    for e in range(int(ctx.inputs.get("effects", 0))):
        await ctx.once(f"{ctx.job_id}:{ctx.run_id}:{index}:{e}",
                       lambda k: _effect(k, ctx.job_id))  # fmt: skip
    images = int(ctx.inputs.get("images", 0))
    if images:
        sources = [_image(ctx.run_id * 1000 + index * 100 + i) for i in range(images)]
        await ctx.tools.multimedia.fit_many(sources, width=300, height=300)
    slept = 0.0
    while slept < sleep_sec:
        chunk = min(0.1, sleep_sec - slept)
        await asyncio.sleep(chunk)
        slept += chunk
    if index == last and ctx.attempt <= int(ctx.inputs.get("fail_attempts", 0)):
        raise RetryableError(f"configured failure on attempt {ctx.attempt}")
    return {"step": index}
