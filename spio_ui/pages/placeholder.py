"""Pages listed in the sidebar whose content is not built yet: they say so plainly."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from spio_ui.state import AppState
from spio_ui.template import layout, page_header

__all__ = ["placeholder_page"]


def placeholder_page(title_key: str) -> Callable[[], rx.Component]:
    def page() -> rx.Component:
        return layout(
            page_header(AppState.tr[title_key]),
            rx.callout(AppState.tr["common.soon"], icon="hammer", color_scheme="gray"),
        )

    page.__name__ = f"placeholder_{title_key.replace('.', '_')}"
    return page
