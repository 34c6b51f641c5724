"""One alert when the install becomes degraded, one when it is well again.

Every scheduler process and the web process look at the health every few seconds
(:class:`OutageWatch`). The last word is one ``system_status`` row; a watcher that sees
a change moves it with a conditional UPDATE (``WHERE status = <what it read>``), and
only the watcher whose UPDATE lands raises the alert, so an outage is announced once
however many processes watch. Recovery is declared after the health has been ok for
``RECOVERY_SEC`` in a row, so a part flickering at the edge of its threshold does not
make a string of outages.

A database outage cannot be written down (the row and the alerts live there); it shows
in ``/health`` and the dashboard only.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime

from sqlalchemy import insert, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import col

from backend.core.messages import keyed, message, render_message
from backend.core.redis import publish_event
from backend.jobs.health import Health
from backend.models import Alert, SystemStatus
from backend.models.types import utcnow

__all__ = ["OutageWatch", "RECOVERY_SEC", "WATCH_EVERY_SEC", "describe", "described",
           "check_and_observe", "watch_outages"]

log = logging.getLogger("spio.health")

RECOVERY_SEC = 5.0
_ROW = "health"


def described(problems: list[dict[str, object]]) -> list[dict[str, object]]:
    """The problems as message keys (the alert says them in its reader's language)."""
    parts: list[dict[str, object]] = []
    for problem in problems:
        if problem["code"] == "none_alive":
            parts.append(keyed("alert.problem.none_alive", waiting=problem["waiting"]))
        elif problem["code"] == "not_leading":
            parts.append(keyed("alert.problem.not_leading"))
        else:
            parts.append(keyed("alert.problem.other", part=problem["part"], code=problem["code"]))
    return parts


def describe(problems: list[dict[str, object]]) -> str:
    """The problems in one English line (logs)."""
    return render_message(message("alert.system_degraded", problems=described(problems)),
                          "en").removeprefix("SPIO degraded: ")


class OutageWatch:
    """Feed it each health check; it records transitions and raises their alerts."""

    def __init__(self, *, engine: Engine) -> None:
        self.engine = engine
        self._ok_since: float | None = None

    def observe(self, health: Health, *, now: datetime | None = None) -> str | None:
        """Returns "degraded" or "recovered" when this call announced a transition."""
        if health.checks.get("database") != "ok":
            self._ok_since = None
            return None  # nowhere to write it: /health says it
        if health.problems:
            self._ok_since = None
            return self._move(to="degraded", problems=health.problems, now=now or utcnow())
        if self._ok_since is None:
            self._ok_since = time.monotonic()
        if time.monotonic() - self._ok_since < RECOVERY_SEC:
            return None
        return self._move(to="ok", problems=[], now=now or utcnow())

    def _move(self, *, to: str, problems: list[dict[str, object]], now: datetime) -> str | None:
        table = SystemStatus.__table__  # type: ignore[attr-defined]
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        with self.engine.begin() as conn:
            conn.execute(dialect.insert(table).values(
                name=_ROW, status="ok", reasons=[], changed_at=now,
            ).on_conflict_do_nothing(index_elements=["name"]))
            moved = conn.execute(
                update(table)
                .where(col(SystemStatus.name) == _ROW, col(SystemStatus.status) != to)
                .values(status=to, reasons=problems, changed_at=now)
            ).rowcount
            if moved != 1:
                return None
            # Stored as a message key: whoever shows it says it in the reader's language.
            if to == "degraded":
                kind = "system_degraded"
                stored = message("alert.system_degraded", problems=described(problems))
            else:
                kind, stored = "system_recovered", message("alert.system_recovered")
            conn.execute(insert(Alert).values(
                kind=kind, message=stored, details={"problems": problems},
                acknowledged=False, created_at=now))
        english = render_message(stored, "en")
        log.warning("%s", english)
        publish_event("alert", kind=kind, message=english)
        return "degraded" if to == "degraded" else "recovered"


WATCH_EVERY_SEC = 2.0


def check_and_observe(watch: OutageWatch) -> str | None:
    """One look at the health, fed to ``watch``; never raises (a watcher must live on)."""
    from backend.core.config import get_settings
    from backend.core.redis import get_redis
    from backend.jobs.health import check_health

    try:
        health = check_health(settings=get_settings(), client=get_redis(), engine=watch.engine)
        return watch.observe(health)
    except Exception:
        log.warning("health watch failed; looking again soon", exc_info=True)
        return None


async def watch_outages() -> None:
    """The web process's watcher (a lifespan task): alerts even while no scheduler runs."""
    import asyncio

    from backend.core.db import get_engine

    watch = OutageWatch(engine=get_engine())
    while True:
        await asyncio.to_thread(check_and_observe, watch)
        await asyncio.sleep(WATCH_EVERY_SEC)
