"""The Reflex app: the UI pages, with the REST API (FastAPI) mounted in front of them.

API routes match first; Reflex (pages, its event socket) answers everything else. UI
routes are chosen not to collide with API paths (see ``spio_ui.routes``).
"""

from __future__ import annotations

import reflex as rx

from backend.api.app import create_app
from spio_ui import routes
from spio_ui.pages import automation, dashboard, jobs, login, run_detail
from spio_ui.pages.placeholder import placeholder_page
from spio_ui.state import AppState

app = rx.App(api_transformer=create_app())

app.add_page(
    login.login_page, route=routes.LOGIN, title="SPIO Agent · Login", on_load=login.ON_LOAD
)
app.add_page(
    dashboard.dashboard_page, route=routes.DASHBOARD, title="SPIO Agent", on_load=dashboard.ON_LOAD
)
app.add_page(
    automation.automation_page,
    route=routes.AUTOMATION,
    title="SPIO Agent · Otomasi",
    on_load=automation.ON_LOAD,
)
app.add_page(
    jobs.jobs_page, route=routes.WORKFLOWS, title="SPIO Agent · Alur kerja", on_load=jobs.ON_LOAD
)
app.add_page(
    run_detail.run_page,
    route="/executions/[run_id]",
    title="SPIO Agent · Run",
    on_load=run_detail.ON_LOAD,
)
for route, key in (
    (routes.CAMPAIGNS, "nav.campaigns"),
    (routes.CRISIS, "nav.crisis"),
    (routes.PRICING, "nav.pricing"),
    (routes.REPORTS, "nav.reports"),
    (routes.SETTINGS, "nav.settings"),
):
    app.add_page(placeholder_page(key), route=route, title=f"SPIO Agent · {key[4:]}",
                 on_load=AppState.require_login)  # fmt: skip
