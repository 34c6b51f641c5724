"""Resident memory of the worker processes, reported with their heartbeat.

Each worker process's heartbeat thread writes its RSS into one Redis hash (field
``host:pid``, value ``rss_mb|unix time``); the dashboard sums the processes heard from
recently. A process that stopped drops out once its last report is stale, and its
field is removed by whoever reads it then.
"""

from __future__ import annotations

import os
import socket
import time
from typing import Any

from backend.core.redis import key

__all__ = ["process_rss_mb", "report_memory", "worker_memory", "forget_memory"]

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def process_rss_mb() -> float:
    """This process's resident memory in MB (Linux /proc; 0.0 elsewhere)."""
    try:
        with open(f"/proc/{os.getpid()}/statm") as fh:
            return int(fh.read().split()[1]) * _PAGE / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


def _field() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def report_memory(*, client: Any) -> None:
    """Say how much memory this worker process holds now (a synchronous client)."""
    client.hset(key("workers", "memory"), _field(), f"{process_rss_mb():.1f}|{time.time():.0f}")


def forget_memory(*, client: Any) -> None:
    """This process stops working (a clean stop): drop its report at once, so the health
    check does not count it as alive for the rest of the stale window."""
    client.hdel(key("workers", "memory"), _field())


def worker_memory(*, client: Any, stale_after_sec: float) -> dict[str, float]:
    """``{host:pid: rss_mb}`` of the worker processes heard from within the window."""
    name = key("workers", "memory")
    now, alive, gone = time.time(), {}, []
    for raw_field, raw_value in client.hgetall(name).items():
        field = raw_field.decode() if isinstance(raw_field, bytes) else str(raw_field)
        value = raw_value.decode() if isinstance(raw_value, bytes) else str(raw_value)
        rss, _, at = value.partition("|")
        try:
            fresh = now - float(at) <= stale_after_sec
            mb = float(rss)
        except ValueError:
            fresh, mb = False, 0.0
        if fresh:
            alive[field] = mb
        else:
            gone.append(field)
    if gone:
        client.hdel(name, *gone)
    return alive
