"""The run ledger on both databases: concurrent puts share one commit and each returns
only once its row is stored; a key recorded twice keeps its first result; prefixes are
matched literally (``_`` and ``%`` are not wildcards); a failed write reaches every
caller that waited on it."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import event

from backend.core.db import get_engine, session_scope
from backend.models import IdempotencyRecord
from backend.worker.ledger import RunLedger


def _count_inserts() -> list[int]:
    """One entry per INSERT statement into the ledger table."""
    inserts: list[int] = []

    def seen(conn, cursor, statement, *args) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO IDEMPOTENCY_RECORDS"):
            inserts.append(1)

    event.listen(get_engine(), "before_cursor_execute", seen)
    return inserts


@pytest.mark.parametrize("backend_kind", ["sqlite", "postgres"], indirect=True)
def test_group_commit_first_result_and_literal_prefix(env):
    ledger = RunLedger(job_id="job_1", run_id=7)
    inserts = _count_inserts()

    async def scenario() -> None:
        seen: list[str] = []

        async def put(n: int) -> None:
            await ledger.put(f"catalog:job_1:shopee:SKU{n}", {"n": n})
            # Returned: the row is there for any other reader at once.
            found, value = await asyncio.to_thread(ledger._get, f"catalog:job_1:shopee:SKU{n}")
            assert found and value == {"n": n}
            seen.append(str(n))

        await asyncio.gather(*(put(n) for n in range(200)))
        assert len(seen) == 200
        await ledger.put("catalog:job_1:shopee:SKU0", {"n": "again"})
        await ledger.put("catalogXjob_1:other", 1)

    asyncio.run(scenario())
    # 200 concurrent puts (+2): a handful of statements, not 202.
    assert 2 <= len(inserts) <= 20, len(inserts)
    with session_scope() as session:
        assert session.get(IdempotencyRecord, "catalog:job_1:shopee:SKU0").result == {"n": 0}
        assert session.get(IdempotencyRecord, "catalog:job_1:shopee:SKU5").run_id == 7
    keys = asyncio.run(ledger.done_keys("catalog:job_1:"))
    assert len(keys) == 200 and "catalogXjob_1:other" not in keys
    assert asyncio.run(ledger.done_keys("catalog_job")) == set()  # "_" is not a wildcard
    assert asyncio.run(ledger.get("catalog:job_1:shopee:SKU9")) == (True, {"n": 9})
    assert asyncio.run(ledger.get("nothing")) == (False, None)


def test_a_failed_write_reaches_every_waiter(env):
    ledger = RunLedger(job_id="job_2", run_id=1)

    def broken(rows):
        raise RuntimeError("database went away")

    ledger._insert = broken  # type: ignore[method-assign]

    async def scenario() -> list[BaseException | None]:
        return await asyncio.gather(*(ledger.put(f"k{n}", n) for n in range(10)),
                                    return_exceptions=True)

    results = asyncio.run(scenario())
    assert all(isinstance(r, RuntimeError) for r in results), results
    del ledger._insert
    # The ledger is usable again afterwards (the flusher did not stay marked busy).
    asyncio.run(ledger.put("k-after", 1))
    assert asyncio.run(ledger.get("k-after")) == (True, 1)
