"""A run's working data, slice by slice: offers of ``SLICE`` products on one marketplace,
decisions and outcomes of ``SLICE`` products in one store, per row of the job's state.

10,000 SKUs x 5 marketplaces held whole (50,000 listings' offers read back in one JSON
value, then every decision and outcome kept to the end and written in one) took a
worker to 414 MB. Each store now walks its listings slice by slice: a slice's offers
(its marketplace's) are read when its first listing is handed out, its decisions and
outcomes written (and dropped) when its last listing is done, so at most a slice or two
per store are in memory whatever the catalog's size. The report reads them back one row
at a time.

Names: ``run:<run id>:offers:<marketplace>:<slice, 5 digits>`` (``{sku: [offer]}``) and
``run:<run id>:done:<store>:<slice>`` (``{"decisions": [...], "outcomes": [...]}``: one
row to read back per slice); a later run drops them after a day (``drop_older``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from backend.domain.shops import split_store
from backend.tools.state import StateTool

__all__ = ["SLICE", "slice_key", "slice_count", "Slice", "SliceFeed", "read_done"]

SLICE = 500  # products per row of offers / decisions and outcomes


def slice_key(run_key: str, kind: str, where: str, n: int) -> str:
    """The state name of slice ``n`` of ``kind`` for a marketplace or store ``where``."""
    return f"{run_key}:{kind}:{where}:{n:05d}"


def slice_count(products: int) -> int:
    return max(1, -(-products // SLICE))


@dataclass
class Slice:
    """One store's listings of one slice in progress: what was decided and done."""

    store: str
    n: int
    offers: dict[str, list[dict[str, Any]]]
    pending: int = 0  # listings handed out and not done yet
    handed_all: bool = False
    decisions: list[dict[str, Any]] = field(default_factory=list)
    outcomes: list[dict[str, Any]] = field(default_factory=list)
    flagged: list[dict[str, Any]] = field(default_factory=list)
    applied: dict[tuple[str, str], int] = field(default_factory=dict)


class SliceFeed:
    """One store's listings for its workers, each once; ``flush`` is awaited with each
    slice once its last listing is done (in slice order per worker, not overall)."""

    def __init__(self, *, store: str, products: list[dict[str, Any]], state: StateTool,
                 run_key: str, flush: Callable[[Slice], Awaitable[None]]) -> None:  # fmt: skip
        self.store, self._products, self._state = store, products, state
        self._market = split_store(store)[0]  # whose competitor offers it is priced by
        self._run_key, self._flush = run_key, flush
        self._lock = asyncio.Lock()
        self._next_slice = 0
        self._current: Slice | None = None
        self._items: Iterator[dict[str, Any]] = iter(())

    async def next(self) -> tuple[Slice, dict[str, Any]] | None:
        """The next listing and its slice (None: every listing handed out)."""
        async with self._lock:  # a slice's offers are read once, by one worker
            while True:
                product = next(self._items, None)
                if product is not None and self._current is not None:
                    self._current.pending += 1
                    return self._current, product
                if self._current is not None:
                    await self._close(self._current)
                start = self._next_slice * SLICE
                if start >= len(self._products):
                    self._current = None
                    return None
                key = slice_key(self._run_key, "offers", self._market, self._next_slice)
                offers = await self._state.get(key, {})
                self._current = Slice(self.store, self._next_slice, offers)
                self._items = iter(self._products[start:start + SLICE])
                self._next_slice += 1

    async def done(self, part: Slice) -> None:
        """One listing of ``part`` is finished (decided, changed or not listed)."""
        part.pending -= 1
        if part.pending == 0 and part.handed_all:
            await self._flush(part)

    async def _close(self, part: Slice) -> None:
        part.handed_all = True
        if part.pending == 0:
            await self._flush(part)


async def read_done(state: StateTool, *, run_key: str, stores: list[str],
                    slices: int) -> AsyncIterator[dict[str, list[dict[str, Any]]]]:  # fmt: skip
    """Every finished slice of the run, ``{"decisions", "outcomes"}``, one at a time (a
    missing row reads as empty)."""
    for store in stores:
        for n in range(slices):
            yield await state.get(slice_key(run_key, "done", store, n),
                                  {"decisions": [], "outcomes": []})  # fmt: skip
