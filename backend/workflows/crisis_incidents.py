"""Crisis incidents and the crisis dashboard's live data, kept in Redis.

An incident opens when a tick meets the crisis rule (at most one open per job: the open
pointer is taken with SET NX), collects the ticks that follow, and closes by itself after
``calm_ticks_to_close`` calm ticks in a row, or by hand (``POST
/monitor-incidents/{id}/close``). The dashboard reads each job's tick series (volume,
negative share, mean sentiment, status), its top negative posts and auto-response counts.

Synchronous (API threads); the workflow calls it through ``asyncio.to_thread``.
"""

from __future__ import annotations

import json
import time
from typing import Any

from backend.core.errors import Conflict, NotFound
from backend.core.redis import get_redis, key

__all__ = ["open_or_update", "close_incident", "list_incidents", "record_tick", "dashboard",
           "count_response"]  # fmt: skip

_TTL = 90 * 86400
_SERIES_KEEP = 2880  # a day of 30-second ticks


def _incidents() -> str:
    return key("crisis", "incidents")


def _save(row: dict[str, Any]) -> None:
    get_redis().hset(_incidents(), row["id"], json.dumps(row))


def _get(incident_id: str) -> dict[str, Any]:
    raw = get_redis().hget(_incidents(), incident_id)
    if raw is None:
        raise NotFound(f"no incident {incident_id!r}")
    return json.loads(raw)  # type: ignore[no-any-return]


def open_or_update(
    *, job_id: str, run_id: int, figures: dict[str, Any], crisis: bool, calm_to_close: int
) -> tuple[dict[str, Any] | None, str]:
    """Apply one tick: returns (the job's incident or None, what happened: "opened",
    "ongoing", "calm", "closed" or "none")."""
    client = get_redis()
    pointer = key("crisis", job_id, "open")
    current = client.get(pointer)
    if current is None and not crisis:
        return None, "none"
    now = time.time()
    if current is None:
        incident_id = f"{job_id}:{int(now * 1000)}"
        if client.set(pointer, incident_id, nx=True, ex=_TTL):
            row = {"id": incident_id, "job_id": job_id, "status": "open", "opened_at": now,
                   "opened_by_run": run_id, "peak": figures, "ticks": 1, "calm_ticks": 0,
                   "closed_at": None}  # fmt: skip
            _save(row)
            return row, "opened"
        current = client.get(pointer)  # another run opened it a moment ago
    row = _get(str(current))
    row["ticks"] += 1
    if crisis:
        row["calm_ticks"] = 0
        if figures.get("mentions", 0) > row["peak"].get("mentions", 0):
            row["peak"] = figures
    else:
        row["calm_ticks"] += 1
    happened = "ongoing" if crisis else "calm"
    if row["calm_ticks"] >= calm_to_close:
        row.update(status="closed", closed_at=now, closed_by="monitor")
        client.delete(pointer)
        happened = "closed"
    _save(row)
    return row, happened


def close_incident(incident_id: str, *, actor: str) -> dict[str, Any]:
    row = _get(incident_id)
    if row["status"] == "closed":
        raise Conflict(f"incident {incident_id!r} is already closed")
    row.update(status="closed", closed_at=time.time(), closed_by=actor)
    _save(row)
    client = get_redis()
    if client.get(key("crisis", row["job_id"], "open")) == incident_id:
        client.delete(key("crisis", row["job_id"], "open"))
    return row


def list_incidents(*, job_id: str | None = None, status: str | None = None) -> list[dict[str, Any]]:
    rows = [json.loads(v) for v in get_redis().hvals(_incidents())]
    rows = [r for r in rows if (job_id is None or r["job_id"] == job_id)
            and (status is None or r["status"] == status)]  # fmt: skip
    return sorted(rows, key=lambda r: r["opened_at"], reverse=True)


def record_tick(
    *, job_id: str, at: float, tick: dict[str, Any], top: list[dict[str, Any]]
) -> None:
    """Add a tick to the dashboard series and merge its negative posts into the top list."""
    client = get_redis()
    series = key("crisis", job_id, "series")
    top_key = key("crisis", job_id, "top")
    merged = json.loads(client.get(top_key) or "[]") + top
    merged = sorted({p["id"]: p for p in merged}.values(), key=lambda p: p["rank"], reverse=True)
    pipe = client.pipeline(transaction=True)
    pipe.zadd(series, {json.dumps({"at": at, **tick}): at})
    pipe.zremrangebyrank(series, 0, -_SERIES_KEEP - 1)
    pipe.set(top_key, json.dumps(merged[:20]), ex=_TTL)
    pipe.set(key("crisis", job_id, "status"), tick["status"], ex=_TTL)
    pipe.execute()


def count_response(job_id: str, kind: str, n: int = 1) -> None:
    get_redis().hincrby(key("crisis", job_id, "responses"), kind, n)


def dashboard(job_id: str) -> dict[str, Any]:
    """Everything the crisis page shows for one job."""
    client = get_redis()
    series = [json.loads(m) for m in client.zrange(key("crisis", job_id, "series"), 0, -1)]
    open_id = client.get(key("crisis", job_id, "open"))
    return {
        "job_id": job_id,
        "status": client.get(key("crisis", job_id, "status")) or "green",
        "series": series,
        "top_negative": json.loads(client.get(key("crisis", job_id, "top")) or "[]"),
        "responses": {k: int(v) for k, v in
                      client.hgetall(key("crisis", job_id, "responses")).items()},
        "open_incident": _get(open_id) if open_id else None,
    }  # fmt: skip
