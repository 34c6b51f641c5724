"""The stock tool: the shop's own count per SKU, which every marketplace's copy follows.

``take`` is an order's claim: the units come off in one conditional update
(``available >= qty``), so of two orders for the last unit on two marketplaces exactly
one gets it, on SQLite and PostgreSQL alike, however many workers run them. Each claim
is recorded once per order and SKU (``stock_moves``): a re-delivered event or a retried
run finds the first claim's outcome and takes nothing more. ``give_back`` returns a
cancelled order's units, once. A SKU the ledger has not seen starts from the count the
caller read from the back office (``seed``).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from backend.core.db import get_engine, write_transaction
from backend.models import StockLevel, StockMove
from backend.models.types import utcnow

__all__ = ["StockTool", "Claim", "Level"]

_LEVELS = StockLevel.__table__  # type: ignore[attr-defined]
_MOVES = StockMove.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Level:
    """A SKU's count and the version it had when read."""

    sku: str
    available: int
    version: int


@dataclass(frozen=True, slots=True)
class Claim:
    """What an order's claim on one SKU came to: ``taken``, ``short`` (fewer units were
    left than it asked for: the order cannot be filled), ``returned``."""

    key: str
    sku: str
    qty: int
    outcome: str
    level: Level


def _insert(conn: Connection) -> Any:
    return postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert


def _level(conn: Connection, sku: str) -> Level:
    row = conn.execute(select(_LEVELS.c.available, _LEVELS.c.version)
                       .where(_LEVELS.c.sku == sku)).one()  # fmt: skip
    return Level(sku=sku, available=int(row.available), version=int(row.version))


class StockTool:
    """Blocking database work in a thread; one short transaction per call."""

    def __init__(self, *, engine: Engine | None = None) -> None:
        self._engine = engine

    def _db(self) -> Engine:
        return self._engine or get_engine()

    async def known(self, skus: list[str]) -> set[str]:
        """Which of ``skus`` the ledger counts already."""
        def read() -> set[str]:
            with self._db().connect() as conn:
                return set(conn.execute(select(_LEVELS.c.sku)
                                        .where(_LEVELS.c.sku.in_(skus))).scalars())  # fmt: skip

        return await asyncio.to_thread(read)

    async def seed(self, counts: dict[str, int]) -> None:
        """Start counting these SKUs at the given numbers (a SKU counted already keeps
        its count)."""
        def write() -> None:
            rows = [{"sku": s, "available": max(0, int(n)), "version": 0, "updated_at": utcnow()}
                    for s, n in counts.items()]
            with write_transaction(self._db()) as conn:
                conn.execute(_insert(conn)(_LEVELS).values(rows).on_conflict_do_nothing())

        if counts:
            await asyncio.to_thread(write)

    async def take(self, *, key: str, sku: str, qty: int) -> Claim:
        """An order's claim on ``qty`` units of ``sku`` (``key``: the order and SKU)."""
        return await asyncio.to_thread(self._take, key, sku, qty)

    def _take(self, key: str, sku: str, qty: int) -> Claim:
        with write_transaction(self._db()) as conn:
            earlier = conn.execute(select(_MOVES.c.outcome, _MOVES.c.qty)
                                   .where(_MOVES.c.key == key)).first()  # fmt: skip
            if earlier is not None:
                return Claim(key, sku, int(earlier.qty), str(earlier.outcome), _level(conn, sku))
            taken = conn.execute(
                update(_LEVELS).where(_LEVELS.c.sku == sku, _LEVELS.c.available >= qty)
                .values(available=_LEVELS.c.available - qty, version=_LEVELS.c.version + 1,
                        updated_at=utcnow())).rowcount == 1  # fmt: skip
            outcome = "taken" if taken else "short"
            conn.execute(_insert(conn)(_MOVES).values(key=key, sku=sku, qty=qty, outcome=outcome,
                                                      at=utcnow()))  # fmt: skip
            return Claim(key, sku, qty, outcome, _level(conn, sku))

    async def give_back(self, *, key: str, sku: str) -> Claim | None:
        """Return a cancelled order's units of ``sku``, once; None when it took none."""
        return await asyncio.to_thread(self._give_back, key, sku)

    def _give_back(self, key: str, sku: str) -> Claim | None:
        with write_transaction(self._db()) as conn:
            move = conn.execute(select(_MOVES.c.outcome, _MOVES.c.qty)
                                .where(_MOVES.c.key == key)).first()  # fmt: skip
            if move is None or move.outcome != "taken":
                return None
            conn.execute(update(_MOVES).where(_MOVES.c.key == key).values(outcome="returned"))
            conn.execute(update(_LEVELS).where(_LEVELS.c.sku == sku).values(
                available=_LEVELS.c.available + move.qty, version=_LEVELS.c.version + 1,
                updated_at=utcnow()))  # fmt: skip
            return Claim(key, sku, int(move.qty), "returned", _level(conn, sku))

    async def level(self, sku: str) -> Level:
        """The SKU's count now."""
        def read() -> Level:
            with self._db().connect() as conn:
                return _level(conn, sku)

        return await asyncio.to_thread(read)
