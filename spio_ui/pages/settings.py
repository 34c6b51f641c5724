"""Settings (/settings, admins): platform connectors (sandbox or live, write-only
secrets), users, API tokens (created, shown once, revoked), and how this install reaches
the LLM and the platform sandbox (secrets are never shown)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import reflex as rx

from backend.core.messages import error_text
from backend.domain.vocab import ROLES
from spio_ui.components.badges import status_badge
from spio_ui.components.cards import section
from spio_ui.components.select import word_select
from spio_ui.components.table import data_table
from spio_ui.formatting import format_datetime
from spio_ui.pages.settings_connectors import ConnectorsState, connectors_section
from spio_ui.pages.settings_shops import shops_section
from spio_ui.pages.settings_users import UsersState, users_section
from spio_ui.state import AppState
from spio_ui.styles import mono
from spio_ui.template import layout, page_header

__all__ = ["SettingsState", "settings_page", "ON_LOAD"]


def _token_row(token: Any) -> dict[str, Any]:
    return {
        "id": token.id,
        "name": token.name,
        "prefix": token.prefix + "…",
        "role": token.role,
        "created": format_datetime(token.created_at),
        "last_used": format_datetime(token.last_used_at),
        "status": "revoked" if token.revoked_at else "active",
    }


class SettingsState(AppState):
    """Tokens and integration status; only admins load or change anything here."""

    tokens: list[dict[str, Any]] = []
    new_name: str = ""
    new_role: str = "viewer"
    created_plaintext: str = ""
    message: str = ""
    llm: dict[str, str] = {}
    sandbox_url: str = ""

    @rx.event
    def load(self) -> None:
        self.created_plaintext = ""
        self.message = ""
        if not self._has_role("admin"):
            self.tokens = []
            return
        from backend.auth.tokens import list_tokens
        from backend.core.config import get_settings
        from backend.core.db import session_scope

        with session_scope() as session:
            self.tokens = [_token_row(t) for t in list_tokens(session=session)]
        settings = get_settings()
        host = urlsplit(settings.llm_base_url).netloc if settings.llm_base_url else ""
        self.llm = {
            "mode": "llm" if settings.llm_enabled else "offline",
            "endpoint": host or "–",
            "model": settings.llm_model if settings.llm_enabled else "–",
            "key": "••••••••" if settings.llm_api_key else "–",
        }
        self.sandbox_url = settings.sandbox_url

    @rx.event
    def set_new_name(self, value: str) -> None:
        self.new_name = value

    @rx.event
    def set_new_role(self, value: str) -> None:
        self.new_role = value

    @rx.event
    def create_token(self) -> None:
        """Create a token; its plaintext is shown once on this page and never again."""
        if not self._has_role("admin"):
            return
        from backend.auth.tokens import create_token
        from backend.core.db import session_scope

        name = self.new_name.strip() or f"ui-{self.new_role}"
        try:
            with session_scope() as session:
                _, plaintext = create_token(session=session, name=name, role=self.new_role)
        except Exception as exc:  # InvalidInput: unknown role
            self.message = error_text(exc, self.lang)
            return
        self.load()
        self.created_plaintext = plaintext
        self.new_name = ""

    @rx.event
    def revoke(self, token_id: int) -> None:
        if not self._has_role("admin"):
            return
        from backend.auth.tokens import revoke_token
        from backend.core.db import session_scope

        with session_scope() as session:
            revoke_token(session=session, token_id=token_id)
        self.load()


def _row(token: rx.Var) -> rx.Component:
    tr = SettingsState.tr
    return rx.table.row(
        rx.table.cell(token["name"]),
        rx.table.cell(rx.code(token["prefix"])),
        rx.table.cell(tr["role." + token["role"].to(str)]),
        rx.table.cell(token["created"]),
        rx.table.cell(token["last_used"]),
        rx.table.cell(status_badge(token["status"].to(str))),
        rx.table.cell(
            rx.cond(
                token["status"] == "active",
                rx.button(
                    tr["settings.revoke"],
                    size="1",
                    color_scheme="red",
                    variant="soft",
                    on_click=SettingsState.revoke(token["id"].to(int)),
                    custom_attrs={"data-testid": "token-revoke"},
                ),
            )
        ),  # fmt: skip
        custom_attrs={"data-testid": "token-row", "data-name": token["name"]},
    )


def _tokens() -> rx.Component:
    tr = SettingsState.tr
    return section(
        tr["settings.tokens"],
        rx.hstack(
            rx.input(
                placeholder=tr["settings.token_name"],
                value=SettingsState.new_name,
                on_change=SettingsState.set_new_name,
                width="16rem",
                max_width="100%",
                custom_attrs={"data-testid": "token-name"},
            ),
            rx.box(
                word_select(ROLES, kind="role", value=SettingsState.new_role,
                            on_change=SettingsState.set_new_role),
                custom_attrs={"data-testid": "token-role"},
            ),
            rx.button(
                tr["settings.create_token"],
                on_click=SettingsState.create_token,
                custom_attrs={"data-testid": "token-create"},
            ),
            spacing="3",
            margin_bottom="0.75rem",
            wrap="wrap",
        ),  # fmt: skip
        rx.cond(
            SettingsState.created_plaintext != "",
            rx.callout.root(
                rx.callout.text(tr["settings.shown_once"]),
                rx.text(
                    SettingsState.created_plaintext,
                    style=mono,
                    custom_attrs={"data-testid": "token-plaintext"},
                ),
                color_scheme="amber",
                margin_bottom="0.75rem",
            ),
        ),  # fmt: skip
        rx.cond(SettingsState.message != "", rx.callout(SettingsState.message, color_scheme="red")),
        data_table(
            [
                tr["settings.token_name"],
                tr["settings.prefix"],
                tr["settings.role"],
                tr["settings.created"],
                tr["settings.last_used"],
                tr["jobs.status"],
                "",
            ],
            SettingsState.tokens,
            _row,
            test_id="tokens-table",
        ),  # fmt: skip
    )


def _integrations() -> rx.Component:
    tr = SettingsState.tr
    fact = lambda label, value: rx.hstack(  # noqa: E731
        rx.text(label, size="2", color_scheme="gray", min_width="10rem"),
        rx.text(value, size="2", word_break="break-all"), wrap="wrap",
    )
    return section(
        tr["settings.integrations"],
        fact(tr["settings.llm"], tr["settings.llm_" + SettingsState.llm["mode"]]),
        fact(tr["settings.endpoint"], SettingsState.llm["endpoint"]),
        fact(tr["settings.model"], SettingsState.llm["model"]),
        fact(tr["settings.api_key"], SettingsState.llm["key"]),
        fact(tr["settings.sandbox"], SettingsState.sandbox_url),
        rx.text(tr["settings.env_hint"], size="1", color_scheme="gray", margin_top="0.5rem"),
    )


def settings_page() -> rx.Component:
    tr = SettingsState.tr
    return layout(
        page_header(tr["nav.settings"]),
        rx.cond(
            SettingsState.can_edit,
            rx.vstack(shops_section(), connectors_section(), users_section(), _tokens(),
                      _integrations(), width="100%", spacing="4"),
            rx.callout(tr["common.forbidden"], color_scheme="gray"),
        ),
        reload=[SettingsState.load, ConnectorsState.load, UsersState.load],
    )


ON_LOAD = [AppState.require_login, SettingsState.load, ConnectorsState.load, UsersState.load]
