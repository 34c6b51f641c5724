"""A throwaway install for a benchmark: its own data dir, database and Redis prefix,
set through the environment so that child processes (workers) share it."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from bench._common import ROOT, use_project_root

use_project_root()

__all__ = ["isolated_install"]


@contextmanager
def isolated_install(*, database_url: str | None = None, **settings: str) -> Iterator[str]:
    """Yields the data dir. Removes its Redis keys and files afterwards."""
    data_dir = tempfile.mkdtemp(prefix="spio-bench-")
    prefix = f"b{uuid.uuid4().hex[:8]}"
    os.environ.update(
        {
            "DATA_DIR": data_dir,
            "REDIS_PREFIX": prefix,
            "DATABASE_URL": database_url or f"sqlite:///{data_dir}/spio.db",
            "ENVIRONMENT": "test",
            **settings,
        }
    )
    from alembic import command
    from alembic.config import Config

    from backend.core.config import get_settings
    from backend.core.db import dispose_engines
    from backend.worker.broker import get_broker

    get_settings.cache_clear()
    get_broker.cache_clear()  # its namespace comes from the prefix
    dispose_engines()
    command.upgrade(Config(str(ROOT / "alembic.ini")), "head")
    try:
        yield data_dir
    finally:
        from backend.core.redis import get_redis

        client = get_redis()
        keys = list(client.scan_iter(f"{prefix}*", count=5000))
        for start in range(0, len(keys), 5000):
            client.delete(*keys[start : start + 5000])
        dispose_engines()
        shutil.rmtree(data_dir, ignore_errors=True)
