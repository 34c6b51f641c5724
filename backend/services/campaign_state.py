"""A campaign's state in the database: control (running/paused/cancelled), counters of
sends and tracking events, and which customers are done (the sent-message ledger).

The workflow writes through :class:`CampaignState`; the API reads and controls through
the synchronous functions (pause, resume, cancel, stats), keyed by the run that sends
the campaign. Tracking webhooks add events with :func:`record_event`, counting each
(message, event type) once however often the webhook repeats it. None of it is in
Redis: a Redis that lost everything neither resumes a paused campaign nor forgets what
was sent or counted.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from backend.core.db import UNCACHED, get_engine, write_transaction
from backend.core.errors import Conflict, ErrorItem, InvalidInput, NotFound
from backend.models import Campaign, CampaignCounter, CampaignEvent, SentMessage
from backend.models.types import utcnow

__all__ = ["CampaignState", "campaign_id_for", "control", "stats", "campaign_of_run",
           "record_event", "channel_rates", "campaign_of_message", "CONTROLS"]  # fmt: skip

CONTROLS = {"pause": "paused", "resume": "running", "cancel": "cancelled"}
_CAMPAIGNS = Campaign.__table__  # type: ignore[attr-defined]
_COUNTERS = CampaignCounter.__table__  # type: ignore[attr-defined]
_EVENTS = CampaignEvent.__table__  # type: ignore[attr-defined]
_SENT = SentMessage.__table__  # type: ignore[attr-defined]


def campaign_id_for(job_id: str, name: str) -> str:
    """Stable across retries and re-runs of the job: one campaign, one id."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "campaign"
    return f"{job_id}:{slug}"


def channel_rates(inputs: dict[str, Any], channels: list[str]) -> dict[str, float]:
    """Messages per window for each channel of a campaign job (the job's
    ``rate_limit_per_minute``, then its ``channel_rate_limits`` overrides)."""
    base = float(inputs.get("rate_limit_per_minute") or 100)
    overrides = inputs.get("channel_rate_limits") or {}
    return {c: float(overrides.get(c, base)) for c in channels}


def _insert(conn: Connection) -> Any:
    return postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert


def _add(conn: Connection, cid: str, values: Mapping[str, float], *,
         replace: bool = False) -> None:
    """Add to (or, with ``replace``, set) named counters of a campaign, atomically."""
    if not values:
        return
    rows = [{"campaign_id": cid, "name": n[:100], "value": float(v)} for n, v in values.items()]
    stmt = _insert(conn)(_COUNTERS).values(rows)
    new_value = stmt.excluded.value if replace else _COUNTERS.c.value + stmt.excluded.value
    conn.execute(stmt.on_conflict_do_update(index_elements=["campaign_id", "name"],
                                            set_={"value": new_value}),
                 execution_options=UNCACHED)


def _prefix(cid: str) -> str:
    return f"campaign:{cid}:"


def _sent_keys(conn: Connection, cid: str) -> list[tuple[str, str]]:
    prefix = _prefix(cid)
    rows = conn.execute(select(_SENT.c.key, _SENT.c.channel).where(
        _SENT.c.key.startswith(prefix, autoescape=True), _SENT.c.state == "sent"))
    return [(key[len(prefix):], channel) for key, channel in rows]


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else float(value)


def _counters(conn: Connection, cid: str) -> dict[str, Any]:
    counters: dict[str, Any] = {name: _number(value) for name, value in conn.execute(
        select(_COUNTERS.c.name, _COUNTERS.c.value).where(_COUNTERS.c.campaign_id == cid))}
    # What was sent is what the ledger recorded, per channel.
    sent = conn.execute(select(_SENT.c.channel, func.count()).where(
        _SENT.c.key.startswith(_prefix(cid), autoescape=True), _SENT.c.state == "sent",
    ).group_by(_SENT.c.channel)).all()
    for channel, n in sent:
        counters[f"sent:{channel}"] = int(n)
    counters["sent"] = sum(int(n) for _, n in sent)
    return counters


class CampaignState:
    """The workflow's side (blocking work in a thread)."""

    def __init__(self, *, campaign_id: str) -> None:
        self.cid = campaign_id

    async def start(self, *, run_id: int, job_id: str, name: str, planned: dict[str, int],
                    skipped: dict[str, int]) -> None:  # fmt: skip
        await asyncio.to_thread(self._start, run_id, job_id, name, planned, skipped)

    def _start(self, run_id: int, job_id: str, name: str, planned: dict[str, int],
               skipped: dict[str, int]) -> None:
        with write_transaction(get_engine()) as conn:
            self._keep_row(conn, run_id=run_id, job_id=job_id, name=name)
            figures = {f"planned:{c}": n for c, n in planned.items()}
            figures |= {f"skipped:{r}": n for r, n in skipped.items()}
            figures["planned"] = sum(planned.values())
            _add(conn, self.cid, figures, replace=True)

    async def open(self, *, run_id: int, job_id: str, name: str) -> None:
        """Keep the campaign's row (an order-triggered campaign: one per job, added to by
        each run) without touching its counters."""
        def write() -> None:
            with write_transaction(get_engine()) as conn:
                self._keep_row(conn, run_id=run_id, job_id=job_id, name=name)

        await asyncio.to_thread(write)

    def _keep_row(self, conn: Connection, *, run_id: int, job_id: str, name: str) -> None:
        """Insert the campaign's row, or point it at this run. A campaign paused or
        cancelled stays so when its run resumes (control is set on insert only)."""
        stmt = _insert(conn)(_CAMPAIGNS).values(
            campaign_id=self.cid, run_id=run_id, job_id=job_id, name=name[:200],
            control="running", started_at=utcnow())
        conn.execute(stmt.on_conflict_do_update(index_elements=["campaign_id"], set_={
            "run_id": run_id, "job_id": job_id, "name": name[:200]}))

    async def control(self) -> str:
        def read() -> str:
            with get_engine().connect() as conn:
                value = conn.execute(select(_CAMPAIGNS.c.control).where(
                    _CAMPAIGNS.c.campaign_id == self.cid)).scalar_one_or_none()
            return value or "running"

        return await asyncio.to_thread(read)

    async def done(self) -> set[str]:
        """``customer_id:channel`` of every message already sent (the ledger's word)."""
        def read() -> set[str]:
            with get_engine().connect() as conn:
                return {done for done, _ in _sent_keys(conn, self.cid)}

        return await asyncio.to_thread(read)

    async def done_count(self) -> int:
        """How many of the campaign's messages the ledger says were sent."""
        def read() -> int:
            with get_engine().connect() as conn:
                return int(conn.execute(select(func.count()).select_from(_SENT).where(
                    _SENT.c.key.startswith(_prefix(self.cid), autoescape=True),
                    _SENT.c.state == "sent")).scalar_one())

        return await asyncio.to_thread(read)

    async def sent_among(self, items: list[str]) -> set[str]:
        """Which of ``items`` (``customer_id:channel``) were sent: one query a page, so
        a resumed send step never reads the whole ledger of a campaign."""
        def read() -> set[str]:
            prefix = _prefix(self.cid)
            with get_engine().connect() as conn:
                found: set[str] = set()
                for start in range(0, len(items), 500):
                    keys = [prefix + item for item in items[start:start + 500]]
                    found.update(key[len(prefix):] for (key,) in conn.execute(
                        select(_SENT.c.key).where(_SENT.c.key.in_(keys),
                                                  _SENT.c.state == "sent")))
                return found

        return await asyncio.to_thread(read) if items else set()

    async def failed_later(self) -> set[str]:
        """``customer_id:channel`` of every message the platform failed after taking it
        (a status webhook marked it failed in the ledger)."""
        def read() -> set[str]:
            prefix = _prefix(self.cid)
            with get_engine().connect() as conn:
                rows = conn.execute(select(_SENT.c.key).where(
                    _SENT.c.key.startswith(prefix, autoescape=True), _SENT.c.state == "sent",
                    _SENT.c.status == "failed"))
                return {key[len(prefix):] for (key,) in rows}

        return await asyncio.to_thread(read)

    async def add(self, figures: Mapping[str, float]) -> None:
        """Add to named counters (e.g. ``retried:telegram``)."""
        def write() -> None:
            with write_transaction(get_engine()) as conn:
                _add(conn, self.cid, figures)

        await asyncio.to_thread(write)

    async def sent(self, *, item: str, channel: str, provider_id: str) -> None:
        """A message went out: the ledger recorded it already; nothing more to keep."""

    async def flush(self) -> None:
        """Nothing is buffered (kept for callers that flush before reading)."""

    async def failed(self, *, channel: str, reason: str) -> None:
        def write() -> None:
            with write_transaction(get_engine()) as conn:
                _add(conn, self.cid, {f"failed:{channel}": 1, f"failed_reason:{reason[:40]}": 1})

        await asyncio.to_thread(write)

    async def finish(self, status: str) -> None:
        def write() -> None:
            with write_transaction(get_engine()) as conn:
                conn.execute(update(_CAMPAIGNS).where(_CAMPAIGNS.c.campaign_id == self.cid)
                             .values(status=status, finished_at=utcnow()))

        await asyncio.to_thread(write)

    async def stats(self) -> dict[str, Any]:
        def read() -> dict[str, Any]:
            with get_engine().connect() as conn:
                return _counters(conn, self.cid)

        return await asyncio.to_thread(read)


# --- the API's side (synchronous) ---------------------------------------------------
def campaign_of_run(run_id: int) -> str:
    with get_engine().connect() as conn:
        cid = conn.execute(select(_CAMPAIGNS.c.campaign_id).where(
            _CAMPAIGNS.c.run_id == run_id)).scalar_one_or_none()
    if cid is None:
        raise NotFound(f"run {run_id} sends no campaign (or has not started it yet)")
    return str(cid)


def control(run_id: int, action: str) -> dict[str, Any]:
    """Pause, resume or cancel the campaign the run sends: no new message is taken after
    0.25 s; those already holding a send slot (about a second ahead) still go."""
    if action not in CONTROLS:
        raise InvalidInput([ErrorItem("action", "use pause, resume or cancel")])
    cid = campaign_of_run(run_id)
    with write_transaction(get_engine()) as conn:
        moved = conn.execute(update(_CAMPAIGNS).where(
            _CAMPAIGNS.c.campaign_id == cid,
            (_CAMPAIGNS.c.control != "cancelled") | (action == "cancel"),
        ).values(control=CONTROLS[action])).rowcount
    if not moved:
        raise Conflict("the campaign was cancelled; it cannot be resumed",
                       key="error.campaign_cancelled")
    return stats(run_id)


def stats(run_id: int) -> dict[str, Any]:
    """Live counters: planned, sent, failed and skipped per channel; delivered, opened,
    clicked, converted per channel; revenue."""
    cid = campaign_of_run(run_id)
    with get_engine().connect() as conn:
        row = conn.execute(select(_CAMPAIGNS).where(_CAMPAIGNS.c.campaign_id == cid)).one()
        counters = _counters(conn, cid)
    meta = {"run_id": str(row.run_id), "job_id": row.job_id, "name": row.name,
            "started_at": str(row.started_at.timestamp())}
    if row.status:
        meta |= {"status": row.status,
                 "finished_at": str(row.finished_at.timestamp()) if row.finished_at else ""}
    return {"campaign_id": cid, "control": row.control, "meta": meta, "counters": counters}


def campaign_of_message(*, channel: str, message_id: str) -> tuple[str, str] | None:
    """``(campaign_id, job_id)`` of the campaign that sent a message, else None."""
    with get_engine().connect() as conn:
        key = conn.execute(select(_SENT.c.key).where(
            _SENT.c.channel == channel, _SENT.c.provider_id == message_id,
            _SENT.c.state == "sent")).scalar_one_or_none()
        if key is None or not key.startswith("campaign:"):
            return None
        cid = key[len("campaign:"):].rsplit(":", 2)[0]
        job_id = conn.execute(select(_CAMPAIGNS.c.job_id).where(
            _CAMPAIGNS.c.campaign_id == cid)).scalar_one_or_none()
    return None if job_id is None else (cid, str(job_id))


def record_event(*, channel: str, message_id: str, kind: str, revenue: float | None,
                 reason: str | None = None) -> bool:
    """Count a tracking event for the campaign that sent the message, once per message
    and kind (a failure also under its ``reason``: ``failed_reason:131047``); False when
    the message belongs to no campaign or was counted before."""
    with write_transaction(get_engine()) as conn:
        key = conn.execute(select(_SENT.c.key).where(
            _SENT.c.channel == channel, _SENT.c.provider_id == message_id,
            _SENT.c.state == "sent")).scalar_one_or_none()
        if key is None or not key.startswith("campaign:"):
            return False
        cid = key[len("campaign:"):].rsplit(":", 2)[0]  # campaign:<cid>:<customer>:<channel>
        # RETURNING, not rowcount: PostgreSQL's driver does not count ON CONFLICT's no-ops.
        counted = conn.execute(_insert(conn)(_EVENTS).values(
            campaign_id=cid, message=f"{channel}:{message_id}"[:250], kind=kind[:20],
        ).on_conflict_do_nothing().returning(_EVENTS.c.kind)).first()
        if counted is None:
            return False
        figures: dict[str, float] = {f"{kind}:{channel}": 1, kind: 1}
        if kind == "failed" and reason:
            figures[f"failed_reason:{reason.split(':')[0][:40]}"] = 1
        if kind == "converted" and revenue:
            figures["revenue"] = float(revenue)
        _add(conn, cid, figures)
    return True
