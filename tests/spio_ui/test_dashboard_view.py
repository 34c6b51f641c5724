"""The dashboard turns the backend's figures into what a seller reads."""

from __future__ import annotations

from spio_ui.pages.dashboard import summary_view


def _summary(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "runs_today": {"skipped": 1, "failed": 1, "succeeded": 1_499},
        "success_rate": 1499 / 1500,
        "queue_depths": {"critical": 2, "normal": 1_200},
        "scheduler_lag_sec": 0.012,
        "worker_utilisation": 0.25,
        "active_runs": [
            {
                "id": 7,
                "job_id": "daily-bi-report",
                "progress": 0.426,
                "message": "aggregating",
                "started_at": None,
            }
        ],
        "failing_jobs": [{"job_id": "product-catalog-sync", "consecutive_failures": 3}],
    }
    return {**base, **changes}


def test_figures_in_indonesian_formats() -> None:
    view = summary_view(_summary(), lang="id")
    assert view["runs_today"] == "1.501"
    # Statuses in the reader's words, in the usual order.
    assert view["runs_today_hint"].startswith("Berhasil 1.499 · Gagal 1")
    assert view["success_rate"] == "99,9 %"
    assert view["queue_total"] == "1.202"
    assert view["scheduler_lag"] == "12 ms"
    assert view["active_runs"] == [
        {
            "id": 7,
            "job_id": "daily-bi-report",
            "status": "running",
            "percent": 43,
            "message": "aggregating",
            "started": "–",
        }
    ]
    assert view["failing_jobs"][0]["failures"] == 3


def test_performance_table_judges_each_figure_against_the_seed_targets() -> None:
    rows = {r["metric"]: r for r in summary_view(_summary(), lang="en")["performance"]}
    assert rows["Job success rate"]["state"] == "ok"
    assert rows["Queue depth"] == {
        "key": "queue",
        "metric": "Queue depth",
        "target": "< 300",
        "value": "1,202",  # English marks in English
        "state": "bad",
    }
    assert rows["API call success"]["state"] == ""  # not measured: no verdict
    assert rows["Job success rate"]["target"] == "> 95.0%"
    assert rows["Worker memory"]["target"] == "< 2,048 MB"


def test_english_dashboard_has_no_indonesian_word() -> None:
    view = summary_view(_summary(), lang="en")
    assert view["worker_util"].startswith("worker utilisation ")
    assert view["runs_today_hint"].startswith("Succeeded 1,499 · Failed 1")
    assert view["queue_hint"].startswith("Critical ")
    assert view["success_rate"] == "99.9%" and view["queue_total"] == "1,202"
    indonesian = summary_view(_summary(), lang="id")
    assert indonesian["worker_util"].startswith("utilisasi pekerja ")
    assert indonesian["queue_hint"].startswith("Kritis ")


def test_no_redis_no_crash() -> None:
    view = summary_view(_summary(queue_depths=None, scheduler_lag_sec=None), lang="id")
    assert view["queue_total"] == "0"
    assert view["scheduler_lag"] == "–"
