"""Reflex configuration of the SPIO web process (UI + REST API on one port in prod).

Everything comes from ``backend.core.config.get_settings()``; the environment variables
Reflex reads itself (``REFLEX_BUN_PATH``, ``REFLEX_CHECK_LATEST_VERSION`` ...) are set by
``scripts/_bootstrap.sh`` so that nothing here reaches the internet.
"""

from __future__ import annotations

import reflex as rx

from backend.core.config import PROJECT_ROOT, get_settings
from spio_ui.styles import ACCENT

_settings = get_settings()

# bun comes from the npm registry into a project-local tools dir (scripts/_bootstrap.sh);
# Reflex's own installer downloads a script from the internet, which fails offline.
_LOCAL_BUN = PROJECT_ROOT / ".tools" / "node_modules" / ".bin" / "bun"

_extra: dict[str, object] = {}
if _LOCAL_BUN.exists():
    _extra["bun_path"] = _LOCAL_BUN
if _settings.web_workers > 1:
    # Several web workers must share UI state: keep it in Redis (Reflex picks it up
    # from redis_url). One worker keeps it in memory, which is faster.
    _extra["redis_url"] = _settings.redis_url
else:
    _extra["state_manager_mode"] = rx.constants.StateManagerMode.MEMORY

config = rx.Config(
    app_name="spio_ui",
    # Prod serves frontend, Reflex backend and the FastAPI routes on this one port;
    # dev keeps Vite on 3000 and the backend here.
    backend_port=_settings.api_port,
    backend_host=_settings.api_host,
    # Only this app's own origins (PUBLIC_URL, localhost on the port) and CORS_ORIGINS
    # may call the API or open the event socket from a browser: Reflex's default "*"
    # let any page the seller visits mint tokens with their demo or session rights.
    cors_allowed_origins=_settings.app_origins,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color=ACCENT, radius="medium"))],
    disable_plugins=[rx.plugins.SitemapPlugin],
    **_extra,
)
