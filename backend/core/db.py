"""Engine and session factories. Nothing connects at import time.

SQLite runs in WAL mode with a busy timeout so that the web process, the scheduler and
the workers can share one file; PostgreSQL is used through DATABASE_URL.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlmodel import Session, create_engine

from backend.core.config import get_settings
from backend.core.errors import Unavailable
from backend.core.jsonsafe import loads_tolerant

__all__ = [
    "get_engine",
    "session_scope",
    "write_transaction",
    "DB_UNAVAILABLE_ERRORS",
    "dispose_engines",
    "end_session",
    "UNCACHED",
]

DB_UNAVAILABLE_ERRORS: tuple[type[Exception], ...] = (OperationalError, PoolTimeout)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


_ENGINES: dict[str, Engine] = {}
_LOCK = threading.Lock()


def get_engine(url: str | None = None) -> Engine:
    """The engine for ``url`` (default: the configured database), built once per process."""
    url = url or get_settings().resolved_database_url
    with _LOCK:
        engine = _ENGINES.get(url)
        if engine is None:
            engine = _ENGINES[url] = _build_engine(url)
    return engine


def _build_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            # cached_statements: sqlite3 keeps each connection's last N prepared
            # statements; a campaign's IN lists and multi-row INSERTs of varying length
            # are each a new statement of up to ~100 KB, and 128 of them (the default)
            # held 13.6 MB per pooled connection. 32 keeps the hot ones at a bounded cost.
            url, connect_args={"check_same_thread": False, "timeout": 30,
                               "cached_statements": 32},
            pool_size=20, json_deserializer=loads_tolerant,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # orjson reads the JSON columns (specs, results) several times faster than json;
    # loads_tolerant falls back for rows damaged before inputs were checked.
    settings = get_settings()
    return create_engine(url, pool_size=settings.db_pool_size,
                         max_overflow=settings.db_max_overflow, pool_pre_ping=True,
                         pool_timeout=10, json_deserializer=loads_tolerant)


# For a multi-row INSERT whose row count varies (a batch of claims, links, ledger rows):
# each count compiles to its own SQL text, and the engine's compiled cache keeps every
# one (hundreds of KB for 500 rows). A campaign's varying batches grew a worker by
# ~40 MB per 300 sizes; compiling each anew costs about what the cache saved.
UNCACHED: dict[str, Any] = {"compiled_cache": None}

_SQLITE_WRITES = threading.Lock()


@contextmanager
def write_transaction(engine: Engine | None = None) -> Iterator[Any]:
    """``engine.begin()`` for a short write. On SQLite, writers of one process queue on a
    Python lock first: SQLite's own busy handler sleeps 1, 2, 5, 10 ms... between
    retries, which under a few worker threads costs more than the writes themselves."""
    engine = engine or get_engine()
    if engine.dialect.name != "sqlite":
        with engine.begin() as conn:
            yield conn
        return
    # The lock covers BEGIN..COMMIT only: taking a pooled connection and handing it back
    # (a rollback on return) need no turn, so other threads do that meanwhile.
    with engine.connect() as conn, _SQLITE_WRITES, conn.begin():
        yield conn


def dispose_engines() -> None:
    """Close pooled connections (after fork, or between tests that switch databases)."""
    with _LOCK:
        for engine in _ENGINES.values():
            engine.dispose()
        _ENGINES.clear()


def end_session(session: Session, *, commit: bool) -> None:
    """Commit (``commit``) or roll back, then close: the end of :func:`session_scope`,
    for callers that open and close a session in two steps (the API's request session).

    A database that cannot be reached surfaces as :class:`Unavailable` (HTTP 503).
    """
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    except DB_UNAVAILABLE_ERRORS as exc:
        session.rollback()
        raise Unavailable(f"database unavailable: {type(exc).__name__}") from exc
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@contextmanager
def session_scope(*, engine: Engine | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on error.

    A database that cannot be reached surfaces as :class:`Unavailable` (HTTP 503).
    """
    session = Session(engine or get_engine(), expire_on_commit=False)
    try:
        yield session
    except DB_UNAVAILABLE_ERRORS as exc:
        end_session(session, commit=False)
        raise Unavailable(f"database unavailable: {type(exc).__name__}") from exc
    except BaseException:
        end_session(session, commit=False)
        raise
    end_session(session, commit=True)
