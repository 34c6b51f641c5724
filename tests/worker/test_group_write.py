"""The lifecycle's group commit: threads writing at the same time share a transaction,
each gets its own result once committed, and one caller's error is its own."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import event, text

from backend.core.db import get_engine
from backend.worker.group_write import GroupWriter


def _table() -> None:
    engine = get_engine()
    key = "SERIAL" if engine.dialect.name == "postgresql" else "INTEGER"
    with engine.begin() as conn:
        conn.execute(text(f"CREATE TABLE gw (id {key} PRIMARY KEY, who TEXT NOT NULL)"))


def _commits() -> list[int]:
    seen: list[int] = []
    event.listen(get_engine(), "commit", lambda conn: seen.append(1))
    return seen


@pytest.mark.parametrize("backend_kind", ["sqlite", "postgres"], indirect=True)
def test_callers_share_transactions_and_get_their_own_results(env):
    _table()
    writer = GroupWriter()
    commits = _commits()
    first_in = threading.Event()

    def insert(who: str, *, slow: bool = False):
        def write(conn):
            conn.execute(text("INSERT INTO gw (who) VALUES (:w)"), {"w": who})
            if slow:
                first_in.set()
                time.sleep(0.3)  # the others arrive while this batch is written
            return conn.execute(text("SELECT id FROM gw WHERE who = :w"), {"w": who}).scalar()
        return write

    results: dict[str, int] = {}

    def call(who: str, **kw) -> None:
        results[who] = writer.write(insert(who, **kw))

    leader = threading.Thread(target=call, args=("lead",), kwargs={"slow": True})
    leader.start()
    first_in.wait(5)
    others = [threading.Thread(target=call, args=(f"t{n}",)) for n in range(12)]
    for t in others:
        t.start()
    for t in [leader, *others]:
        t.join(10)
    with get_engine().connect() as conn:
        stored = dict(conn.execute(text("SELECT who, id FROM gw")).all())
    assert results == stored and len(stored) == 13  # each caller got its own row's id
    assert len(commits) <= 3  # 13 callers, not 13 transactions


def test_an_error_is_its_callers_alone(env):
    _table()
    writer = GroupWriter()
    first_in = threading.Event()
    outcomes: dict[str, object] = {}

    def write_row(who: str, *, fail: bool = False, slow: bool = False):
        def write(conn):
            conn.execute(text("INSERT INTO gw (who) VALUES (:w)"), {"w": who})
            if slow:
                first_in.set()
                time.sleep(0.3)
            if fail:
                raise ValueError(f"{who} refused")
            return who
        return write

    def call(who: str, **kw) -> None:
        try:
            outcomes[who] = writer.write(write_row(who, **kw))
        except ValueError as exc:
            outcomes[who] = exc

    leader = threading.Thread(target=call, args=("lead",), kwargs={"slow": True})
    leader.start()
    first_in.wait(5)
    threads = [threading.Thread(target=call, args=(f"t{n}",), kwargs={"fail": n == 3})
               for n in range(6)]
    for t in threads:
        t.start()
    for t in [leader, *threads]:
        t.join(10)
    assert isinstance(outcomes.pop("t3"), ValueError)
    assert outcomes == {w: w for w in ("lead", "t0", "t1", "t2", "t4", "t5")}
    with get_engine().connect() as conn:
        stored = set(conn.execute(text("SELECT who FROM gw")).scalars())
    assert stored == {"lead", "t0", "t1", "t2", "t4", "t5"}  # the failed one wrote nothing
