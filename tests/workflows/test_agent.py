"""The agent workflow's loop with a real RunContext, real tools and an LLM over HTTP."""

from __future__ import annotations

import asyncio

import pytest

from backend.core.db import session_scope
from backend.core.errors import NonRetryableError
from backend.jobs import runs as run_service
from backend.jobs import service
from backend.jobs.validation import parse_spec
from backend.worker.context import RunContext
from backend.workflows.agent import workflow as agent
from tests.ai.fake_llm_server import running_fake_llm
from tests.conftest import flush_redis_prefix


@pytest.fixture(scope="module")
def fake():
    with running_fake_llm() as server:
        yield server


def _context(
    settings,
    prompt: str,
    *,
    attempt: int = 1,
    run_id: int | None = None,
    job_id: str = "agent-job",
    **inputs,
) -> RunContext:
    spec = parse_spec(
        {"job_id": job_id, "workflow": "agent", "inputs": {"prompt": prompt, **inputs}}
    ).spec
    if run_id is None:
        with session_scope() as session:
            service.create_job(session=session, parsed=parse_spec(spec.public_dict()), actor="test")
            run_id = service.run_now(session=session, job_id=job_id).id
    return RunContext(
        run_id=run_id,
        job_id=job_id,
        attempt=attempt,
        spec=spec,
        settings=settings,
        scheduled_for=None,
    )


def _drive(ctx: RunContext):
    async def go():
        try:
            result = await agent.run(ctx)
            # In the job's durable state: a flushed Redis keeps it for the next run.
            flush_redis_prefix(ctx.settings.redis_prefix)
            stored = await ctx.tools.state.get("agent:last_price")
            return result, stored
        finally:
            await ctx.aclose()

    return asyncio.run(go())


def test_agent_calls_tools_records_steps_and_replays_on_retry(env, fake):
    settings = env.model_copy(update={"llm_base_url": fake.url, "llm_api_key": "k-agent"})
    ctx = _context(
        settings,
        f"Ambil harga dari {fake.url.removesuffix('/v1')}/data lalu simpan",
        tools=["http", "kv", "metrics"],
    )
    before = fake.calls("agent")
    result, stored = _drive(ctx)
    assert result["status"] == "finished" and result["summary"] == "harga disimpan"
    assert [c["tool"] for c in result["calls"]] == ["http_get", "kv_set", "record_metric"]
    assert stored == 149_000 and fake.calls("agent") == before + 3
    with session_scope() as session:
        steps = run_service.get_run_detail(session=session, run_id=ctx.run_id).steps
    assert [s.name for s in steps] == [
        "agent.0.think",
        "agent.0.0.http_get",
        "agent.1.think",
        "agent.1.0.kv_set",
        "agent.1.1.record_metric",
        "agent.2.think",
    ]
    assert all(s.status == "succeeded" for s in steps)
    # A second attempt of the same run replays every step from its checkpoint: the model
    # is not asked again and no tool acts again.
    again = _context(
        settings,
        ctx.inputs["prompt"],
        attempt=2,
        run_id=ctx.run_id,
        tools=["http", "kv", "metrics"],
    )
    replay, _ = _drive(again)
    assert replay == result and fake.calls("agent") == before + 3


def test_step_budget_and_refused_tools(env, fake):
    settings = env.model_copy(update={"llm_base_url": fake.url, "llm_api_key": "k-agent"})
    looping = _context(settings, "[[loop]] cari terus", job_id="loop", max_steps=3, tools=["kv"])
    result, _ = _drive(looping)
    assert result["status"] == "step_budget_exhausted" and result["turns"] == 3
    refused = _context(settings, "[[forbidden]] bersihkan server", job_id="rm", tools=["command"])
    result, _ = _drive(refused)
    assert result["status"] == "finished" and result["summary"].startswith("refused:")
    assert result["calls"] == [{"turn": 0, "tool": "run_command", "ok": False}]
    no_tool = _context(settings, "[[forbidden]] tanpa izin", job_id="kv-only", tools=["kv"])
    result, _ = _drive(no_tool)
    assert "not allowed" in result["summary"]


def test_agent_without_llm_refuses(env):
    ctx = _context(env.model_copy(update={"llm_base_url": ""}), "apa saja", job_id="no-llm")
    with pytest.raises(NonRetryableError, match="needs an LLM"):
        _drive(ctx)
