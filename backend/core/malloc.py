"""Fewer glibc malloc arenas for the worker processes.

glibc gives each thread that allocates its own arena (up to 8 per core) and keeps the
memory freed in it. A run hands its database writes to threads (``asyncio.to_thread``:
a slice of 500 decisions as JSON, the reviews it opens), so every thread of the pool
kept its high-water mark: 10,000 SKUs repriced peaked at 195 MB with the default
arenas and 167 MB with two (2,000 SKUs, the same run otherwise). Two arenas cost the
threads a little contention on allocation, which the GIL mostly serialises anyway.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os

__all__ = ["limit_malloc_arenas"]

_M_ARENA_MAX = -8  # glibc's mallopt parameter


def limit_malloc_arenas(arenas: int = 2) -> bool:
    """Cap this process's malloc arenas (and, through the environment, those of the
    processes it starts); False where the C library is not glibc."""
    os.environ.setdefault("MALLOC_ARENA_MAX", str(arenas))
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        libc = ctypes.CDLL(name)
        return bool(libc.mallopt(_M_ARENA_MAX, int(os.environ["MALLOC_ARENA_MAX"])))
    except (OSError, AttributeError, ValueError):
        return False
