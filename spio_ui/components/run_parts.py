"""Pieces of a run shown on more than one page: a step of the timeline, a log line."""

from __future__ import annotations

import reflex as rx

from spio_ui.components.badges import status_badge
from spio_ui.styles import mono

__all__ = ["step_row", "log_line", "run_fact"]


def _detail(text: rx.Var) -> rx.Component:
    """An error's own text (a platform's words, an exception), under its worded form."""
    return rx.cond(text.to(str) != "",
                   rx.text(text, size="1", color_scheme="gray", style=mono,
                           white_space="pre-wrap", word_break="break-word",
                           custom_attrs={"data-testid": "error-detail",
                                         "data-user-content": "error"}))  # fmt: skip


def step_row(step: rx.Var) -> rx.Component:
    """One step (``name``, ``status``, ``duration``, ``attempts``, ``error``) of a run."""
    return rx.hstack(
        rx.box(
            width="0.6rem",
            height="0.6rem",
            border_radius="50%",
            background=rx.match(
                step["status"].to(str),
                ("succeeded", "var(--green-9)"),
                ("failed", "var(--red-9)"),
                ("running", "var(--blue-9)"),
                "var(--gray-8)",
            ),
        ),  # fmt: skip
        rx.text(step["name"], weight="medium", size="2", min_width="12rem"),
        status_badge(step["status"].to(str)),
        rx.text(step["duration"], size="2", color_scheme="gray"),
        rx.cond(
            step["attempts"].to(int) > 1, rx.badge("×", step["attempts"], color_scheme="amber")
        ),
        rx.text(step["error"], size="1", color_scheme="red", trim="both"),
        _detail(step["detail"]),
        align="center",
        flex_wrap="wrap",
        spacing="3",
        padding_y="0.3rem",
        border_bottom="1px solid var(--gray-a3)",
        width="100%",
        custom_attrs={"data-testid": "step", "data-step-status": step["status"]},
    )


def log_line(line: rx.Var) -> rx.Component:
    """One log line (``ts``, ``level``, ``step``, ``message``), errors in red."""
    return rx.text(
        rx.text.span(line["ts"], color="var(--gray-10)"),
        " ",
        rx.text.span(
            line["level_word"],
            color=rx.cond(line["level"] == "error", "var(--red-10)", "var(--gray-11)"),
        ),
        " ",
        rx.cond(
            line["step"] != "", rx.text.span("[", line["step"], "] ", color="var(--accent-11)")
        ),
        line["message"],
        rx.cond(line["detail"].to(str) != "",
                rx.text.span(" · ", line["detail"], color="var(--gray-9)",
                             custom_attrs={"data-testid": "error-detail",
                                           "data-user-content": "error"})),  # fmt: skip
        style=mono,
        white_space="pre-wrap",
        word_break="break-word",
    )


def run_fact(label: rx.Var[str] | str, value: rx.Var | str, *, test_id: str = "") -> rx.Component:
    """A small labelled figure of a run (trigger, attempts, duration ...)."""
    return rx.vstack(
        rx.text(label, size="1", color_scheme="gray"),
        rx.text(value, size="2", custom_attrs={"data-testid": test_id} if test_id else {}),
        spacing="0",
    )
