"""A local OpenAI-compatible server with deterministic answers, for testing the LLM paths.

Real HTTP on loopback (aiohttp in a background thread) serving POST /v1/chat/completions.
The task is read from the system message ("TASK: plan_job", ...); markers in the user
message choose failure modes:
  [[invalid]]       every answer is invalid (not JSON, then JSON failing validation)
  [[invalid-once]]  the first answer is invalid, the retry is valid
  [[past-once]]     the first plan is sent at a moment already past (valid JSON and cron)
  [[down]]          HTTP 500
  [[no-json-mode]]  HTTP 400 when the request asks for response_format (older servers)
  [[no-json-schema]] HTTP 400 when it asks for a json_schema response (JSON mode works)
"TASK: plan_job" answers with the offline reader's Reading (see _plan).
"TASK: agent" gets scripted tool calls (see _agent); GET /data is a tiny JSON API for it.
Every request is recorded (path, headers, body) so tests can count calls and check auth.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass(eq=False)
class FakeLLM:
    """Handle on a running server."""

    url: str = ""
    requests: list[dict[str, Any]] = field(default_factory=list)

    def calls(self, task: str) -> int:
        return sum(1 for r in self.requests if f"TASK: {task}" in r["system"])


FAKE_KEY = web.AppKey("fake", FakeLLM)


def _plan(user: dict[str, Any], attempt: int, marker: str) -> str:
    """A Reading of the request, as a model would give it: here the offline reader's
    (so scoring the evaluation through this server measures the LLM path's plumbing —
    schema request, validation, retry, shared defaults — not a model's understanding)."""
    from datetime import datetime

    from backend.ai.planner_read import read_prompt

    request = user["request"].replace("[[invalid-once]]", "").replace("[[invalid]]", "")
    for name in ("no-json-mode", "no-json-schema", "past-once"):
        request = request.replace(f"[[{name}]]", "")
    if marker == "invalid" and attempt == 1:
        return "Sure! Here is your job: {not json"
    reading = read_prompt(request.strip(), now=datetime.fromisoformat(user["now"]))
    data = reading.model_dump(mode="json")
    if marker == "invalid" or (marker == "invalid-once" and attempt == 1):
        # Well-formed JSON whose schedule cannot be valid: job validation must catch it.
        data["schedule"] = {"cron": "0 25 * * *", "exact": True}
    if marker == "past-once" and attempt == 1:
        # A valid schedule that can never run: the runnable check must catch it.
        data["schedule"] = {"at": "2020-01-01T09:00", "exact": True}
    return json.dumps(data)


def _sentiment(user: dict[str, Any], attempt: int, marker: str) -> str:
    texts = user["texts"]
    if marker == "invalid" or (marker == "invalid-once" and attempt == 1):
        return json.dumps({"results": [{"i": 0, "label": "great"}]})
    results = []
    for i, text in enumerate(texts):
        low = text.lower()
        topic = None
        if re.search(r"buruk|jelek|bad|kecewa|rusak", low):
            label, score, intent = "negative", 0.08, "complaint"
            shipping = re.search(r"kirim|pengiriman|kurir|paket", low)
            topic = "delivery" if shipping else "product_quality"
            if marker == "no-topic":
                topic = None  # an invalid answer: a negative post without its topic
        elif re.search(r"bagus|good|mantap|love", low):
            label, score, intent = "positive", 0.93, "praise"
        else:
            label, score, intent = "neutral", 0.5, "question" if "?" in text else "other"
        emotions = {
            "anger": 0.7 if label == "negative" else 0.0,
            "sadness": 0.2,
            "joy": 0.8 if label == "positive" else 0.0,
            "surprise": 0.0,
        }
        results.append(
            {"i": i, "label": label, "score": score, "emotions": emotions, "intent": intent,
             "topic": topic}
        )  # fmt: skip
    return json.dumps({"results": results})


def _echo_task(user: dict[str, Any], attempt: int, marker: str, task: str) -> str:
    if marker == "invalid" or (marker == "invalid-once" and attempt == 1):
        return json.dumps({"unexpected": True})
    if task == "copy_message":
        name = user.get("customer", {}).get("name", "Kak")
        return json.dumps(
            {
                "text": f"Halo {name}! Promo spesial menantimu, pakai kode "
                f"{user.get('discount_code')} sebelum habis!"
            }
        )
    if task == "copy_product":
        return json.dumps(
            {
                "title": "Sepatu Lari Ringan Pria - Original",
                "description": "Sepatu lari ringan dan nyaman untuk harian.",
                "tags": ["sepatu lari", "sepatu pria", "running"],
            }
        )
    if task == "pricing_advice":
        return json.dumps(
            {
                "action": "lower",
                "recommended_price": user["floor_price"],
                "reasons": ["LLM: competitor is cheaper; hold the margin floor"],
            }
        )
    if task == "bi_insights":
        return json.dumps(
            {
                "anomalies": ["LLM: sales dropped"],
                "trends": ["LLM: ads up"],
                "recommendations": ["LLM: move budget to TikTok ads"],
            }
        )
    return json.dumps({})


def _agent(messages: list[dict[str, Any]]) -> dict[str, Any]:
    """A scripted agent: fetch the URL in the prompt, store the price, count, finish."""
    prompt = messages[1]["content"]
    results = [json.loads(m["content"]) for m in messages if m["role"] == "tool"]

    def call(tool: str, **args: Any) -> dict[str, Any]:
        return {
            "id": f"call_{len(results)}_{tool}",
            "type": "function",
            "function": {"name": tool, "arguments": json.dumps(args)},
        }

    if "[[loop]]" in prompt:
        calls = [call("kv_get", name="nothing")]
    elif "[[forbidden]]" in prompt:
        calls = (
            [call("run_command", program="rm", args=["-rf", "/"])]
            if not results
            else [call("finish", summary=f"refused: {results[0].get('error', '')[:60]}")]
        )
    elif not results:
        calls = [call("http_get", url=re.search(r"http://\S+", prompt).group(0))]
    elif len(results) == 1:
        price = json.loads(results[0]["body"])["price"]
        calls = [
            call("kv_set", name="last_price", value=price),
            call("record_metric", name="price_checks", value=1),
        ]
    else:
        calls = [call("finish", summary="harga disimpan")]
    return {"role": "assistant", "content": None, "tool_calls": calls}


async def _data(request: web.Request) -> web.Response:
    return web.json_response({"sku": "PROD001", "price": 149_000})


async def _handle(request: web.Request) -> web.Response:
    fake = request.app[FAKE_KEY]
    body = await request.json()
    messages = body["messages"]
    system = messages[0]["content"]
    user_text = messages[1]["content"]
    fake.requests.append(
        {"path": request.path, "headers": dict(request.headers), "body": body, "system": system}
    )
    task = re.search(r"TASK: (\w+)", system)
    task_name = task.group(1) if task else ""
    markers = ("invalid-once", "invalid", "down", "past-once", "no-topic")
    marker = next((m for m in markers if f"[[{m}]]" in user_text), "")
    if marker == "down":
        return web.json_response({"error": {"message": "overloaded"}}, status=500)
    if "[[no-json-mode]]" in user_text and "response_format" in body:
        return web.json_response(
            {"error": {"message": "response_format is not supported by this server"}},
            status=400,
        )
    wants = (body.get("response_format") or {}).get("type")
    if "[[no-json-schema]]" in user_text and wants == "json_schema":
        return web.json_response(
            {"error": {"message": "response_format json_schema is not supported"}}, status=400
        )
    if task_name == "agent":
        message = _agent(messages)
        return web.json_response(
            {
                "id": f"chatcmpl-{len(fake.requests)}",
                "object": "chat.completion",
                "created": 0,
                "model": body.get("model", "fake"),
                "choices": [{"index": 0, "finish_reason": "tool_calls", "message": message}],
            }
        )
    attempt = 1 + sum(1 for m in messages if m["role"] == "assistant")
    user = json.loads(user_text)
    if task_name == "plan_job":
        content = _plan(user, attempt, marker)
    elif task_name == "sentiment":
        content = _sentiment(user, attempt, marker)
    else:
        content = _echo_task(user, attempt, marker, task_name)
    return web.json_response(
        {
            "id": f"chatcmpl-{len(fake.requests)}",
            "object": "chat.completion",
            "created": 0,
            "model": body.get("model", "fake"),
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "message": {"role": "assistant", "content": content},
                }
            ],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }
    )


@contextmanager
def running_fake_llm() -> Iterator[FakeLLM]:
    """Start the server on a free loopback port; stop it on exit."""
    fake = FakeLLM()
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    state: dict[str, Any] = {}

    async def start() -> None:
        app = web.Application()
        app[FAKE_KEY] = fake
        app.router.add_post("/v1/chat/completions", _handle)
        app.router.add_get("/data", _data)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        fake.url = f"http://127.0.0.1:{port}/v1"
        state["runner"] = runner

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=run, name="fake-llm", daemon=True)
    thread.start()
    ready.wait(10)
    try:
        yield fake
    finally:
        asyncio.run_coroutine_threadsafe(state["runner"].cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
