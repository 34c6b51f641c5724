"""/health tells operators when a Redis restart would lose the queued messages."""

from __future__ import annotations

from pathlib import Path

import pytest
import redis
from fastapi.testclient import TestClient

from backend.core.redis import persistence
from tests.conftest import _reset_caches
from tests.reliability.servers import OwnRedis


@pytest.fixture
def own_redis(tmp_path: Path):
    server = OwnRedis(directory=tmp_path / "redis")
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_persistence_is_read_from_the_server_and_shown_in_health(
        env, own_redis, monkeypatch: pytest.MonkeyPatch) -> None:
    client = redis.Redis.from_url(own_redis.url)
    assert persistence(client) == "aof"
    client.config_set("appendonly", "no")
    client.config_set("save", "3600 1")
    assert persistence(client) == "rdb"
    client.config_set("save", "")
    assert persistence(client) == "none"

    monkeypatch.setenv("REDIS_URL", own_redis.url)
    _reset_caches()
    from backend.api.app import create_app
    from backend.scheduler.service import SchedulerService

    SchedulerService().run_once()  # a scheduler leads: everything else works
    with TestClient(create_app()) as api:
        body = api.get("/health").json()
    assert body["status"] == "ok"  # everything works; it is a warning, not an outage
    assert body["checks"]["redis_persistence"].startswith("none: a Redis restart loses")
    client.config_set("appendonly", "yes")
    with TestClient(create_app()) as api:
        assert api.get("/health").json()["checks"]["redis_persistence"] == "aof"
