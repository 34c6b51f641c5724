"""A workflow that does nothing: for measuring the platform's own overhead."""

from __future__ import annotations

from typing import Any


async def run(ctx: Any) -> dict[str, Any]:
    return {"ok": True}
