"""The messaging tool's ledger in the database (table ``sent_messages``).

A send first claims its idempotency key (a ``pending`` row, leased for a while), then
records the delivery in the same row. A second send of the key finds the delivery and
sends nothing; a key claimed by a sender that died is taken over once its lease ends.
Claims and records are group-committed: a campaign's hundred senders share a
transaction per batch, and each gets its answer only once that batch has committed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from backend.core.db import UNCACHED, get_engine, session_scope, write_transaction
from backend.core.group_commit import GroupCommit
from backend.models import SentMessage
from backend.models.types import utcnow

__all__ = ["SentLedger", "Claim", "Recorded"]

_TABLE = SentMessage.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Claim:
    """What a claim found: ``owned`` (with the token to record or free it), ``sent``
    (the earlier delivery's row), or ``busy`` (another sender holds the key now)."""

    outcome: str
    token: str = ""
    row: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Recorded:
    key: str
    token: str
    provider_id: str
    status: str
    attempts: int
    sent_at: datetime


def _row(row: Any) -> dict[str, Any]:
    return dict(row._mapping)


class SentLedger:
    """The ledger as one messaging tool (one event loop) sees it."""

    def __init__(self, *, run_id: int | str | None = None, engine: Engine | None = None,
                 lease_sec: float = 120.0) -> None:
        self._engine = engine or get_engine()
        # One attempt of a run at a time: a claim of this run by another sender instance
        # was left by an earlier attempt, whose worker is gone.
        self._run = f"{run_id}:" if run_id is not None else None
        self._holder = f"{run_id}:{secrets.token_hex(6)}"
        self._lease = timedelta(seconds=lease_sec)
        self._claims: GroupCommit[tuple[str, str, str], Claim] = GroupCommit(self._claim_batch)
        self._records: GroupCommit[Recorded, bool] = GroupCommit(self._record_batch)

    async def claim(self, key: str, *, channel: str, to: str) -> Claim:
        return await self._claims.submit((key, channel, to))

    async def record(self, delivery: Recorded) -> bool:
        """Turn the claim into the delivery; False if the claim was lost meanwhile (its
        lease ran out and another sender took the key)."""
        return await self._records.submit(delivery)

    # --- the blocking halves (run in a thread) ---------------------------------------
    def _claim_batch(self, items: list[tuple[str, str, str]]) -> list[Claim]:
        now = utcnow()
        lease_until = now + self._lease
        tokens = {key: secrets.token_hex(8) for key, _, _ in items}
        unique: dict[str, dict[str, Any]] = {}
        for key, channel, to in items:
            unique.setdefault(key, {"key": key, "channel": channel, "recipient": to[:320],
                                    "state": "pending", "claim": tokens[key],
                                    "holder": self._holder,
                                    "lease_until": lease_until, "attempts": 0,
                                    "updated_at": now})
        dialect = postgresql if self._engine.dialect.name == "postgresql" else sqlite
        owned: set[str] = set()
        found: dict[str, dict[str, Any]] = {}
        with write_transaction(self._engine) as conn:
            values = list(unique.values())
            for start in range(0, len(values), 500):
                stmt = dialect.insert(_TABLE).values(values[start:start + 500])
                stmt = stmt.on_conflict_do_nothing(index_elements=["key"]).returning(_TABLE.c.key)
                owned.update(conn.execute(stmt, execution_options=UNCACHED).scalars())
            others = [k for k in unique if k not in owned]
            if others:
                for row in conn.execute(select(_TABLE).where(_TABLE.c.key.in_(others))):
                    found[row.key] = _row(row)
            for key, row in found.items():
                if row["state"] == "pending" and self._abandoned(row, now):
                    taken = conn.execute(update(_TABLE).where(
                        _TABLE.c.key == key, _TABLE.c.state == "pending",
                        _TABLE.c.claim == row["claim"],
                    ).values(claim=tokens[key], holder=self._holder, lease_until=lease_until,
                             updated_at=now)).rowcount
                    if taken == 1:
                        owned.add(key)
        answers: list[Claim] = []
        seen: set[str] = set()
        for key, _, _ in items:
            if key in owned and key not in seen:
                answers.append(Claim("owned", token=tokens[key]))
            elif key in found and found[key]["state"] == "sent":
                answers.append(Claim("sent", row=found[key]))
            else:
                answers.append(Claim("busy"))  # held by another sender (or this batch)
            seen.add(key)
        return answers

    def _abandoned(self, row: dict[str, Any], now: datetime) -> bool:
        if row["lease_until"] is None or row["lease_until"] < now:
            return True
        holder = row.get("holder") or ""
        return (self._run is not None and holder.startswith(self._run)
                and holder != self._holder)

    def _record_batch(self, items: list[Recorded]) -> list[bool]:
        stmt = (update(_TABLE)
                .where(and_(_TABLE.c.key == bindparam("b_key"),
                            _TABLE.c.claim == bindparam("b_token")))
                .values(state="sent", claim=None, holder=None, lease_until=None,
                        provider_id=bindparam("b_pid"), status=bindparam("b_status"),
                        attempts=bindparam("b_attempts"), sent_at=bindparam("b_sent"),
                        updated_at=bindparam("b_sent")))
        results = []
        with write_transaction(self._engine) as conn:
            for item in items:
                results.append(conn.execute(stmt, {
                    "b_key": item.key, "b_token": item.token, "b_pid": item.provider_id,
                    "b_status": item.status, "b_attempts": item.attempts,
                    "b_sent": item.sent_at}).rowcount == 1)
        return results

    def release(self, key: str, token: str) -> None:
        """Free a key this sender claimed and did not send (a later attempt may)."""
        with write_transaction(self._engine) as conn:
            conn.execute(delete(_TABLE).where(_TABLE.c.key == key, _TABLE.c.claim == token,
                                              _TABLE.c.state == "pending"))

    def release_pending(self, keys: list[str]) -> int:
        """Free the claims of ``keys`` that a dead attempt left (never a delivery)."""
        released = 0
        with write_transaction(self._engine) as conn:
            for start in range(0, len(keys), 500):
                released += conn.execute(delete(_TABLE).where(
                    _TABLE.c.key.in_(keys[start:start + 500]), _TABLE.c.state == "pending",
                )).rowcount
        return released

    def release_pending_prefix(self, prefix: str) -> int:
        """Free every claim (never a delivery) of the keys starting with ``prefix``: a
        resumed campaign frees its dead attempt's claims in one statement."""
        with write_transaction(self._engine) as conn:
            return int(conn.execute(delete(_TABLE).where(
                _TABLE.c.key.startswith(prefix, autoescape=True),
                _TABLE.c.state == "pending")).rowcount)

    def get(self, key: str) -> dict[str, Any] | None:
        with session_scope(engine=self._engine) as session:
            row = session.connection().execute(
                select(_TABLE).where(_TABLE.c.key == key)).first()
        return _row(row) if row is not None else None

    def by_provider_id(self, channel: str, provider_id: str) -> dict[str, Any] | None:
        with session_scope(engine=self._engine) as session:
            row = session.connection().execute(select(_TABLE).where(
                _TABLE.c.channel == channel, _TABLE.c.provider_id == provider_id,
                _TABLE.c.state == "sent")).first()
        return _row(row) if row is not None else None

    def set_status(self, key: str, status: str, *, error: str | None = None) -> None:
        """A later status of a sent message (``error``: why it failed, when it did)."""
        values: dict[str, Any] = {"status": status, "updated_at": utcnow()}
        if error:
            values["error"] = error[:300]
        with write_transaction(self._engine) as conn:
            conn.execute(update(_TABLE).where(_TABLE.c.key == key, _TABLE.c.state == "sent")
                         .values(**values))
