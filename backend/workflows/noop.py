"""A workflow that does nothing: for measuring the platform's own overhead."""

from __future__ import annotations

import time
from typing import Any

from backend.workflows.context import WorkflowContext


async def run(ctx: WorkflowContext) -> dict[str, Any]:
    # When the workflow really began (epoch seconds): benchmarks compare it with the
    # occurrence's scheduled time.
    return {"ok": True, "began": time.time()}
