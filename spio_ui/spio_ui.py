"""The Reflex app: the UI pages, with the REST API (FastAPI) mounted in front of them.

API routes match first; Reflex (pages, its event socket) answers everything else. UI
routes are chosen not to collide with API paths (see ``spio_ui.routes``).
"""

from __future__ import annotations

import reflex as rx

from backend.api.app import create_app
from spio_ui import routes
from spio_ui.pages import dashboard, login

app = rx.App(api_transformer=create_app())
app.add_page(
    dashboard.dashboard_page, route=routes.DASHBOARD, title="SPIO Agent", on_load=dashboard.ON_LOAD
)
app.add_page(
    login.login_page, route=routes.LOGIN, title="SPIO Agent · Login", on_load=login.ON_LOAD
)
