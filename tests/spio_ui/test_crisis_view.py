"""The crisis dashboard's figures from the monitor's ticks."""

from __future__ import annotations

from spio_ui.pages.crisis import crisis_view


def test_last_tick_figures_and_series() -> None:
    series = [
        {
            "at": 1_764_000_000 + 30 * n,
            "mentions": 100 + n,
            "negative": 5,
            "negative_share": 0.05,
            "mean_score": 0.6,
            "status": "green",
        }
        for n in range(3)
    ]
    series.append(
        {
            "at": 1_764_000_090,
            "mentions": 1_250,
            "negative": 1_000,
            "negative_share": 0.8,
            "mean_score": 0.1,
            "status": "red",
        }
    )
    view = crisis_view(
        {
            "status": "red",
            "series": series,
            "top_negative": [
                {
                    "id": "p1",
                    "platform": "tiktok",
                    "author": "a",
                    "text": "x" * 400,
                    "score": 0.031,
                    "shares": 4_100,
                }
            ],
            "responses": {"auto_reply": 12},
            "open_incident": {"id": "job:1", "opened_at": 1_764_000_090},
        }
    )
    assert view["level"] == "red"
    assert (view["mentions"], view["negative_share"], view["mean_score"]) == (
        "1.250",
        "80,0 %",
        "0,10",
    )
    assert view["ticks"] == 4
    assert view["top_posts"][0]["score"] == "0,03" and len(view["top_posts"][0]["text"]) == 280
    assert view["top_posts"][0]["shares"] == "4.100"
    assert view["responses"] == [{"kind": "Balasan otomatis", "count": "12"}]
    assert view["open_incident"] == "job:1" and view["open_since"].endswith("WIB")
    # Jakarta wall clock on the chart's axis (UTC+7).
    assert view["volume_fig"].data[0].x[-1].hour == (1_764_000_090 // 3600 + 7) % 24


def test_no_ticks_yet() -> None:
    view = crisis_view({"status": "green", "series": [], "top_negative": [], "responses": {}})
    assert view["level"] == "green" and view["mentions"] == "–" and view["open_incident"] == ""


def test_the_page_reads_ticks_and_incidents_from_the_database(env) -> None:
    from types import SimpleNamespace

    from backend.services import crisis_dashboard, crisis_incidents
    from spio_ui.pages.crisis import CrisisState

    tick = {"mentions": 500, "negative": 450, "negative_share": 0.9, "mean_score": 0.1,
            "status": "red", "alerts": 1, "topics": []}  # fmt: skip
    crisis_incidents.open_or_update(job_id="cm", run_id=1, figures=tick, crisis=True,
                                    calm_to_close=2)  # fmt: skip
    crisis_dashboard.record_tick(job_id="cm", at=1_764_000_000.0, tick=tick, top=[])
    view = CrisisState._query(SimpleNamespace(selected="cm", lang="id"))()  # type: ignore[arg-type]
    assert view["level"] == "red" and view["ticks"] == 1
    assert view["open_incident"] and len(view["incidents"]) == 1
