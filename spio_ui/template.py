"""The page frame: sidebar navigation, top bar (language, role, live indicator)."""

from __future__ import annotations

import reflex as rx

from spio_ui import routes
from spio_ui.state import AppState
from spio_ui.styles import SIDEBAR_WIDTH, page_padding

__all__ = ["layout", "page_header"]


def _nav_link(route: str, key: str, icon: str) -> rx.Component:
    path = AppState.router.url.path
    active = (path == route) if route == "/" else path.startswith(route)  # type: ignore[attr-defined]
    return rx.link(
        rx.hstack(
            rx.icon(icon, size=18),
            rx.text(AppState.tr[key], size="2", weight=rx.cond(active, "bold", "regular")),
            align="center",
            spacing="3",
            padding="0.5rem 0.75rem",
            border_radius="var(--radius-2)",
            background=rx.cond(active, "var(--accent-a4)", "transparent"),
            _hover={"background": "var(--accent-a3)"},
            width="100%",
        ),
        href=route,
        underline="none",
        color_scheme="gray",
        high_contrast=True,
        width="100%",
    )


def _sidebar() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.icon("zap", size=22, color="var(--accent-9)"),
            rx.heading("SPIO Agent", size="4"),
            align="center",
            spacing="2",
            padding="0.5rem 0.75rem 1rem",
        ),
        *[_nav_link(route, key, icon) for route, key, icon in routes.NAV],
        rx.spacer(),
        rx.text(AppState.tr["app.tagline"], size="1", color_scheme="gray", padding="0 0.75rem"),
        width=SIDEBAR_WIDTH,
        min_width=SIDEBAR_WIDTH,
        min_height="100vh",
        padding="1rem 0.5rem",
        border_right="1px solid var(--gray-a5)",
        background="var(--gray-a2)",
        spacing="1",
    )


def _live_badge(live: rx.Var[bool] | bool) -> rx.Component:
    from spio_ui.health import HealthState  # red while the install is degraded

    degraded = HealthState.degraded
    return rx.badge(
        rx.icon("radio", size=14),
        rx.cond(degraded, AppState.tr["health.degraded"],
                rx.cond(live, AppState.tr["live.connected"], AppState.tr["live.offline"])),
        color_scheme=rx.cond(degraded, "red", rx.cond(live, "green", "gray")),
        variant="soft",
        custom_attrs={"data-testid": "live-indicator", "data-live": live,
                      "data-degraded": degraded},
    )


def _top_bar(live: rx.Var[bool] | bool | None) -> rx.Component:
    return rx.hstack(
        rx.spacer(),
        _live_badge(live) if live is not None else rx.fragment(),
        rx.segmented_control.root(
            rx.segmented_control.item("ID", value="id"),
            rx.segmented_control.item("EN", value="en"),
            value=AppState.lang,
            on_change=AppState.set_lang,
            size="1",
            custom_attrs={"data-testid": "lang-switch"},
        ),
        rx.badge(
            AppState.user_name,
            " · ",
            AppState.tr["role." + AppState.role],
            variant="outline",
            custom_attrs={"data-testid": "role-badge", "data-role": AppState.role},
        ),
        rx.icon_button(
            rx.icon("log-out", size=16),
            on_click=AppState.logout,
            variant="ghost",
            title=AppState.tr["nav.logout"],
        ),
        width="100%",
        align="center",
        spacing="3",
        padding="0.75rem 2rem",
        border_bottom="1px solid var(--gray-a4)",
    )


def page_header(title: rx.Var[str] | str, *actions: rx.Component) -> rx.Component:
    return rx.hstack(
        rx.heading(title, size="6"),
        rx.spacer(),
        *actions,
        width="100%",
        align="center",
        margin_bottom="1rem",
    )


def layout(*children: rx.Component, live: rx.Var[bool] | None = None) -> rx.Component:
    """Sidebar + top bar around the page; nothing renders until the session is known.

    ``live``: the page's LiveMixin flag, shown as a "Live" badge (pages without live
    updates pass nothing and show no badge)."""
    return rx.hstack(
        _sidebar(),
        rx.vstack(
            _top_bar(live),
            rx.cond(
                AppState.signed_in,
                rx.vstack(*children, spacing="4", style=page_padding),
                rx.center(rx.spinner(size="3"), width="100%", padding="4rem"),
            ),
            width="100%",
            spacing="0",
            min_height="100vh",
        ),
        spacing="0",
        width="100%",
        align="stretch",
    )
