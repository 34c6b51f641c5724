"""The command tool: allow-list, no shell syntax, timeouts, captured output."""

from __future__ import annotations

import time

import pytest

from backend.tools.command import CommandFailed, CommandRefused, CommandTimeout, CommandTool

pytestmark = pytest.mark.anyio


async def test_allow_listed_program_runs_with_captured_output(tmp_path) -> None:
    tool = CommandTool(allow="echo,ls")
    result = await tool.run("echo", ["harga", "turun 5%"])
    assert result.returncode == 0
    assert result.stdout == "harga turun 5%\n"
    (tmp_path / "a.csv").write_text("x")
    listing = await tool.run("ls", [], cwd=tmp_path)
    assert listing.stdout.split() == ["a.csv"]


async def test_program_not_on_the_list_is_refused() -> None:
    tool = CommandTool(allow="echo")
    with pytest.raises(CommandRefused, match="'rm' is not allow-listed; allowed: echo"):
        await tool.run("rm", ["-rf", "/tmp/x"])
    with pytest.raises(CommandRefused, match="bare name or an absolute path"):
        await CommandTool(allow="./echo").run("./echo")
    with pytest.raises(CommandRefused, match="COMMAND_ALLOW is empty"):
        await CommandTool(allow="").run("echo")


@pytest.mark.parametrize("arg", ["a; rm -rf /", "$(id)", "`id`", "x | sh", "a && b", "> out"])
async def test_shell_syntax_refused(arg: str) -> None:
    with pytest.raises(CommandRefused, match="shell syntax"):
        await CommandTool(allow="echo").run("echo", [arg])


async def test_one_string_of_arguments_refused() -> None:
    with pytest.raises(CommandRefused, match="list"):
        await CommandTool(allow="echo").run("echo", "a b")  # type: ignore[arg-type]


async def test_timeout_kills_the_program() -> None:
    tool = CommandTool(allow="sleep")
    started = time.monotonic()
    with pytest.raises(CommandTimeout, match="killed after 0.3 s"):
        await tool.run("sleep", ["5"], timeout=0.3)
    assert time.monotonic() - started < 2


async def test_environment_is_not_inherited(monkeypatch) -> None:
    monkeypatch.setenv("LLM_API_KEY", "sk-secret")
    result = await CommandTool(allow="env").run("env")
    assert "sk-secret" not in result.stdout
    with pytest.raises(CommandFailed, match="exited with 1"):
        await CommandTool(allow="false").run("false", check=True)
