"""The agent workflow: an LLM tool-calling loop for prompts no built-in workflow fits.

Each model turn is a run step (``agent.<n>.think``) whose checkpoint is the model's answer,
and each tool call is a run step of its own (``agent.<n>.<k>.<tool>``). A retried run
replays finished steps from their checkpoints instead of asking the model again, so the
conversation, and every side effect in it, happens once; side effects also carry an
idempotency key derived from the run and step. Rate limits are the tools' own (shared
across workers). The loop stops at ``finish``, at a turn without tool calls, or at the
step budget (``inputs.max_steps``).
"""

from __future__ import annotations

import asyncio
import functools
import json
from typing import Any

from backend.ai.llm import LLMError, make_llm_client
from backend.core.errors import NonRetryableError, RetryableError
from backend.core.messages import message
from backend.workflows.agent.tools import run_tool, schemas_for
from backend.workflows.context import WorkflowContext

__all__ = ["run", "DEFAULT_MAX_STEPS", "MAX_STEPS", "MAX_CALLS_PER_TURN"]

DEFAULT_MAX_STEPS = 10
MAX_STEPS = 30
MAX_CALLS_PER_TURN = 5

SYSTEM_PROMPT = (
    "TASK: agent\n"
    "You carry out one job for an Indonesian online seller using the tools given. Work in "
    "small steps, read tool results before acting, never repeat a side effect, and call "
    "`finish` with a short summary (in the job's language) when done. Budget: {steps} turns."
)


def _arguments(raw: str) -> dict[str, Any]:
    try:
        value = json.loads(raw or "{}")
    except json.JSONDecodeError:
        return {"__invalid__": raw[:200]}
    return value if isinstance(value, dict) else {"__invalid__": raw[:200]}


async def _think(client: Any, history: list[dict[str, Any]], tools: list[dict[str, Any]]
                 ) -> dict[str, Any]:  # fmt: skip
    try:
        return await asyncio.to_thread(client.chat_tools, messages=history, tools=tools)
    except LLMError as exc:
        raise RetryableError(f"LLM: {exc}") from None


async def _act(
    ctx: WorkflowContext, name: str, args: dict[str, Any], key: str, allowed: bool
) -> Any:
    if not allowed or "__invalid__" in args:
        return {"error": f"tool {name!r} is not allowed or its arguments are not a JSON object"}
    return await run_tool(ctx, name, args, key=key)


async def run(ctx: WorkflowContext) -> dict[str, Any]:
    """Drive the loop for ``ctx.inputs.prompt``; returns the summary and the calls made."""
    client = make_llm_client(ctx.settings)
    if client is None:
        raise NonRetryableError("the agent workflow needs an LLM: set LLM_BASE_URL and "
                                "LLM_API_KEY")  # fmt: skip
    prompt = str(ctx.inputs.get("prompt") or "").strip()
    if not prompt:
        raise NonRetryableError("the agent workflow needs inputs.prompt")
    budget = max(1, min(int(ctx.inputs.get("max_steps") or DEFAULT_MAX_STEPS), MAX_STEPS))
    tools = schemas_for(ctx.inputs.get("tools"))
    allowed = {t["function"]["name"] for t in tools}
    messages: list[dict[str, Any]] = [
        {"role": "system", "content": SYSTEM_PROMPT.format(steps=budget)},
        {"role": "user", "content": prompt},
    ]
    calls: list[dict[str, Any]] = []
    for turn in range(budget):
        await ctx.progress(turn, budget, message("progress.agent_turn", turn=turn + 1,
                                                         budget=budget))
        think = functools.partial(_think, client, list(messages), tools)
        answer = await ctx.step(f"agent.{turn}.think", think)
        messages.append(answer)
        tool_calls = (answer.get("tool_calls") or [])[:MAX_CALLS_PER_TURN]
        if not tool_calls:
            return {"status": "finished", "summary": answer.get("content") or "", "turns":
                    turn + 1, "calls": calls}  # fmt: skip
        for index, call in enumerate(tool_calls):
            name = call["function"]["name"]
            args = _arguments(call["function"].get("arguments", "{}"))
            if name == "finish":
                summary = str(args.get("summary", ""))
                ctx.log(message("log.agent_finished", summary=summary[:200]))
                return {"status": "finished", "summary": summary, "turns": turn + 1,
                        "calls": calls}  # fmt: skip
            key = f"agent:{ctx.job_id}:{ctx.run_id}:{turn}:{index}"
            act = functools.partial(_act, ctx, name, args, key, name in allowed)
            result = await ctx.step(f"agent.{turn}.{index}.{name}", act)
            calls.append({"turn": turn, "tool": name, "ok": "error" not in (result or {})})
            messages.append({"role": "tool", "tool_call_id": call["id"],
                             "content": json.dumps(result, default=str)[:8000]})  # fmt: skip
    ctx.log(message("log.agent_budget", budget=budget), level="warning")
    return {"status": "step_budget_exhausted", "summary": "", "turns": budget, "calls": calls}
