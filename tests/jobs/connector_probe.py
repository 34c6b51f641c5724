"""A workflow for tests: reports which WhatsApp endpoint its run's connectors would use
(from the run's task and from a worker thread of it)."""

from __future__ import annotations

import asyncio
from typing import Any


async def run(ctx: Any) -> dict[str, Any]:
    from backend.connectors.runtime import connector_config
    from backend.connectors.whatsapp import WhatsAppConfig
    from backend.tools import default_connectors

    whatsapp = default_connectors(settings=ctx.settings, client=ctx.tools.http.client)["whatsapp"]
    thread_live = await asyncio.to_thread(
        lambda: connector_config("whatsapp", WhatsAppConfig) is not None
    )
    return {"whatsapp_url": whatsapp._url, "thread_sees_live": thread_live}
