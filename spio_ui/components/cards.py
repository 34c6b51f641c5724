"""Figures at a glance: stat cards and progress bars."""

from __future__ import annotations

import reflex as rx

from spio_ui.components.badges import color_for_status
from spio_ui.styles import card

__all__ = ["stat_card", "progress_bar", "section"]


def stat_card(
    label: rx.Var[str] | str,
    value: rx.Var[str] | str,
    *,
    icon: str,
    hint: rx.Var[str] | str = "",
    test_id: str = "",
) -> rx.Component:
    """One figure with its label, e.g. "Tingkat sukses 98,5%"."""
    return rx.box(
        rx.hstack(
            rx.icon(icon, size=18, color="var(--accent-9)"),
            rx.text(label, size="2", color_scheme="gray"),
            align="center",
            spacing="2",
        ),
        rx.text(value, size="7", weight="bold", custom_attrs={"data-testid": f"{test_id}-value"}),
        rx.text(hint, size="1", color_scheme="gray"),
        style=card,
        custom_attrs={"data-testid": test_id},
    )


def progress_bar(
    percent: rx.Var[int] | int, *, status: rx.Var[str] | str = "running", label: bool = True
) -> rx.Component:
    """A bar for 0..100 percent, coloured by the run's status."""
    bar = rx.progress(value=percent, max=100, color_scheme=color_for_status(status), size="2")
    if not label:
        return bar
    return rx.hstack(
        rx.box(bar, flex="1"),
        rx.text(f"{percent}%", size="1", width="3rem", text_align="right"),
        align="center",
        width="100%",
        custom_attrs={"data-progress": percent},
    )


def section(title: rx.Var[str] | str, *children: rx.Component, **props) -> rx.Component:
    """A titled card that groups related content."""
    return rx.box(
        rx.heading(title, size="3", margin_bottom="0.75rem"),
        *children,
        style=card,
        **props,
    )
