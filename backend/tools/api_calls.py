"""How many calls to platform APIs succeeded, for the dashboard's "API call success".

Every HTTP exchange of a run goes through its http tool's transport, which counts
responses in memory (2xx/3xx: ok; 4xx/5xx or no response: failed). When the run's tools
close, the counts go to Redis in one round trip, into hourly buckets kept two days:
no Redis call per request on the hot path.
"""

from __future__ import annotations

import time
from typing import Any

__all__ = ["record_api_calls", "api_call_totals"]

_BUCKET_TTL_SEC = 2 * 86400


def _bucket(prefix: str, at: float) -> str:
    return f"{prefix}:api_calls:{int(at // 3600)}"


async def record_api_calls(*, redis: Any, prefix: str, ok: int, failed: int) -> None:
    """Add a run's counts to the current hour (``redis``: an asyncio client)."""
    if not ok and not failed:
        return
    bucket = _bucket(prefix, time.time())
    pipe = redis.pipeline(transaction=False)
    pipe.hincrby(bucket, "ok", ok)
    pipe.hincrby(bucket, "failed", failed)
    pipe.expire(bucket, _BUCKET_TTL_SEC)
    await pipe.execute()


def api_call_totals(*, client: Any, prefix: str, hours: int = 24) -> tuple[int, int]:
    """``(ok, failed)`` over the last ``hours`` hourly buckets (a synchronous client)."""
    now = time.time()
    pipe = client.pipeline(transaction=False)
    for back in range(hours):
        pipe.hmget(_bucket(prefix, now - back * 3600), "ok", "failed")
    ok = failed = 0
    for got_ok, got_failed in pipe.execute():
        ok += int(got_ok or 0)
        failed += int(got_failed or 0)
    return ok, failed
