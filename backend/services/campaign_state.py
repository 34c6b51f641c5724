"""A campaign's live state in Redis: control (running/paused/cancelled), counters of
sends and tracking events, and which customers are done.

The workflow writes through :class:`CampaignState` (asyncio client); the API reads and
controls through the synchronous functions (pause, resume, cancel, stats), keyed by the
run that sends the campaign. Tracking webhooks add events with :func:`record_event`,
counting each (message, event type) once however often the webhook repeats it.
"""

from __future__ import annotations

import re
import time
from typing import Any, cast

from backend.core.errors import Conflict, ErrorItem, InvalidInput, NotFound
from backend.core.redis import get_redis, key

__all__ = ["CampaignState", "campaign_id_for", "control", "stats", "campaign_of_run",
           "record_event", "channel_rates", "CONTROLS"]  # fmt: skip

CONTROLS = {"pause": "paused", "resume": "running", "cancel": "cancelled"}
_TTL = 120 * 86400
# KEYS: done set, stats hash, provider-id map. ARGV: item, channel, pid field, campaign id.
_SENT = """
redis.call('HSET', KEYS[3], ARGV[3], ARGV[4])
if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then
  redis.call('HINCRBY', KEYS[2], 'sent:' .. ARGV[2], 1)
  redis.call('HINCRBY', KEYS[2], 'sent', 1)
end
return 1
"""


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


def _k(cid: str, part: str) -> str:
    return key("campaign", cid, part)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class CampaignState:
    """The workflow's side (``redis.asyncio`` client)."""

    def __init__(self, *, redis: Any, campaign_id: str) -> None:
        self.redis = redis
        self.cid = campaign_id
        self._sent_sha: str | None = None
        self._pending: list[tuple[str, str, str]] = []

    async def start(self, *, run_id: int, job_id: str, name: str, planned: dict[str, int],
                    skipped: dict[str, int]) -> None:  # fmt: skip
        pipe = self.redis.pipeline(transaction=True)
        pipe.set(key("campaign-run", str(run_id)), self.cid, ex=_TTL)
        pipe.set(_k(self.cid, "control"), "running", nx=True, ex=_TTL)
        meta = {"run_id": run_id, "job_id": job_id, "name": name, "started_at": time.time()}
        pipe.hset(_k(self.cid, "meta"), mapping=meta)
        stats = {f"planned:{c}": n for c, n in planned.items()}
        stats |= {f"skipped:{r}": n for r, n in skipped.items()}
        stats["planned"] = sum(planned.values())
        pipe.hset(_k(self.cid, "stats"), mapping=stats)
        for part in ("meta", "stats"):
            pipe.expire(_k(self.cid, part), _TTL)
        await pipe.execute()

    async def control(self) -> str:
        value = await self.redis.get(_k(self.cid, "control"))
        return _text(value) if value is not None else "running"

    async def done(self) -> set[str]:
        """``customer_id:channel`` of every message already sent."""
        return {_text(m) for m in await self.redis.smembers(_k(self.cid, "done"))}

    async def sent(self, *, item: str, channel: str, provider_id: str) -> None:
        """Mark ``customer_id:channel`` done and count it, once (a resumed attempt may
        record a message its dead predecessor sent). Buffered: written in batches by
        :meth:`flush` (a batch lost with a dead worker only means those messages are
        looked up in the messaging ledger again on resume, never sent twice)."""
        self._pending.append((item, channel, f"{channel}:{provider_id}"))
        if len(self._pending) >= 200:
            await self.flush()

    async def flush(self) -> None:
        """Write the buffered ``sent`` records in one round trip."""
        if not self._pending:
            return
        batch, self._pending = self._pending, []
        if self._sent_sha is None:
            self._sent_sha = await self.redis.script_load(_SENT)
        keys = (_k(self.cid, "done"), _k(self.cid, "stats"), key("campaign", "pid"))
        pipe = self.redis.pipeline(transaction=False)
        for item, channel, pid in batch:
            pipe.evalsha(self._sent_sha, 3, *keys, item, channel, pid, self.cid)
        await pipe.execute()

    async def failed(self, *, channel: str, reason: str) -> None:
        await self.flush()
        pipe = self.redis.pipeline(transaction=True)
        pipe.hincrby(_k(self.cid, "stats"), f"failed:{channel}", 1)
        pipe.hincrby(_k(self.cid, "stats"), f"failed_reason:{reason[:40]}", 1)
        await pipe.execute()

    async def finish(self, status: str) -> None:
        await self.flush()
        await self.redis.hset(_k(self.cid, "meta"), mapping={"status": status,
                                                              "finished_at": time.time()})

    async def stats(self) -> dict[str, Any]:
        await self.flush()
        raw = await self.redis.hgetall(_k(self.cid, "stats"))
        return _numbers({_text(k): _text(v) for k, v in raw.items()})


def _numbers(raw: dict[str, str]) -> dict[str, Any]:
    return {k: (float(v) if "." in v else int(v)) for k, v in raw.items()}


# --- the API's side (synchronous) ---------------------------------------------------
def campaign_of_run(run_id: int) -> str:
    cid = get_redis().get(key("campaign-run", str(run_id)))
    if cid is None:
        raise NotFound(f"run {run_id} sends no campaign (or has not started it yet)")
    return str(cid)


def control(run_id: int, action: str) -> dict[str, Any]:
    """Pause, resume or cancel the campaign the run sends: no new message is taken after
    0.25 s; those already holding a send slot (about a second ahead) still go."""
    if action not in CONTROLS:
        raise InvalidInput([ErrorItem("action", "use pause, resume or cancel")])
    cid = campaign_of_run(run_id)
    client = get_redis()
    current = client.get(_k(cid, "control")) or "running"
    if current == "cancelled" and action != "cancel":
        raise Conflict("the campaign was cancelled; it cannot be resumed")
    client.set(_k(cid, "control"), CONTROLS[action], ex=_TTL)
    return stats(run_id)


def stats(run_id: int) -> dict[str, Any]:
    """Live counters: planned, sent, failed and skipped per channel; delivered, opened,
    clicked, converted per channel; revenue."""
    cid = campaign_of_run(run_id)
    client = get_redis()
    meta = client.hgetall(_k(cid, "meta"))
    counters = _numbers(cast(dict[str, str], client.hgetall(_k(cid, "stats"))))
    return {"campaign_id": cid, "control": client.get(_k(cid, "control")) or "running",
            "meta": meta, "counters": counters}  # fmt: skip


def record_event(*, channel: str, message_id: str, kind: str, revenue: float | None) -> bool:
    """Count a tracking event for the campaign that sent the message, once per message
    and kind; False when the message belongs to no campaign or was counted before."""
    client = get_redis()
    cid = cast(str | None, client.hget(key("campaign", "pid"), f"{channel}:{message_id}"))
    if cid is None:
        return False
    if not client.sadd(_k(cid, f"ev:{kind}"), f"{channel}:{message_id}"):
        return False
    pipe = client.pipeline(transaction=True)
    pipe.hincrby(_k(cid, "stats"), f"{kind}:{channel}", 1)
    pipe.hincrby(_k(cid, "stats"), kind, 1)
    if kind == "converted" and revenue:
        pipe.hincrbyfloat(_k(cid, "stats"), "revenue", float(revenue))
    pipe.expire(_k(cid, f"ev:{kind}"), _TTL)
    pipe.execute()
    return True
