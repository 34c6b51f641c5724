"""UI routes. They must not collide with the REST API, which shares the port in prod
(the API owns /jobs, /runs, /planner, /artifacts, /webhooks, /hooks, /events, /tokens, /users,
/connectors, /auth, /health, /metrics, /docs, /redoc, /openapi.json, /favicon.ico)."""

from __future__ import annotations

__all__ = [
    "DASHBOARD",
    "LOGIN",
    "AUTOMATION",
    "WORKFLOWS",
    "CAMPAIGNS",
    "CRISIS",
    "PRICING",
    "REPORTS",
    "SETTINGS",
    "NAV",
    "job_path",
    "run_path",
    "API_PREFIXES",
]

DASHBOARD = "/"
LOGIN = "/login"
AUTOMATION = "/automation"
WORKFLOWS = "/workflows"
CAMPAIGNS = "/campaigns"
CRISIS = "/crisis"
PRICING = "/pricing"
REPORTS = "/reports"
SETTINGS = "/settings"

API_PREFIXES = (
    "/jobs",
    "/runs",
    "/planner",
    "/artifacts",
    "/webhooks",
    "/hooks",
    "/events",
    "/tokens",
    "/users",
    "/connectors",
    "/auth",
    "/health",
    "/metrics",
    "/docs",
    "/redoc",
    "/openapi.json",
    "/favicon.ico",
)

# Sidebar: (route, i18n key, lucide icon)
NAV: tuple[tuple[str, str, str], ...] = (
    (DASHBOARD, "nav.dashboard", "layout-dashboard"),
    (AUTOMATION, "nav.automation", "wand-sparkles"),
    (WORKFLOWS, "nav.workflows", "workflow"),
    (CAMPAIGNS, "nav.campaigns", "megaphone"),
    (CRISIS, "nav.crisis", "siren"),
    (PRICING, "nav.pricing", "tags"),
    (REPORTS, "nav.reports", "file-chart-column"),
    (SETTINGS, "nav.settings", "settings"),
)


def job_path(job_id: str) -> str:
    return f"{WORKFLOWS}/{job_id}"


def run_path(run_id: int | str) -> str:
    return f"/executions/{run_id}"
