"""The web process: build the UI once (cached), then serve UI + REST API on one port.

``python -m spio_ui.serve`` does what ``reflex run --env prod`` does, minus the
production build on every start: the compiled frontend is reused while nothing it
depends on changed (UI sources, assets, rxconfig, the pinned JavaScript packages,
Reflex version, port, because Reflex bakes the websocket port into the bundle). A
restart then takes about as long as importing the app.

The UI's JavaScript packages are pinned in ``spio_ui/frontend_packages/`` (package.json
and bun.lock). Reflex insists on a ``reflex.lock/`` folder of its own, which it rewrites
on every build; the build copies the pins there first, and that folder is ignored by
git, so starting the product never leaves the checkout modified.

``python -m spio_ui.serve --build-only`` builds (if stale) and exits; tests and the up
command use it to build before they start anything else. ``--no-frontend`` serves the
same process without the pages (and without building them).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from backend.core.config import PROJECT_ROOT, get_settings

__all__ = ["build_fingerprint", "ensure_frontend_build", "serve", "main"]

STAMP_NAME = "spio-build.stamp"
_INPUT_DIRS = ("spio_ui", "assets")
PINS_DIR = "spio_ui/frontend_packages"  # tracked: what the UI's JavaScript packages are
REFLEX_LOCK_DIR = "reflex.lock"  # Reflex's working copy of them (ignored by git)
_INPUT_FILES = ("rxconfig.py",)
_SKIP_SUFFIXES = (".pyc",)


def _reflex_env() -> dict[str, str]:
    """Environment for Reflex child processes: nothing may reach the internet."""
    env = dict(os.environ)
    env.setdefault("REFLEX_CHECK_LATEST_VERSION", "false")
    env.setdefault("REFLEX_TELEMETRY_ENABLED", "false")
    return env


def _input_files(root: Path) -> Iterator[Path]:
    for name in _INPUT_FILES:
        path = root / name
        if path.is_file():
            yield path
    for name in _INPUT_DIRS:
        base = root / name
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    if not path.name.endswith(_SKIP_SUFFIXES):
                        yield path


def build_fingerprint(*, port: int, root: Path = PROJECT_ROOT) -> str:
    """A digest of everything the compiled frontend depends on."""
    digest = hashlib.sha256()
    digest.update(f"port={port};reflex={importlib.metadata.version('reflex')}".encode())
    for path in _input_files(root):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _web_dir(root: Path) -> Path:
    # REFLEX_WEB_WORKDIR lets tests build into their own folder while `up` keeps serving.
    from reflex_base.environment import environment

    return root / environment.REFLEX_WEB_WORKDIR.get()


def ensure_frontend_build(*, port: int, force: bool = False, root: Path = PROJECT_ROOT) -> bool:
    """Build the production frontend unless an up-to-date build exists.

    Returns True when a build ran. Raises ``subprocess.CalledProcessError`` on failure.
    """
    web_dir = _web_dir(root)
    stamp = web_dir / STAMP_NAME
    fingerprint = build_fingerprint(port=port, root=root)
    index = web_dir / "build" / "client" / "index.html"
    if not force and index.exists() and stamp.is_file() and stamp.read_text() == fingerprint:
        return False
    _restore_pins(root)
    env = _reflex_env()
    env["API_PORT"] = str(port)  # rxconfig reads the port through get_settings()
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "reflex", "export", "--frontend-only", "--no-zip", "--env", "prod"],
        cwd=root,
        env=env,
        check=True,
    )
    stamp.write_text(fingerprint)
    print(f"spio web: frontend built in {time.monotonic() - started:.1f}s", flush=True)
    return True


def _restore_pins(root: Path) -> None:
    """Hand Reflex the tracked pins in the folder it reads (and rewrites)."""
    target = root / REFLEX_LOCK_DIR
    target.mkdir(exist_ok=True)
    for pin in sorted((root / PINS_DIR).iterdir()):
        if pin.is_file():
            shutil.copyfile(pin, target / pin.name)


def serve(*, host: str, port: int, workers: int, frontend: bool = True) -> None:
    """Serve the compiled frontend, Reflex's event socket and the REST API on one port
    (``frontend=False``: the same server without the compiled pages)."""
    os.environ.update(_reflex_env())
    os.environ["GRANIAN_WORKERS"] = str(workers)
    os.chdir(PROJECT_ROOT)  # Reflex finds rxconfig.py and the app in the working dir
    from reflex.utils import exec as rx_exec
    from reflex_base import constants
    from reflex_base.environment import environment

    environment.REFLEX_ENV_MODE.set(constants.Env.PROD)
    environment.REFLEX_SKIP_COMPILE.set(True)  # the build above already compiled it
    rx_exec.run_backend_prod(host, port, constants.LogLevel.WARNING, frontend)


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``python -m spio_ui.serve``."""
    parser = argparse.ArgumentParser(prog="python -m spio_ui.serve", description=__doc__)
    parser.add_argument("--build-only", action="store_true", help="build if stale, then exit")
    parser.add_argument("--rebuild", action="store_true", help="build even if up to date")
    parser.add_argument("--no-frontend", action="store_true",
                        help="serve the API and the event socket without the compiled pages "
                        "(no build needed; bench/api_load.py measures the API this way)")
    args = parser.parse_args(argv)
    settings = get_settings()
    if args.no_frontend:
        serve(host=settings.api_host, port=settings.api_port, workers=settings.web_workers,
              frontend=False)
        return
    try:
        ensure_frontend_build(port=settings.api_port, force=args.rebuild)
    except subprocess.CalledProcessError:
        sys.exit("spio web: the frontend build failed (its output is above)")
    if args.build_only:
        return
    print(
        f"spio web: serving UI and API on http://{settings.api_host}:{settings.api_port}/",
        flush=True,
    )
    serve(host=settings.api_host, port=settings.api_port, workers=settings.web_workers)


if __name__ == "__main__":
    main()
