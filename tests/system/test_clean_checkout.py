"""Starting the product leaves a user's checkout as it was: build output, Reflex's
rewrite of its lock folder, the database and logs all go to ignored paths, so the next
``git pull`` never meets a local change the user did not make."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from backend.core.config import PROJECT_ROOT

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or not (PROJECT_ROOT / ".git").exists(),
    reason="not a git checkout",
)

# What scripts/up and scripts/test write inside the checkout.
WRITTEN = [".venv/bin/python", ".tools/node_modules/.bin/bun", ".web/build/client/index.html",
           "reflex.lock/package.json", "reflex.lock/bun.lock", "assets/external/x.js",
           "var/spio.db", "var/run/supervisord.log", "var/secret.key", ".states/x",
           "test-output/x.png", ".pytest_cache/v/x", ".mypy_cache/x", ".ruff_cache/x"]  # fmt: skip


def _status() -> set[str]:
    out = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"],
                         cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    return set(out.stdout.splitlines())


def test_what_the_product_writes_is_ignored() -> None:
    found = subprocess.run(["git", "check-ignore", "--no-index", *WRITTEN], cwd=PROJECT_ROOT,
                           capture_output=True, text=True)  # fmt: skip
    assert set(found.stdout.split()) == set(WRITTEN)


@pytest.mark.slow
def test_building_the_ui_changes_no_tracked_file(tmp_path) -> None:
    """The build scripts/up runs (Reflex rewrites reflex.lock/package.json on every
    build): the tracked pins and everything else stay as they were."""
    before = _status()
    env = {**os.environ, "REFLEX_WEB_WORKDIR": str(tmp_path / "web")}
    subprocess.run([sys.executable, "-m", "spio_ui.serve", "--build-only"], cwd=PROJECT_ROOT,
                   env=env, check=True, capture_output=True, timeout=900)  # fmt: skip
    assert _status() == before
    assert (PROJECT_ROOT / "reflex.lock" / "package.json").is_file()
