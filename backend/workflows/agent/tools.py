"""The tools the agent workflow may call, as OpenAI function schemas plus their runners.

Each runner gets the RunContext and the call's arguments and returns a JSON-able result.
Side effects (HTTP POST, messages) carry an idempotency key that is the same on every
retry of the run, so a retried agent never posts or sends twice.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from backend.core.errors import NonRetryableError
from backend.workflows.context import WorkflowContext

__all__ = ["TOOL_SCHEMAS", "TOOL_GROUPS", "run_tool", "schemas_for"]


def _fn(name: str, description: str, properties: dict[str, Any], required: list[str]) -> dict:
    return {"type": "function", "function": {
        "name": name, "description": description,
        "parameters": {"type": "object", "properties": properties, "required": required},
    }}  # fmt: skip


_S = {"type": "string"}
TOOL_SCHEMAS: dict[str, dict[str, Any]] = {
    "http_get": _fn("http_get", "GET a URL; returns status and body (first 4000 chars).",
                    {"url": _S}, ["url"]),
    "http_post": _fn("http_post", "POST JSON to a URL (sent once, even on retries).",
                     {"url": _S, "json": {"type": "object"}}, ["url", "json"]),
    "kv_get": _fn("kv_get", "Read a value this job stored earlier.", {"name": _S}, ["name"]),
    "kv_set": _fn("kv_set", "Store a value for later runs of this job.",
                  {"name": _S, "value": {}}, ["name", "value"]),
    "send_message": _fn("send_message", "Send a message (whatsapp, telegram, email or sms).",
                        {"channel": _S, "to": _S, "text": _S}, ["channel", "to", "text"]),
    "record_metric": _fn("record_metric", "Add to a counter shown on the dashboard.",
                         {"name": _S, "value": {"type": "number"}}, ["name"]),
    "save_file": _fn("save_file", "Save a text file as an artifact of this run.",
                     {"name": _S, "content": _S}, ["name", "content"]),
    "run_command": _fn("run_command", "Run an allow-listed program (no shell).",
                       {"program": _S, "args": {"type": "array", "items": _S}}, ["program"]),
    "finish": _fn("finish", "Stop: the task is done. Give a short summary.",
                  {"summary": _S}, ["summary"]),
}  # fmt: skip
TOOL_GROUPS: dict[str, tuple[str, ...]] = {
    "http": ("http_get", "http_post"), "kv": ("kv_get", "kv_set"),
    "messaging": ("send_message",), "metrics": ("record_metric",), "files": ("save_file",),
    "command": ("run_command",),
}  # fmt: skip


def schemas_for(groups: list[str] | None) -> list[dict[str, Any]]:
    """Schemas of the allowed tool groups (all when None), plus ``finish``."""
    names = [n for g in (groups or list(TOOL_GROUPS)) for n in TOOL_GROUPS.get(g, ())]
    return [TOOL_SCHEMAS[n] for n in (*names, "finish")]


async def _http_get(ctx: WorkflowContext, args: dict[str, Any], key: str) -> dict[str, Any]:
    response = await ctx.tools.http.get(str(args["url"]))
    return {"status": response.status_code, "body": response.text[:4000]}


async def _http_post(ctx: WorkflowContext, args: dict[str, Any], key: str) -> dict[str, Any]:
    response = await ctx.tools.http.post(str(args["url"]), json=args.get("json") or {},
                                         headers={"Idempotency-Key": key})  # fmt: skip
    return {"status": response.status_code, "body": response.text[:4000]}


# What the agent stores "for later runs" is the job's durable state (the database): in
# Redis, a restart would have made the next run start from nothing.
_AGENT_STATE = "agent:"


async def _kv_get(ctx: WorkflowContext, args: dict[str, Any], key: str) -> dict[str, Any]:
    name = str(args["name"])
    value = await ctx.tools.state.get(_AGENT_STATE + name[:190])
    if value is None:  # stored by an install from before the state tool kept it
        value = await ctx.tools.kv.get(name)
    return {"value": value}


async def _kv_set(ctx: WorkflowContext, args: dict[str, Any], key: str) -> dict[str, Any]:
    await ctx.tools.state.set(_AGENT_STATE + str(args["name"])[:190], args.get("value"))
    return {"stored": True}


async def _send(ctx: WorkflowContext, args: dict[str, Any], key: str) -> dict[str, Any]:
    delivery = await ctx.tools.messaging.send(str(args["channel"]), str(args["to"]),
                                              str(args["text"]), idempotency_key=key)  # fmt: skip
    return {"status": delivery.status, "provider_id": delivery.provider_id}


async def _metric(ctx: WorkflowContext, args: dict[str, Any], key: str) -> dict[str, Any]:
    await ctx.tools.metrics.inc(f"agent_{args['name']}", float(args.get("value", 1)))
    return {"recorded": True}


async def _save(ctx: WorkflowContext, args: dict[str, Any], key: str) -> dict[str, Any]:
    stored = await ctx.tools.files.save(str(args["name"]), str(args["content"]))
    await ctx.add_artifact(name=str(args["name"]), path=stored.path,
                           content_type=stored.content_type, size=stored.size)  # fmt: skip
    return {"path": stored.path, "size": stored.size}


async def _command(ctx: WorkflowContext, args: dict[str, Any], key: str) -> dict[str, Any]:
    done = await ctx.tools.command.run(str(args["program"]), [str(a) for a in args.get("args", [])])
    return {"exit_code": done.returncode, "stdout": done.stdout[-2000:],
            "stderr": done.stderr[-1000:]}  # fmt: skip


_RUNNERS: dict[str, Callable[[Any, dict[str, Any], str], Awaitable[dict[str, Any]]]] = {
    "http_get": _http_get, "http_post": _http_post, "kv_get": _kv_get, "kv_set": _kv_set,
    "send_message": _send, "record_metric": _metric, "save_file": _save,
    "run_command": _command,
}  # fmt: skip


async def run_tool(
    ctx: WorkflowContext, name: str, args: dict[str, Any], *, key: str
) -> dict[str, Any]:
    """Run one tool call; errors become results the model can read and react to."""
    runner = _RUNNERS.get(name)
    if runner is None:
        return {"error": f"unknown or disallowed tool {name!r}"}
    try:
        return await runner(ctx, args, key)
    except (KeyError, TypeError, ValueError) as exc:
        return {"error": f"bad arguments: {exc}"}
    except NonRetryableError as exc:
        # Refused commands, forbidden addresses, rejected payloads: the model may adapt.
        # Retryable errors propagate, so the run retries and resumes at this step.
        return {"error": f"{type(exc).__name__}: {exc}"}
