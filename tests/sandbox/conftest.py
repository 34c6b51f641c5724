"""One sandbox per test session; each test starts from a reset sandbox."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.sandbox_fixture import SandboxHandle, start_sandbox


@pytest.fixture(scope="session")
def sandbox_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxHandle]:
    handle = start_sandbox(seed=42, data_dir=tmp_path_factory.mktemp("sandbox-data"))
    yield handle
    handle.stop()


@pytest.fixture
def sandbox(sandbox_server: SandboxHandle) -> SandboxHandle:
    httpx.post(f"{sandbox_server.base_url}/_admin/reset").raise_for_status()
    return sandbox_server


@pytest.fixture
def client(sandbox: SandboxHandle) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.base_url, timeout=10) as c:
        yield c
