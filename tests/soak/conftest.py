"""The long runs: not collected unless SPIO_SOAK=1 (they take minutes to an hour).

    SPIO_SOAK=1 SPIO_SOAK_MINUTES=10 .venv/bin/python -m pytest tests/soak -q -s
"""

from __future__ import annotations

import os


def pytest_ignore_collect(collection_path, config) -> bool | None:  # noqa: ARG001
    """Skip this folder's tests unless the soak was asked for."""
    if os.environ.get("SPIO_SOAK") != "1" and collection_path.name.startswith("test_"):
        return True
    return None
