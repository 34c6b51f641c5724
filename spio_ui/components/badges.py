"""Small coloured labels: run/job status, priority, traffic-light indicator."""

from __future__ import annotations

import reflex as rx

from spio_ui.state import AppState
from spio_ui.styles import PRIORITY_COLORS, STATUS_COLORS

__all__ = ["status_badge", "priority_badge", "color_for_status", "traffic_light",
           "nothing_done_note"]


def color_for_status(status: rx.Var[str] | str) -> rx.Var:
    """The Radix colour name of a status (grey for unknown ones)."""
    return rx.match(status, *STATUS_COLORS.items(), "gray")


def status_badge(
    status: rx.Var[str] | str, *, label: rx.Var[str] | str | None = None
) -> rx.Component:
    """A status in the reader's language, in its colour; ``data-status`` (the code) lets
    tests find it."""
    return rx.badge(
        label if label is not None else AppState.tr["status." + status],
        color_scheme=color_for_status(status),
        variant="soft",
        radius="full",
        custom_attrs={"data-status": status},
    )


def priority_badge(priority: rx.Var[str] | str) -> rx.Component:
    return rx.badge(
        AppState.tr["priority." + priority],
        color_scheme=rx.match(priority, *PRIORITY_COLORS.items(), "gray"),
        variant="outline",
        custom_attrs={"data-priority": priority},
    )


def traffic_light(level: rx.Var[str] | str, *, label: rx.Var[str] | str = "") -> rx.Component:
    """A green / yellow / red lamp (e.g. the crisis indicator); ``data-level`` for tests."""
    color = rx.match(level, ("green", "var(--green-9)"), ("yellow", "var(--amber-9)"),
                     ("red", "var(--red-9)"), "var(--gray-7)")  # fmt: skip
    return rx.hstack(
        rx.box(
            width="1.25rem",
            height="1.25rem",
            border_radius="50%",
            background=color,
            box_shadow=rx.match(level, ("red", "0 0 0 4px var(--red-a4)"), "none"),
        ),  # fmt: skip
        rx.text(label, weight="bold"),
        align="center",
        spacing="2",
        custom_attrs={"data-testid": "traffic-light", "data-level": level},
    )


def nothing_done_note(
    reason: rx.Var[str] | str, *, title: rx.Var[str] | str, test_id: str = "nothing-done"
) -> rx.Component:
    """An amber note: a run that succeeded without doing its work, and why."""
    return rx.callout.root(
        rx.callout.icon(rx.icon("triangle-alert")),
        rx.callout.text(rx.text.strong(title), ": ", reason),
        color_scheme="amber",
        width="100%",
        custom_attrs={"data-testid": test_id},
    )
