"""Sign in (/login) with a username and password or an API token, or as the local demo
user when demo mode is on."""

from __future__ import annotations

import reflex as rx

from spio_ui.state import AppState
from spio_ui.styles import card

__all__ = ["login_page", "ON_LOAD"]


def _field(label: rx.Var[str], control: rx.Component) -> rx.Component:
    return rx.vstack(rx.text(label, size="2", weight="medium"), control, width="100%",
                     spacing="1")  # fmt: skip


def _error() -> rx.Component:
    return rx.cond(
        AppState.login_error != "",
        rx.callout(AppState.login_error, color_scheme="red", size="1",
                   custom_attrs={"data-testid": "login-error"}),  # fmt: skip
    )


def login_page() -> rx.Component:
    tr = AppState.tr
    return rx.center(
        rx.vstack(
            rx.hstack(
                rx.icon("zap", size=28, color="var(--accent-9)"),
                rx.heading("SPIO Agent", size="7"),
                align="center",
            ),
            rx.heading(tr["login.title"], size="4", weight="regular"),
            rx.form(
                rx.vstack(
                    _field(tr["login.username"], rx.input(
                        value=AppState.login_username, on_change=AppState.set_login_username,
                        name="username", auto_complete="username", width="100%",
                        custom_attrs={"data-testid": "login-username"})),
                    _field(tr["login.password"], rx.input(
                        value=AppState.login_password, on_change=AppState.set_login_password,
                        type="password", name="password", auto_complete="current-password",
                        width="100%", custom_attrs={"data-testid": "login-password"})),
                    _error(),
                    rx.button(tr["login.submit"], type="submit", width="100%",
                              custom_attrs={"data-testid": "login-submit"}),
                    width="100%",
                ),
                on_submit=lambda _: AppState.login_with_password(),
                width="100%",
            ),  # fmt: skip
            rx.divider(),
            rx.text(tr["login.with_token"], size="1", color_scheme="gray"),
            rx.form(
                rx.vstack(
                    rx.input(
                        value=AppState.login_token_input,
                        on_change=AppState.set_login_token_input,
                        type="password",
                        placeholder="spio_…",
                        width="100%",
                        name="token",
                        custom_attrs={"data-testid": "login-token"},
                    ),
                    rx.text(tr["login.token_hint"], size="1", color_scheme="gray"),
                    rx.button(tr["login.submit_token"], type="submit", variant="soft",
                              width="100%", custom_attrs={"data-testid": "login-token-submit"}),
                    width="100%",
                ),  # fmt: skip
                on_submit=lambda _: AppState.login(),
                width="100%",
            ),
            rx.cond(
                AppState.demo_role != "",
                rx.vstack(
                    rx.divider(),
                    rx.text(tr["login.local_hint"], size="1", color_scheme="gray"),
                    rx.button(
                        tr["login.local"],
                        on_click=AppState.login_local,
                        variant="soft",
                        width="100%",
                        custom_attrs={"data-testid": "login-local"},
                    ),
                    width="100%",
                ),
            ),
            rx.segmented_control.root(
                rx.segmented_control.item("ID", value="id"),
                rx.segmented_control.item("EN", value="en"),
                value=AppState.lang,
                on_change=AppState.set_lang,
                size="1",
            ),
            style=card,
            max_width="26rem",
            spacing="4",
            align="center",
        ),
        min_height="100vh",
        background="var(--gray-a2)",
    )


ON_LOAD = [AppState.load_login]
