"""The sandbox server: one aiohttp app playing every platform, plus an SMTP port.

    python -m backend.sandbox          # or: spio sandbox
serves HTTP on settings.sandbox_host:sandbox_port and SMTP on sandbox_smtp_port, with
data generated from settings.sandbox_seed (images cached under data_dir/sandbox/).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from backend.core.config import get_settings
from backend.sandbox import (
    admin,
    ads,
    crm,
    feeds,
    google,
    images,
    inventory,
    lazada,
    market,
    meta_shop,
    order_push,
    pim,
    retail,
    shopee,
    sms,
    social,
    social_replies,
    telegram,
    tiktok_auth,
    tiktok_shop,
    tracking,
    whatsapp,
    whatsapp_status,
)
from backend.sandbox.data.catalog import set_catalog_size
from backend.sandbox.mail import start_smtp
from backend.sandbox.platform import DATA_DIR_KEY, STATE_KEY
from backend.sandbox.state import SandboxState

__all__ = ["create_app", "serve", "Serving", "main", "DATA_DIR_KEY"]

log = logging.getLogger(__name__)

# Route modules, one per platform family; each exposes register(app).
_MODULES = (
    admin,
    whatsapp,
    telegram,
    sms,
    shopee,
    tiktok_shop,
    tiktok_auth,  # the auth host: token refresh
    lazada,
    retail,
    feeds,
    google,
    meta_shop,
    market,
    ads,
    crm,
    social,
    images,
    inventory,
    pim,  # the shop's product database and dated FX rates
    social_replies,
    whatsapp_status,  # WhatsApp's status webhooks (Meta's shape)
    order_push,  # marketplace order pushes (Shopee push, TikTok Shop webhooks)
)


def create_app(
    *, seed: int, state: SandboxState | None = None, data_dir: Path | None = None
) -> web.Application:
    """The sandbox as an aiohttp application (no sockets opened until served)."""
    app = web.Application(client_max_size=64 * 1024 * 1024)
    app[STATE_KEY] = state if state is not None else SandboxState(seed=seed)
    app[DATA_DIR_KEY] = data_dir if data_dir is not None else get_settings().data_dir / "sandbox"
    for module in _MODULES:
        module.register(app)
    tracking.setup(app)
    return app


@dataclass(slots=True)
class Serving:
    """A started sandbox: its runner, SMTP server and the ports actually bound."""

    runner: web.AppRunner
    smtp: asyncio.Server | None
    port: int
    smtp_port: int | None

    async def close(self) -> None:
        if self.smtp is not None:
            self.smtp.close()
            await self.smtp.wait_closed()
        await self.runner.cleanup()


async def serve(app: web.Application, *, host: str, port: int, smtp_port: int | None) -> Serving:
    """Bind HTTP (and SMTP unless ``smtp_port`` is None); port 0 picks a free port."""
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, host, port, backlog=2048, reuse_address=True)
    await site.start()
    bound = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    smtp = None
    smtp_bound = None
    if smtp_port is not None:
        smtp = await start_smtp(app, host=host, port=smtp_port)
        smtp_bound = smtp.sockets[0].getsockname()[1]
    return Serving(runner=runner, smtp=smtp, port=bound, smtp_port=smtp_bound)


def default_webhooks() -> dict[str, str]:
    """Where the served sandbox sends events, as a seller would configure the platforms:
    the app's own webhook routes at ``public_url``. (Tests' sandboxes send nowhere until
    told, through ``/_admin/webhook`` and ``/_admin/webhooks``.)"""
    base = get_settings().public_url.rstrip("/")
    return {"tracking": f"{base}/webhooks/tracking", "whatsapp": f"{base}/webhooks/whatsapp",
            "shopee": f"{base}/webhooks/shopee", "tiktok_shop": f"{base}/webhooks/tiktok_shop"}


async def _run_forever() -> None:
    settings = get_settings()
    set_catalog_size(settings.sandbox_products)
    state = SandboxState(seed=settings.sandbox_seed, webhooks=default_webhooks())
    state.tracking_speed = settings.sandbox_tracking_speed
    app = create_app(seed=settings.sandbox_seed, state=state)
    serving = await serve(
        app,
        host=settings.sandbox_host,
        port=settings.sandbox_port,
        smtp_port=settings.sandbox_smtp_port,
    )
    log.info(
        "sandbox on http://%s:%s (smtp %s), seed %s",
        settings.sandbox_host,
        serving.port,
        serving.smtp_port,
        settings.sandbox_seed,
    )
    try:
        await asyncio.Event().wait()
    finally:
        await serving.close()


def main() -> None:
    """Serve the sandbox until interrupted (``spio sandbox``, ``python -m backend.sandbox``)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    try:
        asyncio.run(_run_forever())
    except KeyboardInterrupt:
        pass
