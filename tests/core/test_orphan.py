"""A child whose parent died before it started watching still notices (the race that
left an image process alive after its worker was SIGKILLed under load)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

CHILD = textwrap.dedent("""
    import sys, time
    from backend.core.orphan import exit_with_parent
    exit_with_parent(parent=int(sys.argv[1]))
    time.sleep(30)
    sys.exit(0)
""")


def _run_child(*, parent: int) -> tuple[int, float]:
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", CHILD, str(parent)], timeout=20)
    return proc.returncode, time.monotonic() - started


def test_a_child_started_after_its_parent_died_exits_at_once():
    # A pid that is not this child's parent: as if the owner died before the child
    # ran its initializer and the child was re-parented to the reaper.
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    code, took = _run_child(parent=gone.pid)
    assert code == 1  # exit_now, not the script's own exit 0 after 30 s
    assert took < 15


def test_a_child_whose_parent_lives_keeps_running():
    import os

    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(os.getpid())])
    try:
        time.sleep(2.5)
        assert proc.poll() is None  # still watching, still alive
    finally:
        proc.kill()
        proc.wait()
