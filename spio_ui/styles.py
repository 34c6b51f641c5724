"""Colours, sizes and shared style dicts of the UI (Radix theme tokens where possible)."""

from __future__ import annotations

__all__ = [
    "ACCENT",
    "SIDEBAR_WIDTH",
    "STATUS_COLORS",
    "PRIORITY_COLORS",
    "card",
    "page_padding",
    "mono",
]

ACCENT = "teal"
SIDEBAR_WIDTH = "15rem"

# Radix colour names per run status; anything else shows grey.
STATUS_COLORS: dict[str, str] = {
    "queued": "gray",
    "dispatched": "indigo",
    "running": "blue",
    "retrying": "amber",
    "succeeded": "green",
    "nothing_done": "amber",  # succeeded without doing any of its work
    "failed": "red",
    "timed_out": "red",
    "cancelled": "orange",
    "skipped": "gray",
    "active": "green",
    "paused": "amber",
    "disabled": "gray",
    "green": "green",
    "yellow": "amber",
    "red": "red",
}

PRIORITY_COLORS: dict[str, str] = {
    "critical": "red",
    "high": "orange",
    "normal": "blue",
    "low": "gray",
}

card: dict[str, str] = {
    "padding": "1rem",
    "border": "1px solid var(--gray-a5)",
    "border_radius": "var(--radius-3)",
    "background": "var(--color-panel-solid)",
    "width": "100%",
}

# Less padding on a phone; ``min_width: 0`` lets wide children scroll inside their box.
page_padding: dict[str, object] = {
    "padding": ["1rem 0.75rem", "1rem 0.75rem", "1.5rem 2rem"],
    "width": "100%",
    "min_width": "0",
}

mono: dict[str, str] = {"font_family": "var(--code-font-family)", "font_size": "0.8rem"}
