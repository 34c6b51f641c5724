"""The page frame: sidebar navigation, top bar (language, role, live indicator).

Below the ``md`` breakpoint (768 px) the sidebar gives way to a menu button that opens
the same links in a drawer, and the page's padding shrinks, so a phone (390 px) never
scrolls sideways.
"""

from __future__ import annotations

from collections.abc import Sequence

import reflex as rx
from reflex.event import EventHandler

from spio_ui import routes
from spio_ui.state import AppState
from spio_ui.styles import SIDEBAR_WIDTH, page_padding

__all__ = ["layout", "page_header"]


# Shown from the md breakpoint up / below it (Radix breakpoints: initial, xs, sm, md ...).
_DESKTOP = rx.breakpoints(initial="none", md="flex")
_MOBILE = rx.breakpoints(initial="flex", md="none")


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


def _brand() -> rx.Component:
    return rx.hstack(
        rx.icon("zap", size=22, color="var(--accent-9)"),
        rx.heading("SPIO Agent", size="4"),
        align="center",
        spacing="2",
        padding="0.5rem 0.75rem 1rem",
    )


def _sidebar() -> rx.Component:
    return rx.vstack(
        _brand(),
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
        display=_DESKTOP,
        custom_attrs={"data-testid": "sidebar"},
    )


def _menu() -> rx.Component:
    """The phone's navigation: a menu button opening the sidebar's links in a drawer."""
    return rx.drawer.root(
        rx.drawer.trigger(
            rx.icon_button(rx.icon("menu", size=20), variant="ghost",
                           title=AppState.tr["nav.menu"],
                           custom_attrs={"data-testid": "menu-button"}),
        ),  # fmt: skip
        rx.drawer.overlay(z_index="50"),
        rx.drawer.portal(
            rx.drawer.content(
                rx.vstack(
                    rx.hstack(_brand(), rx.spacer(),
                              rx.drawer.close(rx.icon_button(rx.icon("x", size=18),
                                                             variant="ghost",
                                                             title=AppState.tr["common.close"])),
                              width="100%", align="start"),  # fmt: skip
                    *[rx.drawer.close(_nav_link(route, key, icon))
                      for route, key, icon in routes.NAV],  # fmt: skip
                    spacing="1",
                    width="100%",
                ),
                top="0",
                left="0",
                height="100%",
                width="16rem",
                max_width="85vw",
                padding="1rem 0.5rem",
                background="var(--color-panel-solid)",
                z_index="51",
                custom_attrs={"data-testid": "menu-drawer"},
            ),
        ),
        direction="left",
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


def _top_bar(live: rx.Var[bool] | bool | None, reload: Sequence[EventHandler]) -> rx.Component:
    return rx.hstack(
        rx.box(_menu(), display=_MOBILE),
        rx.spacer(),
        _live_badge(live) if live is not None else rx.fragment(),
        rx.segmented_control.root(
            rx.segmented_control.item("ID", value="id"),
            rx.segmented_control.item("EN", value="en"),
            value=AppState.lang,
            # The page reloads its figures too: they are formatted in the reader's locale.
            on_change=[AppState.set_lang, *reload],
            size="1",
            custom_attrs={"data-testid": "lang-switch"},
        ),
        rx.badge(
            rx.text.span(AppState.user_name, " · ", display=_DESKTOP),
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
        spacing=rx.breakpoints(initial="2", sm="3"),
        padding=rx.breakpoints(initial="0.5rem 0.75rem", md="0.75rem 2rem"),
        border_bottom="1px solid var(--gray-a4)",
    )


def page_header(title: rx.Var[str] | str | rx.Component, *actions: rx.Component) -> rx.Component:
    return rx.hstack(
        rx.heading(title, size="6"),
        rx.spacer(),
        *actions,
        width="100%",
        align="center",
        margin_bottom="1rem",
        wrap="wrap",
    )


def layout(
    *children: rx.Component,
    live: rx.Var[bool] | None = None,
    reload: EventHandler | Sequence[EventHandler] = (),
) -> rx.Component:
    """Sidebar + top bar around the page; nothing renders until the session is known.

    ``live``: the page's LiveMixin flag, shown as a "Live" badge (pages without live
    updates pass nothing and show no badge). ``reload``: the page's load event(s), run
    again after a language switch (figures are formatted in state)."""
    reloads = [reload] if isinstance(reload, EventHandler) else list(reload)
    return rx.hstack(
        _sidebar(),
        rx.vstack(
            _top_bar(live, reloads),
            rx.cond(
                AppState.signed_in,
                rx.vstack(*children, spacing="4", style=page_padding),
                rx.center(rx.spinner(size="3"), width="100%", padding="4rem"),
            ),
            width="100%",
            min_width="0",  # lets wide content scroll in its own box, not the page
            spacing="0",
            min_height="100vh",
        ),
        spacing="0",
        width="100%",
        align="stretch",
    )
