"""Shared by the platform connector tests: a sandbox per module, reset per test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from tests.sandbox_fixture import SandboxHandle, start_sandbox


@pytest.fixture(scope="module")
def sandbox_handle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxHandle]:
    handle = start_sandbox(seed=42, data_dir=tmp_path_factory.mktemp("sandbox"))
    yield handle
    handle.stop()


@pytest.fixture
def sandbox(sandbox_handle: SandboxHandle) -> SandboxHandle:
    """The module's sandbox with counters, writes, limits and faults reset."""
    httpx.post(f"{sandbox_handle.base_url}/_admin/reset").raise_for_status()
    return sandbox_handle


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as c:
        yield c


def admin(sandbox: SandboxHandle, path: str, body: dict[str, Any] | None = None) -> Any:
    """Call the sandbox admin API (GET without body, POST with one)."""
    url = f"{sandbox.base_url}/_admin/{path}"
    response = httpx.post(url, json=body) if body is not None else httpx.get(url)
    response.raise_for_status()
    return response.json()
