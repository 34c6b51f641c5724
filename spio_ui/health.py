"""The install's health on the dashboard: the live badge turns red and a banner says
what is wrong, in the user's language, while ``/health`` would answer 503.

Polled (not pushed): an outage is often Redis itself, which carries the live events.
"""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx

from spio_ui.i18n import translations
from spio_ui.live import _client_connected
from spio_ui.state import AppState

__all__ = ["HealthState", "health_banner", "POLL_SEC"]

POLL_SEC = 3.0


def _look() -> list[dict[str, Any]]:
    from backend.core.config import get_settings
    from backend.core.db import get_engine
    from backend.core.redis import get_redis
    from backend.jobs.health import check_health

    try:
        health = check_health(settings=get_settings(), client=get_redis(), engine=get_engine())
    except Exception as exc:  # the page must not crash with the system
        return [{"part": "health", "code": "check_failed", "error": type(exc).__name__}]
    return health.problems


def problem_lines(problems: list[dict[str, Any]], *, lang: str) -> list[str]:
    """Each problem as a sentence in ``lang``."""
    strings = translations(lang)
    lines = []
    for problem in problems:
        template = strings.get(f"health.{problem.get('part')}.{problem.get('code')}",
                               strings["health.other"])
        lines.append(template.format(**{"part": problem.get("part"), **problem}))
    return lines


class HealthState(AppState):
    """Problems of the install, looked at every POLL_SEC while the page is open."""

    problems: list[dict[str, Any]] = []
    _watch_gen: int = 0

    @rx.var
    def degraded(self) -> bool:
        return bool(self.problems)

    @rx.var
    def problem_lines(self) -> list[str]:
        return problem_lines(self.problems, lang=self.lang)

    @rx.event(background=True)
    async def watch_health(self):
        """Look until the tab leaves this page or closes."""
        async with self:
            self._watch_gen += 1
            generation = self._watch_gen
            path, token = self.router.url.path, self.router.session.client_token
        while True:
            problems = await asyncio.to_thread(_look)
            async with self:
                if (self._watch_gen != generation or self.router.url.path != path
                        or not _client_connected(token)):
                    return
                self.problems = problems
            await asyncio.sleep(POLL_SEC)


def health_banner() -> rx.Component:
    """A red callout listing the problems; nothing while all is well."""
    return rx.cond(
        HealthState.degraded,
        rx.callout.root(
            rx.callout.icon(rx.icon("triangle-alert")),
            rx.vstack(
                rx.text(AppState.tr["health.banner"], weight="bold"),
                rx.foreach(HealthState.problem_lines, lambda line: rx.text(line, size="2")),
                spacing="1",
            ),
            color_scheme="red",
            width="100%",
            custom_attrs={"data-testid": "health-banner"},
        ),
    )
