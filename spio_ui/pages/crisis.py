"""Crisis dashboard (/crisis): per crisis-monitor job, the green/yellow/red indicator,
sentiment and mention volume over time, top negative posts with their scores, incidents
and auto-response counts. Each finished tick (a run of the job) refreshes it live."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import plotly.graph_objects as go
import reflex as rx

from spio_ui.components.badges import status_badge, traffic_light
from spio_ui.components.cards import section, stat_card
from spio_ui.components.chart import chart, empty_figure, line_figure
from spio_ui.formatting import format_datetime, format_number, format_percent
from spio_ui.i18n import translations
from spio_ui.mixins import PickedMixin
from spio_ui.state import AppState, LiveMixin
from spio_ui.template import layout, page_header

__all__ = ["CrisisState", "crisis_page", "crisis_view", "ON_LOAD"]

_SERIES_SHOWN = 240  # the last two hours of 30-second ticks
_JAKARTA = ZoneInfo("Asia/Jakarta")


def _moment(ts: float | None) -> str:
    return format_datetime(datetime.fromtimestamp(ts, UTC)) if ts else "–"


def crisis_view(dash: dict[str, Any], *, lang: str = "id") -> dict[str, Any]:
    """The backend's crisis dashboard as the figures and rows this page shows."""
    words = translations(lang)
    series = list(dash.get("series") or [])[-_SERIES_SHOWN:]
    # Naive Jakarta wall-clock times: Plotly shows datetimes as given.
    times = [datetime.fromtimestamp(t["at"], _JAKARTA).replace(tzinfo=None) for t in series]
    last = series[-1] if series else {}
    incident = dash.get("open_incident") or None
    return {
        "level": dash.get("status") or "green",
        "mentions": format_number(last.get("mentions"), lang=lang),
        "negative_share": format_percent(last.get("negative_share"), lang=lang),
        "mean_score": format_number(last.get("mean_score"), decimals=2, lang=lang),
        "ticks": len(series),
        "sentiment_fig": line_figure(
            times, {words["crisis.series_sentiment"]: [t.get("mean_score") for t in series]},
            y_range=(0, 1)) if series else empty_figure(),
        "volume_fig": line_figure(
            times, {words["crisis.series_mentions"]: [t.get("mentions", 0) for t in series],
                    words["crisis.series_negative"]: [t.get("negative", 0) for t in series]})
        if series else empty_figure(),
        "top_posts": [
            {"id": str(p.get("id", "")), "platform": str(p.get("platform", "")),
             "author": str(p.get("author") or ""), "text": str(p.get("text", ""))[:280],
             "score": format_number(p.get("score"), decimals=2, lang=lang),
             "shares": format_number(p.get("shares"), lang=lang), "url": str(p.get("url") or "")}
            for p in (dash.get("top_negative") or [])[:10]
        ],
        "responses": [{"kind": words.get("response." + k, k), "count": format_number(v, lang=lang)}
                      for k, v in sorted((dash.get("responses") or {}).items())],
        "open_incident": str(incident["id"]) if incident else "",
        "open_since": _moment(incident.get("opened_at")) if incident else "",
    }  # fmt: skip


class CrisisState(PickedMixin, LiveMixin, AppState):
    """The chosen crisis-monitor job's dashboard and its incidents."""

    jobs: list[str] = []
    level: str = "green"
    mentions: str = "–"
    negative_share: str = "–"
    mean_score: str = "–"
    ticks: int = 0
    sentiment_fig: go.Figure = empty_figure()
    volume_fig: go.Figure = empty_figure()
    top_posts: list[dict[str, str]] = []
    responses: list[dict[str, str]] = []
    open_incident: str = ""
    open_since: str = ""
    incidents: list[dict[str, str]] = []

    def _query(self) -> Callable[[], dict[str, Any]]:
        job_id, lang = self.selected, self.lang

        def run() -> dict[str, Any]:
            from backend.services.crisis_dashboard import dashboard
            from backend.services.crisis_incidents import list_incidents

            if not job_id:
                return {}
            view = crisis_view(dashboard(job_id), lang=lang)
            view["incidents"] = [
                {"id": i["id"], "status": i["status"], "opened": _moment(i.get("opened_at")),
                 "closed": _moment(i.get("closed_at")), "ticks": str(i.get("ticks", 0)),
                 "peak": format_number((i.get("peak") or {}).get("mentions"), lang=lang)}
                for i in list_incidents(job_id=job_id)[:20]
            ]  # fmt: skip
            return view

        return run

    @rx.event
    def load(self) -> None:
        if not self.role:
            return
        from backend.core.db import session_scope
        from backend.jobs.service import list_jobs

        with session_scope() as session:
            jobs, _ = list_jobs(session=session, workflow="crisis_monitor", limit=100)
            self.jobs = [job.job_id for job in jobs]
        if self.selected not in self.jobs:
            self.selected = self.jobs[0] if self.jobs else ""
        self._store(self._query()())

    @rx.event
    def close_incident(self, incident_id: str) -> None:
        """Close an open incident (Conflict when it was closed meanwhile)."""
        from backend.services.crisis_incidents import close_incident

        self._act_as("operator", lambda: close_incident(incident_id, actor=self.user_name))

    def _live_apply(self, events: list[dict[str, Any]]) -> bool:
        # A tick is a run of the job: its end (or its commit step) changes the dashboard.
        return any(
            e.get("job_id") == self.selected and e.get("type") in ("run.updated", "step.updated")
            for e in events
        )


def _post(row: rx.Var) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.badge(row["platform"], variant="outline"),
            rx.text("@", row["author"], size="1", color_scheme="gray",
                    custom_attrs={"data-user-content": "true"}),
            rx.spacer(),
            rx.badge(CrisisState.tr["crisis.score"], " ", row["score"], color_scheme="red"),
            rx.badge("↻ ", row["shares"], color_scheme="gray"),
            width="100%",
            align="center",
            wrap="wrap",
        ),
        # What people wrote, in their own language (the language check skips it).
        rx.text(row["text"], size="2", margin_top="0.25rem",
                custom_attrs={"data-user-content": "true"}),
        padding_y="0.5rem",
        border_bottom="1px solid var(--gray-a3)",
        custom_attrs={"data-testid": "negative-post"},
    )


def _incident(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(status_badge(row["status"].to(str))),
        rx.table.cell(row["opened"]),
        rx.table.cell(row["closed"]),
        rx.table.cell(row["ticks"]),
        rx.table.cell(row["peak"]),
        rx.table.cell(rx.cond(
            CrisisState.can_operate & (row["status"] == "open"),
            rx.button(CrisisState.tr["crisis.close"], size="1", variant="soft",
                      on_click=CrisisState.close_incident(row["id"].to(str)),
                      custom_attrs={"data-testid": "incident-close"}),
        )),
        custom_attrs={"data-testid": "incident", "data-status": row["status"]},
    )  # fmt: skip


def _dashboard() -> rx.Component:
    tr = CrisisState.tr
    level_label = rx.match(CrisisState.level, ("red", tr["crisis.red"]),
                           ("yellow", tr["crisis.yellow"]), tr["crisis.green"])  # fmt: skip
    return rx.vstack(
        rx.grid(
            rx.box(
                rx.text(tr["crisis.indicator"], size="2", color_scheme="gray"),
                rx.box(traffic_light(CrisisState.level, label=level_label), padding_y="0.6rem"),
                rx.cond(
                    CrisisState.open_incident != "",
                    rx.text(
                        tr["crisis.open_since"],
                        " ",
                        CrisisState.open_since,
                        size="1",
                        color_scheme="red",
                    ),
                ),  # fmt: skip
                style={
                    "padding": "1rem",
                    "border": "1px solid var(--gray-a5)",
                    "border_radius": "var(--radius-3)",
                },
            ),  # fmt: skip
            stat_card(
                tr["crisis.mentions"],
                CrisisState.mentions,
                icon="message-circle",
                test_id="stat-mentions",
            ),
            stat_card(
                tr["crisis.negative_share"],
                CrisisState.negative_share,
                icon="thumbs-down",
                test_id="stat-negative",
            ),
            stat_card(
                tr["crisis.mean_score"], CrisisState.mean_score, icon="gauge", test_id="stat-score"
            ),
            columns=rx.breakpoints(initial="1", sm="2", lg="4"),
            spacing="4",
            width="100%",
        ),  # fmt: skip
        rx.grid(
            section(
                tr["crisis.sentiment"], chart(CrisisState.sentiment_fig, test_id="chart-sentiment")
            ),
            section(tr["crisis.volume"], chart(CrisisState.volume_fig, test_id="chart-volume")),
            columns=rx.breakpoints(initial="1", lg="2"),
            spacing="4",
            width="100%",
        ),  # fmt: skip
        rx.grid(
            section(
                tr["crisis.top_negative"],
                rx.cond(
                    CrisisState.top_posts.length() > 0,
                    rx.foreach(CrisisState.top_posts, _post),
                    rx.text("–", color_scheme="gray"),
                ),
            ),
            rx.vstack(
                section(
                    tr["crisis.incidents"],
                    rx.table.root(
                        rx.table.body(rx.foreach(CrisisState.incidents, _incident)),
                        size="1",
                        width="100%",
                    ),
                ),
                section(
                    tr["crisis.responses"],
                    rx.foreach(
                        CrisisState.responses,
                        lambda r: rx.hstack(
                            rx.text(r["kind"], size="2"),
                            rx.spacer(),
                            rx.text(r["count"], size="2", weight="bold"),
                            width="100%",
                        ),
                    ),
                ),
                width="100%",
                spacing="4",
            ),
            columns=rx.breakpoints(initial="1", lg="2"),
            spacing="4",
            width="100%",
        ),  # fmt: skip
        width="100%",
        spacing="4",
    )


def crisis_page() -> rx.Component:
    tr = CrisisState.tr
    return layout(
        page_header(
            tr["nav.crisis"],
            rx.cond(
                CrisisState.jobs.length() > 1,
                rx.select(
                    CrisisState.jobs, value=CrisisState.selected, on_change=CrisisState.select
                ),
            ),  # fmt: skip
        ),
        rx.cond(CrisisState.error != "", rx.callout(CrisisState.error, color_scheme="red")),
        rx.cond(
            CrisisState.selected != "",
            _dashboard(),
            rx.callout(tr["crisis.no_job"], color_scheme="gray"),
        ),  # fmt: skip
        live=CrisisState.live,
        reload=CrisisState.load,
    )


ON_LOAD = [AppState.require_login, CrisisState.load, CrisisState.listen_live]
