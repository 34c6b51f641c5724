"""Shared fixtures: an isolated install (data dir, database, Redis namespace) per test.

Database tests run on SQLite and, where marked with the ``db`` fixture's parameters, on
the PostgreSQL at TEST_POSTGRES_URL (default: the local server CI provides).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import redis

from backend.core.config import PROJECT_ROOT, Settings, get_settings

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
TEST_POSTGRES_ADMIN = os.environ.get(
    "TEST_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def _reset_caches() -> None:
    from backend.core import redis as core_redis
    from backend.core import security
    from backend.core.db import dispose_engines
    from backend.worker import broker

    get_settings.cache_clear()
    dispose_engines()
    core_redis.get_redis.cache_clear()
    broker.get_broker.cache_clear()
    security.clear_key_caches()


def migrate(url: str) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, "head")


def _postgres_url(name: str) -> str:
    base = TEST_POSTGRES_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    return f"{base}/{name}"


def _postgres_database(name: str, *, template: str | None = None) -> str:
    with psycopg.connect(TEST_POSTGRES_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        suffix = f' TEMPLATE "{template}"' if template else ""
        conn.execute(f'CREATE DATABASE "{name}"{suffix}')
    return _postgres_url(name)


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    """Async tests run on asyncio, what the product runs on (anyio would add trio
    wherever some test dependency happens to install it)."""
    return "asyncio"


@pytest.fixture(scope="session")
def migrated_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The schema, migrated once per test session with Alembic (which tests the
    migrations themselves); each test then starts from a copy, not a fresh migration."""
    from backend.core.db import dispose_engines

    made: dict[str, str] = {}
    sqlite_path = tmp_path_factory.mktemp("template") / "spio.db"
    migrate(f"sqlite:///{sqlite_path}")
    dispose_engines()
    with sqlite3.connect(sqlite_path) as conn:  # fold the WAL into the file we copy
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    made["sqlite"] = str(sqlite_path)
    try:
        yield made  # PostgreSQL's template is made on first use (_postgres_template)
    finally:
        if "postgres" in made:
            _drop_postgres(made["postgres"])


def _postgres_template(made: dict[str, str]) -> str:
    if "postgres" not in made:
        from backend.core.db import dispose_engines

        name = f"spio_tmpl_{uuid.uuid4().hex[:8]}"
        migrate(_postgres_database(name))
        dispose_engines()  # a template database must have no connections
        made["postgres"] = name
    return made["postgres"]


def _drop_postgres(name: str) -> None:
    with psycopg.connect(TEST_POSTGRES_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite"])
def backend_kind(request: pytest.FixtureRequest) -> str:
    """Override with ``@pytest.mark.parametrize("backend_kind", ["sqlite", "postgres"],
    indirect=True)`` to run a test on both databases."""
    return str(request.param)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend_kind: str,
        migrated_templates: dict[str, str]) -> Iterator[Settings]:
    """A fresh install: its own data dir, migrated database and Redis key prefix."""
    prefix = f"t{uuid.uuid4().hex[:10]}"
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("REDIS_URL", TEST_REDIS_URL)
    monkeypatch.setenv("REDIS_PREFIX", prefix)
    monkeypatch.setenv("ENVIRONMENT", "test")
    monkeypatch.setenv("LOCAL_ANONYMOUS_ROLE", "")
    # Test servers (sandboxes, fakes) listen on random loopback ports: open loopback by
    # name. The app's own ports (API, Redis, database) stay refused unless named with
    # their port; tests/security/test_ssrf_loopback.py checks the shipped default.
    monkeypatch.setenv("HTTP_ALLOW_HOSTS", "127.0.0.1,localhost,::1")
    pg_name = None
    if backend_kind == "postgres":
        pg_name = f"spio_test_{uuid.uuid4().hex[:8]}"
        template = _postgres_template(migrated_templates)
        monkeypatch.setenv("DATABASE_URL", _postgres_database(pg_name, template=template))
    else:
        db_file = tmp_path / "var" / "spio.db"
        db_file.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(migrated_templates["sqlite"], db_file)
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db_file}")
    _reset_caches()
    settings = get_settings()
    try:
        yield settings
    finally:
        flush_redis_prefix(prefix)
        _reset_caches()
        if pg_name:
            _drop_postgres(pg_name)


def migrate_reading_redis(url: str, *, prefix: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Migrate ``url`` as an install whose Redis keys start with ``prefix`` (migrations
    that carry Redis data over read them), then drop those keys."""
    monkeypatch.setenv("REDIS_URL", TEST_REDIS_URL)
    monkeypatch.setenv("REDIS_PREFIX", prefix)
    _reset_caches()
    try:
        migrate(url)
    finally:
        flush_redis_prefix(prefix)
        _reset_caches()


def flush_redis_prefix(prefix: str) -> int:
    """Drop every Redis key of one install (what restarting a Redis that keeps nothing
    on disk does to it); returns how many there were."""
    client = redis.Redis.from_url(TEST_REDIS_URL)
    try:
        keys = list(client.scan_iter(f"{prefix}*", count=1000))
        return int(client.delete(*keys)) if keys else 0
    finally:
        client.close()


@pytest.fixture
def admin_token(env: Settings) -> str:
    from backend.auth.tokens import create_token
    from backend.core.db import session_scope

    with session_scope() as session:
        _, plaintext = create_token(session=session, name="test-admin", role="admin")
    return plaintext


@pytest.fixture
def api(env: Settings, admin_token: str) -> Iterator[object]:
    """A TestClient of the API, authenticated as admin."""
    from fastapi.testclient import TestClient

    from backend.api.app import create_app

    with TestClient(create_app()) as client:
        client.headers["Authorization"] = f"Bearer {admin_token}"
        yield client


SEED_JOBS = PROJECT_ROOT / "examples" / "jobs"  # copies of shared/seed/jobs


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests run last: Playwright's sync API keeps an event loop running in the
    main thread while its session fixtures live, which no asyncio test after it survives."""
    items.sort(key=lambda item: "tests/e2e/" in item.nodeid.replace("\\", "/"))
