"""One sandbox per contract module, reset before each test; the clients are the
platforms' own (requirements-test.txt), never ours."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
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
    httpx.post(f"{sandbox_handle.base_url}/_admin/reset").raise_for_status()
    return sandbox_handle


def shopee_client_class() -> Any:
    """pyshopee2's Client. The package imports selenium at load for a helper that opens a
    browser to capture an auth code, which no test calls; a stand-in module keeps
    selenium (and the async runtime it brings, which pytest's anyio plugin would then run
    every async test on as well) out of the test environment."""
    if "selenium" not in sys.modules:
        selenium = types.ModuleType("selenium")
        selenium.webdriver = types.ModuleType("selenium.webdriver")  # type: ignore[attr-defined]
        sys.modules["selenium"] = selenium
        sys.modules["selenium.webdriver"] = selenium.webdriver  # type: ignore[attr-defined]
    from pyshopee2 import Client

    return Client


def admin(sandbox: SandboxHandle, path: str, body: dict[str, Any] | None = None) -> Any:
    url = f"{sandbox.base_url}/_admin/{path}"
    response = httpx.post(url, json=body) if body is not None else httpx.get(url)
    response.raise_for_status()
    return response.json()


@pytest.fixture
def lazop(tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Lazada's SDK; it makes ~/logs when first imported, so HOME is a temp dir then."""
    monkeypatch.setenv("HOME", str(tmp_path))
    import lazop_sdk

    return lazop_sdk
