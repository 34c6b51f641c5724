"""Tables whose rows come from the server one page at a time."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import reflex as rx

__all__ = ["data_table", "pager"]


def data_table(
    headers: Sequence[rx.Var[str] | str],
    rows: rx.Var[list],
    render_row: Callable[[rx.Var], rx.Component],
    *,
    empty_text: rx.Var[str] | str = "",
    test_id: str = "",
) -> rx.Component:
    """A table of ``rows`` (already paginated by the server)."""
    return rx.box(
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
            rx.table.body(rx.foreach(rows, render_row)),
            variant="surface",
            size="2",
            width="100%",
        ),
        rx.cond(
            rows.length() == 0,  # type: ignore[attr-defined]
            rx.text(empty_text, color_scheme="gray", padding="1rem"),
        ),
        # A table wider than the screen scrolls inside its own box, never the page.
        width="100%",
        max_width="100%",
        min_width="0",
        overflow_x="auto",
        custom_attrs={"data-testid": test_id},
    )


def pager(
    *,
    offset: rx.Var[int],
    limit: rx.Var[int] | int,
    total: rx.Var[int],
    on_prev: rx.EventHandler,
    on_next: rx.EventHandler,
    prev_label: rx.Var[str] | str,
    next_label: rx.Var[str] | str,
    of_label: rx.Var[str] | str,
) -> rx.Component:
    """ "1–50 of 1.234" with previous/next buttons."""
    return rx.hstack(
        rx.text(
            rx.cond(total > 0, offset + 1, 0),
            "–",
            rx.cond(offset + limit < total, offset + limit, total),
            " ",
            of_label,
            " ",
            total,
            size="2",
            color_scheme="gray",
        ),
        rx.spacer(),
        rx.button(prev_label, on_click=on_prev, disabled=offset <= 0, variant="soft", size="1"),
        rx.button(
            next_label, on_click=on_next, disabled=offset + limit >= total, variant="soft", size="1"
        ),
        width="100%",
        align="center",
    )
