"""Campaigns (/campaigns): a campaign run's live funnel per channel (sent -> delivered ->
opened -> clicked -> converted), send rate against the limit, revenue; operators pause,
resume or cancel. Counters come from Redis (the workflow and the tracking webhooks)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go
import reflex as rx

from spio_ui.components.badges import nothing_done_note, status_badge
from spio_ui.components.cards import section, stat_card
from spio_ui.components.chart import chart, empty_figure, grouped_bar_figure
from spio_ui.components.table import data_table
from spio_ui.formatting import format_number, format_percent, format_rupiah
from spio_ui.i18n import word
from spio_ui.mixins import PickedMixin
from spio_ui.state import AppState, LiveMixin
from spio_ui.template import layout, page_header

__all__ = ["CampaignState", "campaigns_page", "funnel_view", "run_badge", "ON_LOAD", "STAGES"]

STAGES = ("sent", "delivered", "opened", "clicked", "converted")


def run_badge(run: Any, *, control: str) -> dict[str, Any]:
    """The badge follows the run: its final state once it ended (``nothing_done`` when it
    sent nothing, with the reason in each language), else the campaign's control
    (running, paused)."""
    from backend.core.outcome import NOTHING_DONE, reason_texts
    from backend.models import FINAL_STATUSES

    idle = run.status in FINAL_STATUSES and run.outcome == NOTHING_DONE
    reasons = reason_texts(run.outcome_reason if idle else None)
    if run.status not in FINAL_STATUSES:
        return {"badge": control if run.status == "running" else run.status, "reasons": reasons}
    return {"badge": NOTHING_DONE if idle else run.status, "reasons": reasons}


def funnel_view(
    stats: dict[str, Any], *, limits: dict[str, float], now: float | None = None,
    lang: str = "id",
) -> dict[str, Any]:
    """Counters -> per-channel funnel rows, the chart, totals and send rates (figures in
    ``lang``'s format)."""
    counters: dict[str, Any] = stats.get("counters") or {}
    meta: dict[str, Any] = stats.get("meta") or {}
    channels = sorted({k.split(":", 1)[1] for k in counters if k.startswith("planned:")})
    started = float(meta.get("started_at") or 0)
    ended = float(meta.get("finished_at") or 0) or (now or time.time())
    minutes = max((ended - started) / 60, 1 / 60) if started else None
    rows = []
    for channel in channels:
        counts = {stage: int(counters.get(f"{stage}:{channel}", 0)) for stage in STAGES}
        sent = counts["sent"]
        rate = sent / minutes if minutes else None
        limit = limits.get(channel)
        rows.append({
            "channel": channel,
            "planned": format_number(counters.get(f"planned:{channel}", 0), lang=lang),
            **{stage: format_number(n, lang=lang) for stage, n in counts.items()},
            "open_rate": format_percent(counts["opened"] / sent if sent else None, lang=lang),
            # Refused at send, or failed later by the platform (a status webhook).
            "failed": format_number(counters.get(f"failed:{channel}", 0), lang=lang),
            "rate": format_number(rate, decimals=1, lang=lang) if rate is not None else "–",
            "limit": format_number(limit, lang=lang) if limit else "–",
            "over_limit": bool(limit and rate and rate > limit * 1.02),
        })  # fmt: skip
    figure = grouped_bar_figure(
        [word(lang, "stage", stage) for stage in STAGES],
        {ch: [int(counters.get(f"{s}:{ch}", 0)) for s in STAGES] for ch in channels},
    ) if channels else empty_figure()  # fmt: skip
    planned, sent = int(counters.get("planned", 0)), int(counters.get("sent", 0))
    return {
        "campaign_name": str(meta.get("name") or stats.get("campaign_id") or ""),
        "control": str(stats.get("control") or "running"),
        "finished": bool(meta.get("finished_at")),
        "planned": format_number(planned, lang=lang),
        "sent": format_number(sent, lang=lang),
        "progress": format_percent(sent / planned if planned else None, lang=lang),
        "converted": format_number(counters.get("converted", 0), lang=lang),
        "revenue": format_rupiah(counters.get("revenue", 0), lang=lang),
        "channels": rows,
        "funnel_fig": figure,
    }


class CampaignState(PickedMixin, LiveMixin, AppState):
    """The campaign runs to choose from and the chosen one's live counters."""

    _live_poll_sec: float | None = 3.0  # tracking webhooks change counters without events

    runs: list[dict[str, str]] = []
    campaign_name: str = ""
    control: str = ""
    badge: str = ""
    reasons: dict[str, str] = {}
    finished: bool = False
    planned: str = "–"
    sent: str = "–"
    progress: str = "–"
    converted: str = "–"
    revenue: str = "–"
    channels: list[dict[str, Any]] = []
    funnel_fig: go.Figure = empty_figure()

    def _query(self) -> Callable[[], dict[str, Any]]:
        run_id = int(self.selected) if self.selected.isdigit() else 0
        lang = self.lang

        def run() -> dict[str, Any]:
            from backend.core.db import session_scope
            from backend.core.errors import NotFound
            from backend.jobs.runs import get_run
            from backend.jobs.service import get_job, spec_of
            from backend.models import FINAL_STATUSES
            from backend.services.campaign_state import channel_rates, stats

            if not run_id:
                return {}
            with session_scope() as session:
                the_run = get_run(session=session, run_id=run_id)
                session.expunge(the_run)
                spec = spec_of(get_job(session=session, job_id=the_run.job_id))
            inputs = spec.inputs.model_dump()
            try:
                counters = stats(run_id)
            except NotFound:  # the run sent nothing (e.g. outside its window)
                name = str((inputs.get("campaign") or {}).get("name") or the_run.job_id)
                badge = run_badge(the_run, control="running")
                return {**funnel_view({}, limits={}, lang=lang), "campaign_name": name, "error": "",
                        "finished": the_run.status in FINAL_STATUSES, **badge}  # fmt: skip
            channels = [
                k.split(":", 1)[1] for k in counters["counters"] if k.startswith("planned:")
            ]
            # The job's limits are per rate window; the page compares sends per minute.
            per_minute = 60 / float(inputs.get("rate_window_sec") or 60)
            limits = {c: v * per_minute for c, v in channel_rates(inputs, channels).items()}
            view = funnel_view(counters, limits=limits, lang=lang)
            badge = run_badge(the_run, control=view["control"])
            finished = view["finished"] or the_run.status in FINAL_STATUSES
            return {**view, **badge, "finished": finished, "error": ""}

        return run

    @rx.event
    def load(self) -> None:
        if not self.role:
            return
        from backend.core.db import session_scope
        from backend.jobs.runs import list_runs

        with session_scope() as session:
            runs, _ = list_runs(session=session, workflow="campaign", limit=20)
            self.runs = [{"id": str(r.id),
                          "label": f"#{r.id} · {r.job_id} · "
                                   f"{word(self.lang, 'status', r.outcome or r.status)}"}
                         for r in runs]  # fmt: skip
        if self.selected not in [r["id"] for r in self.runs]:
            self.selected = self.runs[0]["id"] if self.runs else ""
        self._store(self._query()())

    @rx.event
    def act(self, action: str) -> None:
        """Pause, resume or cancel the chosen campaign (Conflict once cancelled)."""
        from backend.services.campaign_state import control

        self._act_as("operator", lambda: control(int(self.selected), action))

    def _live_apply(self, events: list[dict[str, Any]]) -> bool:
        return any(str(e.get("run_id")) == self.selected for e in events)


def _channel_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(row["channel"], weight="medium")),
        *[rx.table.cell(row[name]) for name in ("planned", *STAGES, "failed", "open_rate")],
        rx.table.cell(rx.badge(row["rate"], " / ", row["limit"],
                               color_scheme=rx.cond(row["over_limit"], "red", "green"),
                               variant="soft")),
        custom_attrs={"data-testid": "channel-row", "data-channel": row["channel"]},
    )  # fmt: skip


def _controls() -> rx.Component:
    tr = CampaignState.tr
    return rx.cond(
        CampaignState.can_operate & ~CampaignState.finished,
        rx.hstack(
            rx.cond(CampaignState.control == "paused",
                    rx.button(tr["campaign.resume"], on_click=CampaignState.act("resume"),
                              custom_attrs={"data-testid": "campaign-resume"}),
                    rx.button(tr["campaign.pause"], on_click=CampaignState.act("pause"),
                              variant="soft", custom_attrs={"data-testid": "campaign-pause"})),
            rx.button(tr["campaign.cancel"], on_click=CampaignState.act("cancel"),
                      color_scheme="red", variant="soft",
                      disabled=CampaignState.control == "cancelled"),
        ),
    )  # fmt: skip


def campaigns_page() -> rx.Component:
    tr = CampaignState.tr
    body = rx.vstack(
        rx.hstack(
            rx.heading(CampaignState.campaign_name, size="4"),
            status_badge(CampaignState.badge),
            rx.spacer(),
            _controls(),
            width="100%",
            align="center",
        ),  # fmt: skip
        rx.cond(CampaignState.badge == "nothing_done",
                nothing_done_note(CampaignState.reasons[CampaignState.lang],
                                  title=tr["run.nothing_done"],
                                  test_id="campaign-nothing-done")),  # fmt: skip
        rx.grid(
            stat_card(
                tr["campaign.sent"],
                CampaignState.sent,
                icon="send",
                hint=CampaignState.progress,
                test_id="stat-sent",
            ),
            stat_card(
                tr["campaign.planned"], CampaignState.planned, icon="users", test_id="stat-planned"
            ),
            stat_card(
                tr["campaign.converted"],
                CampaignState.converted,
                icon="shopping-cart",
                test_id="stat-converted",
            ),
            stat_card(
                tr["campaign.revenue"],
                CampaignState.revenue,
                icon="banknote",
                test_id="stat-revenue",
            ),
            columns=rx.breakpoints(initial="1", sm="2", lg="4"),
            spacing="4",
            width="100%",
        ),  # fmt: skip
        section(tr["campaign.funnel"], chart(CampaignState.funnel_fig, test_id="chart-funnel")),
        data_table(
            [
                tr["campaign.channel"],
                tr["campaign.planned"],
                *[tr["stage." + stage] for stage in STAGES],
                tr["campaign.failed"],
                tr["campaign.open_rate"],
                tr["campaign.rate"],
            ],
            CampaignState.channels,
            _channel_row,
            test_id="channels-table",
        ),  # fmt: skip
        width="100%",
        spacing="4",
    )
    return layout(
        page_header(
            tr["nav.campaigns"],
            rx.cond(
                CampaignState.runs.length() > 0,
                rx.select.root(
                    rx.select.trigger(),
                    rx.select.content(
                        rx.foreach(
                            CampaignState.runs, lambda r: rx.select.item(r["label"], value=r["id"])
                        )
                    ),
                    value=CampaignState.selected,
                    on_change=CampaignState.select,
                ),
            ),
        ),  # fmt: skip
        rx.cond(CampaignState.error != "", rx.callout(CampaignState.error, color_scheme="red")),
        rx.cond(
            CampaignState.campaign_name != "",
            body,
            rx.callout(tr["campaign.none"], color_scheme="gray"),
        ),  # fmt: skip
        live=CampaignState.live,
        reload=CampaignState.load,
    )


ON_LOAD = [AppState.require_login, CampaignState.load, CampaignState.listen_live]
