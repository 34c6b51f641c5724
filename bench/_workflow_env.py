"""For the workflow benchmarks: the sandbox in its own process (HTTP and SMTP ports both
known) and a throwaway install whose settings point at it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from bench._common import ROOT, free_port, use_project_root

use_project_root()

__all__ = ["workflow_install"]


@contextmanager
def workflow_install(*, seed: int = 42) -> Iterator[str]:
    """Yields the sandbox base URL; settings (SANDBOX_PORT, SMTP_PORT, DATA_DIR, Redis
    prefix, database) are set for this process."""
    from bench._install import isolated_install

    port, smtp_port = free_port(), free_port()
    env = {**os.environ, "SANDBOX_PORT": str(port), "SANDBOX_SMTP_PORT": str(smtp_port),
           "SANDBOX_SEED": str(seed), "PYTHONPATH": str(ROOT)}  # fmt: skip
    proc = subprocess.Popen([sys.executable, "-m", "backend.sandbox"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_admin/health", timeout=1):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the sandbox did not start") from None
                time.sleep(0.1)
        with isolated_install(SANDBOX_HOST="127.0.0.1", SANDBOX_PORT=str(port),
                              SMTP_PORT=str(smtp_port), SANDBOX_SEED=str(seed)):  # fmt: skip
            yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
