"""A workflow that does nothing: for measuring the platform's own overhead.

Started by an event, it acknowledges the event once in the exactly-once ledger (key
``noop:event:<job>:<source>:<id>``), the smallest side effect a real handler has: tests and
benches count those records against the events delivered."""

from __future__ import annotations

import time
from typing import Any

from backend.workflows.context import WorkflowContext


async def run(ctx: WorkflowContext) -> dict[str, Any]:
    # When the workflow really began (epoch seconds): benchmarks compare it with the
    # occurrence's scheduled time.
    result: dict[str, Any] = {"ok": True, "began": time.time()}
    event = ctx.inputs.get("event")
    if isinstance(event, dict):
        key = f"noop:event:{ctx.job_id}:{event.get('source')}:{event.get('id')}"

        async def acknowledge(_key: str) -> dict[str, Any]:
            return {"kind": event.get("kind")}

        await ctx.once(key, acknowledge)
        result["event"] = event.get("id")
    return result
