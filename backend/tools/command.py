"""The command tool: run an allow-listed program, never a shell.

``await command.run("gzip", ["-k", "report.csv"], timeout=30)``. The program must be on
``settings.command_allow`` (a name found on PATH, or an exact absolute path); arguments
are a list handed to ``exec`` directly, and any argument holding shell syntax
(``; | & $ ` > < *`` and friends, or newlines) is refused even so: a job spec asking for
it is a mistake or an attack, and a clear refusal beats a surprising literal. The child
gets a minimal environment (no tokens or keys inherited), its own process group, and is
killed with everything it started when the timeout passes.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from backend.core.errors import NonRetryableError, RetryableError

__all__ = ["CommandTool", "CommandResult", "CommandRefused", "CommandTimeout", "CommandFailed"]

_METACHARACTERS = frozenset(";|&$`<>(){}[]*?!~\\\n\r\"'")
_MAX_OUTPUT = 1_000_000


class CommandRefused(NonRetryableError):
    """The program is not allow-listed, or an argument carries shell syntax."""

    code = "command_refused"


class CommandTimeout(RetryableError):
    """The program ran past its timeout and was killed."""


class CommandFailed(NonRetryableError):
    """The program exited with a non-zero status (when ``check=True``)."""


@dataclass(frozen=True, slots=True)
class CommandResult:
    """What a finished program left behind (output truncated to 1 MB each)."""

    program: str
    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    duration_sec: float


class CommandTool:
    """Runs allow-listed programs with arguments as a list."""

    def __init__(self, *, allow: str | Sequence[str], timeout_sec: float = 60.0) -> None:
        names = allow.split(",") if isinstance(allow, str) else list(allow)
        self._allow = {n.strip() for n in names if n.strip()}
        self._timeout = timeout_sec

    def _resolve(self, program: str) -> str:
        if program not in self._allow:
            allowed = ", ".join(sorted(self._allow)) or "nothing (COMMAND_ALLOW is empty)"
            raise CommandRefused(f"program {program!r} is not allow-listed; allowed: {allowed}")
        if os.path.isabs(program):
            if not os.access(program, os.X_OK):
                raise CommandRefused(f"allow-listed program {program!r} is not executable")
            return program
        if os.sep in program:
            raise CommandRefused(f"program {program!r}: give a bare name or an absolute path")
        found = shutil.which(program)
        if found is None:
            raise CommandRefused(f"allow-listed program {program!r} is not installed")
        return found

    @staticmethod
    def _check_args(args: Sequence[str]) -> tuple[str, ...]:
        if isinstance(args, str):
            raise CommandRefused("arguments must be a list, not one string")
        checked = []
        for index, arg in enumerate(args):
            if not isinstance(arg, str):
                raise CommandRefused(f"argument {index} is not a string: {arg!r}")
            bad = sorted(set(arg) & _METACHARACTERS)
            if bad:
                raise CommandRefused(
                    f"argument {index} ({arg!r}) contains shell syntax {''.join(bad)!r}"
                )
            checked.append(arg)
        return tuple(checked)

    async def run(
        self,
        program: str,
        args: Sequence[str] = (),
        *,
        timeout: float | None = None,
        cwd: Path | None = None,
        stdin: bytes | None = None,
        check: bool = False,
    ) -> CommandResult:
        """Run ``program args...``; raise on refusal, timeout, or (``check``) failure."""
        executable = self._resolve(program)
        argv = self._check_args(args)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
        started = time.monotonic()
        proc = await asyncio.create_subprocess_exec(
            executable,
            *argv,
            stdin=asyncio.subprocess.PIPE if stdin is not None else asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            cwd=cwd,
            env=env,
            start_new_session=True,
        )
        limit = self._timeout if timeout is None else timeout
        try:
            out, err = await asyncio.wait_for(proc.communicate(stdin), timeout=limit)
        except TimeoutError:
            _kill_group(proc.pid)
            await proc.wait()
            raise CommandTimeout(f"{program} killed after {limit:g} s") from None
        except asyncio.CancelledError:
            _kill_group(proc.pid)  # a cancelled run leaves no orphans behind
            raise
        result = CommandResult(
            program=program,
            args=argv,
            returncode=proc.returncode if proc.returncode is not None else -1,
            stdout=out[:_MAX_OUTPUT].decode("utf-8", "replace"),
            stderr=err[:_MAX_OUTPUT].decode("utf-8", "replace"),
            duration_sec=time.monotonic() - started,
        )
        if check and result.returncode != 0:
            raise CommandFailed(
                f"{program} exited with {result.returncode}: {result.stderr.strip()[:300]}"
            )
        return result


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
