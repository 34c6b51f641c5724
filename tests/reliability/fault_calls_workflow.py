"""A test workflow for the fault-injection test: sends ``calls`` WhatsApp messages to
the sandbox through the http tool, each once (ctx.once, its key as Idempotency-Key).

The test runs it in place of the ``sleep`` kind (in its own process only); the http
tool's retries and the run's retry policy are what get it through injected faults."""

from __future__ import annotations

from typing import Any

from backend.sandbox.credentials import credentials_for


async def run(ctx: Any) -> dict[str, Any]:
    wa = credentials_for("whatsapp")
    base = ctx.inputs["sandbox_url"]
    url = f"{base}/{wa['api_version']}/{wa['phone_number_id']}/messages"
    headers = {"Authorization": f"Bearer {wa['access_token']}"}
    sent = 0

    async def send(key: str, to: str) -> dict[str, Any]:
        body = {"messaging_product": "whatsapp", "to": to, "type": "template",
                "template": {"name": "hello_world", "language": {"code": "en_US"}}}
        response = await ctx.tools.http.post(url, json=body, platform="whatsapp",
                                             headers={**headers, "Idempotency-Key": key})
        response.raise_for_status()
        return {"status": response.status_code}

    async def body() -> int:
        nonlocal sent
        for i in range(int(ctx.inputs["calls"])):
            to = f"62{ctx.run_id:06d}{i:04d}"
            await ctx.once(f"fault:{ctx.job_id}:{ctx.run_id}:{i}", lambda k, to=to: send(k, to))
            sent += 1
        return sent

    return {"sent": await ctx.step("send", body)}
