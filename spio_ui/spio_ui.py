"""The Reflex app: the UI pages, with the REST API (FastAPI) mounted in front of them.

API routes match first; Reflex (pages, its event socket) answers everything else. UI
routes are chosen not to collide with API paths (see ``spio_ui.routes``).
"""

from __future__ import annotations

import reflex as rx

from backend.api.app import create_app
from backend.core.orphan import stop_with_parent
from backend.jobs.outages import watch_outages
from spio_ui import routes
from spio_ui.pages import (
    automation,
    campaigns,
    crisis,
    dashboard,
    job_editor,
    jobs,
    login,
    pricing,
    reports,
    run_detail,
    settings,
)
from spio_ui.state import AppState

app = rx.App(api_transformer=create_app())
# A web worker whose server process was killed must not keep serving beside the new one.
app.register_lifespan_task(stop_with_parent)
# Outage alerts even while no scheduler runs (the schedulers watch too; one alert each).
app.register_lifespan_task(watch_outages)

# (component, route, title's i18n key, on_load): the browser tab's title follows the
# reader's language too.
_PAGES = (
    (login.login_page, routes.LOGIN, "login.submit", login.ON_LOAD),
    (dashboard.dashboard_page, routes.DASHBOARD, "nav.dashboard", dashboard.ON_LOAD),
    (automation.automation_page, routes.AUTOMATION, "nav.automation", automation.ON_LOAD),
    (jobs.jobs_page, routes.WORKFLOWS, "nav.workflows", jobs.ON_LOAD),
    (job_editor.job_editor_page, routes.WORKFLOWS + "/[job_id]", "jobs.job",
     job_editor.ON_LOAD),
    (run_detail.run_page, "/executions/[run_id]", "run.title", run_detail.ON_LOAD),
    (settings.settings_page, routes.SETTINGS, "nav.settings", settings.ON_LOAD),
    (crisis.crisis_page, routes.CRISIS, "nav.crisis", crisis.ON_LOAD),
    (campaigns.campaigns_page, routes.CAMPAIGNS, "nav.campaigns", campaigns.ON_LOAD),
    (pricing.pricing_page, routes.PRICING, "nav.pricing", pricing.ON_LOAD),
    (reports.reports_page, routes.REPORTS, "nav.reports", reports.ON_LOAD),
)  # fmt: skip
for component, route, title_key, on_load in _PAGES:
    app.add_page(
        component,
        route=route,
        title="SPIO Agent · " + AppState.tr[title_key],
        on_load=on_load,
    )
