"""For the workflow benchmarks: the sandbox in its own process (HTTP and SMTP ports both
known) and a throwaway install whose settings point at it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from bench._common import free_port, sandbox_process, use_project_root

use_project_root()

__all__ = ["workflow_install"]


@contextmanager
def workflow_install(*, seed: int = 42) -> Iterator[str]:
    """Yields the sandbox base URL; settings (SANDBOX_PORT, SMTP_PORT, DATA_DIR, Redis
    prefix, database) are set for this process."""
    from bench._install import isolated_install

    smtp_port = free_port()
    with sandbox_process(seed=seed, smtp_port=smtp_port) as base, \
            isolated_install(SANDBOX_HOST="127.0.0.1", SANDBOX_PORT=str(urlsplit(base).port),
                             SMTP_PORT=str(smtp_port), SANDBOX_SEED=str(seed)):  # fmt: skip
        yield base
