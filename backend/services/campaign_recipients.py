"""A campaign's plan in the database (``campaign_recipients``), in chunks: the
recipients of one CRM page on one channel per row.

The plan step writes it a CRM page at a time; the send step reads each channel's
chunks back one at a time (keyset on ``seq``), so no worker holds 100,000 recipients,
or a million customers, in memory: what a run keeps is a chunk or two per channel. A
row per chunk, not per recipient: planning a million customers writes a few thousand
rows, not a million. In the database rather than Redis: a resumed send step must find
the plan however long ago it was made and whatever Redis lost meanwhile.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy import delete, func, insert, select

from backend.core.db import get_engine, write_transaction
from backend.models import CampaignRecipient

__all__ = ["CampaignRecipients", "Chunk"]

_TABLE = CampaignRecipient.__table__  # type: ignore[attr-defined]
_ITEMS = _TABLE.c["items"]  # (``.c.items`` is the collection's own method)

Chunk = tuple[int, list[dict[str, Any]]]  # (seq, plan items)


class CampaignRecipients:
    """The plan of one campaign (blocking work runs in a thread)."""

    def __init__(self, *, campaign_id: str) -> None:
        self.cid = campaign_id

    async def clear(self) -> None:
        """Drop an earlier plan of this campaign (the job plans again)."""
        await asyncio.to_thread(self._clear)

    async def add(self, chunks: Sequence[tuple[int, str, list[dict[str, Any]]]]) -> None:
        """Store ``(seq, channel, items)`` chunks (``seq`` unique within the campaign)."""
        if chunks:
            await asyncio.to_thread(self._add, chunks)

    async def chunks(self, *, channel: str | None, after: int, limit: int = 1) -> list[Chunk]:
        """Up to ``limit`` chunks after ``after``, in plan order (on ``channel``, or all)."""
        return await asyncio.to_thread(self._chunks, channel, after, limit)

    async def count(self) -> int:
        """How many recipients the plan holds."""
        return await asyncio.to_thread(self._count)

    # --- the blocking halves ---------------------------------------------------------
    def _clear(self) -> None:
        with write_transaction(get_engine()) as conn:
            conn.execute(delete(_TABLE).where(_TABLE.c.campaign_id == self.cid))

    def _add(self, chunks: Sequence[tuple[int, str, list[dict[str, Any]]]]) -> None:
        rows = [{"campaign_id": self.cid, "seq": seq, "channel": channel, "size": len(items),
                 "items": orjson.dumps(items).decode()}
                for seq, channel, items in chunks if items]  # fmt: skip
        if rows:
            with write_transaction(get_engine()) as conn:
                conn.execute(insert(_TABLE), rows)

    def _chunks(self, channel: str | None, after: int, limit: int) -> list[Chunk]:
        query = select(_TABLE.c.seq, _ITEMS).where(
            _TABLE.c.campaign_id == self.cid, _TABLE.c.seq > after)
        if channel is not None:
            query = query.where(_TABLE.c.channel == channel)
        with get_engine().connect() as conn:
            rows = conn.execute(query.order_by(_TABLE.c.seq).limit(limit)).all()
        return [(int(seq), orjson.loads(items)) for seq, items in rows]

    def _count(self) -> int:
        with get_engine().connect() as conn:
            return int(conn.execute(select(func.coalesce(func.sum(_TABLE.c.size), 0)).where(
                _TABLE.c.campaign_id == self.cid)).scalar_one())
