"""The state tool on SQLite and PostgreSQL: a job's values outlive Redis.

Given values written through the tool, when the install's Redis keys are all dropped
(what a restart of a Redis without persistence does), expect every value back, per job,
with overwrites, prefixes and concurrent writers behaving."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from backend.tools.state import StateTool
from tests.conftest import flush_redis_prefix

pytestmark = [
    pytest.mark.anyio,
    pytest.mark.parametrize("backend_kind", ["sqlite", "postgres"], indirect=True),
]


async def test_values_survive_a_redis_flush(env) -> None:
    sync, other = StateTool(job_id="catalog"), StateTool(job_id="report")
    await sync.set("catalog:watermark", 1_764_000_000.5)
    await other.set("bi:history:2026-11-24", {"date": "2026-11-24", "sales": 10})
    await other.set("bi:history:2026-11-25", {"date": "2026-11-25", "sales": 12})
    await other.set("bi:history_note", "not a day")  # '_' must not match as a wildcard
    flush_redis_prefix(env.redis_prefix)

    assert await sync.get("catalog:watermark") == 1_764_000_000.5
    assert await sync.get("bi:history:2026-11-24") is None  # jobs keep their own rows
    days = await StateTool(job_id="report").items("bi:history:")
    assert list(days) == ["bi:history:2026-11-24", "bi:history:2026-11-25"]
    assert days["bi:history:2026-11-25"]["sales"] == 12


async def test_overwrite_delete_and_concurrent_writers(env) -> None:
    state = StateTool(job_id="monitor")
    await state.set("cursors", {"x:brand": "c1"})
    await state.set("cursors", {"x:brand": "c2", "ig:brand": "c9"})
    assert await state.get("cursors") == {"x:brand": "c2", "ig:brand": "c9"}
    # Two runs of one job finishing together: one row, the last write wins, no error.
    await asyncio.gather(*(state.set("baseline_per_min", n) for n in range(20)))
    assert await state.get("baseline_per_min") in range(20)
    assert list(await state.items()) == ["baseline_per_min", "cursors"]
    assert await state.delete("cursors") is True
    assert await state.delete("cursors") is False
    assert await state.get("cursors", {}) == {}


def test_drop_older_deletes_only_old_names_of_the_prefix(env):
    from sqlalchemy import update

    from backend.core.db import get_engine, write_transaction
    from backend.models.job_state import JobState
    from backend.models.types import utcnow

    state, other = StateTool(job_id="j1"), StateTool(job_id="j2")

    async def scenario() -> tuple[int, dict, dict]:
        for tool in (state, other):
            await tool.set("run:1:offers", [1])
            await tool.set("run:2:offers", [2])
            await tool.set("cursors", {"a": 1})
        table = JobState.__table__
        with write_transaction(get_engine()) as conn:  # run 1 wrote its data two days ago
            conn.execute(update(table).where(table.c.name != "run:2:offers").values(
                updated_at=utcnow() - timedelta(days=2)))
        dropped = await state.drop_older("run:", than_sec=86400)
        return dropped, await state.items(), await other.items()

    dropped, mine, theirs = asyncio.run(scenario())
    assert dropped == 1
    assert mine == {"cursors": {"a": 1}, "run:2:offers": [2]}
    assert len(theirs) == 3
