"""Per-workflow defaults the offline planner starts from (taken from the seed's job specs).

Each template gives the spec's envelope (type, timeout, retry, flow group, priority) and
the schedule used when a prompt names none. Every default the planner applies is
reported back as an assumption.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Template", "TEMPLATES", "BUILT_IN"]


@dataclass(frozen=True, slots=True)
class Template:
    """Envelope defaults of one workflow kind."""

    type: str
    timeout_ms: int
    retry: dict[str, Any]
    inputs: dict[str, Any]
    schedule: dict[str, Any] | None
    schedule_text: tuple[str, str]
    default_time: tuple[int, int] = (9, 0)
    slug: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


TEMPLATES: dict[str, Template] = {
    "price_intelligence": Template(
        type="agent.workflow", timeout_ms=600_000,
        retry={"max_retry": 2, "backoff_sec": [30, 60]},
        inputs={"flow_group": "pricing_team", "flow_max_active_runs": 3,
                "pressure_priority": "critical", "allow_overlap": False},
        schedule={"interval_sec": 300}, schedule_text=("setiap 5 menit", "every 5 minutes"),
        slug="price-intelligence",
    ),
    "campaign": Template(
        type="agent.workflow", timeout_ms=7_200_000,
        retry={"max_retry": 1, "backoff_sec": [300]},
        inputs={"flow_group": "marketing_team", "flow_max_active_runs": 1,
                "pressure_priority": "critical", "allow_overlap": False},
        schedule=None, schedule_text=("hanya saat dijalankan manual", "only when run by hand"),
        slug="campaign",
    ),
    "bi_report": Template(
        type="report.daily", timeout_ms=3_600_000,
        retry={"max_retry": 2, "backoff_sec": [60, 120]},
        inputs={"flow_group": "reporting_team", "flow_max_active_runs": 1,
                "pressure_priority": "high", "allow_overlap": False},
        schedule={"cron": "0 6 * * *"}, schedule_text=("setiap hari pukul 06:00",
                                                       "every day at 06:00"),
        default_time=(6, 0), slug="bi-report",
    ),
    "catalog_sync": Template(
        type="agent.workflow", timeout_ms=7_200_000,
        retry={"max_retry": 1, "backoff_sec": [300]},
        inputs={"flow_group": "operations_team", "flow_max_active_runs": 1,
                "pressure_priority": "high", "allow_overlap": False},
        schedule={"interval_sec": 3600}, schedule_text=("setiap jam", "every hour"),
        slug="catalog-sync",
    ),
    "crisis_monitor": Template(
        type="monitor.channel", timeout_ms=60_000,
        retry={"max_retry": 3, "backoff_sec": [5, 10, 20]},
        inputs={"flow_group": "monitoring_team", "flow_max_active_runs": 1,
                "pressure_priority": "critical", "allow_overlap": False},
        schedule={"interval_sec": 30}, schedule_text=("setiap 30 detik", "every 30 seconds"),
        slug="crisis-monitor",
    ),
}  # fmt: skip
BUILT_IN: tuple[str, ...] = tuple(TEMPLATES)
