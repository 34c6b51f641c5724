"""A dropdown of codes (roles, modes ...) that shows each code's word in the reader's
language; the value stays the code."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import reflex as rx

from spio_ui.state import AppState

__all__ = ["word_select"]


def word_select(
    options: Sequence[str], *, kind: str, value: rx.Var[str], on_change: Any, **props: Any
) -> rx.Component:
    """``word_select(ROLES, kind="role", ...)``: options labelled ``tr["role.<code>"]``."""
    return rx.select.root(
        rx.select.trigger(),
        rx.select.content(
            *[rx.select.item(AppState.tr[f"{kind}.{option}"], value=option) for option in options]
        ),
        value=value,
        on_change=on_change,
        **props,
    )
