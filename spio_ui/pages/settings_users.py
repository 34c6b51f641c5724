"""Settings → users: people who sign in with a username and password, and their roles.

Passwords are typed once (or generated and shown once) and stored as scrypt hashes; a
user is disabled rather than deleted, so their runs and edits keep a name.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from backend.core.messages import error_text
from backend.domain.vocab import ROLES
from spio_ui.components.badges import status_badge
from spio_ui.components.cards import section
from spio_ui.components.select import word_select
from spio_ui.components.table import data_table
from spio_ui.formatting import format_datetime
from spio_ui.state import AppState
from spio_ui.styles import mono

__all__ = ["UsersState", "users_section"]


class UsersState(AppState):
    users: list[dict[str, Any]] = []
    new_username: str = ""
    new_password: str = ""
    new_user_role: str = "viewer"
    generated_password: str = ""
    user_errors: dict[str, str] = {}

    @rx.event
    def load(self) -> None:
        if not self._has_role("admin"):
            self.users = []
            return
        from backend.auth.users import list_users
        from backend.core.db import session_scope

        with session_scope() as session:
            self.users = [{
                "username": u.username, "role": u.role,
                "status": "disabled" if u.disabled else "active",
                "created": format_datetime(u.created_at),
            } for u in list_users(session=session)]

    @rx.event
    def set_new_username(self, value: str) -> None:
        self.new_username = value
        self.user_errors.pop("username", None)

    @rx.event
    def set_new_password(self, value: str) -> None:
        self.new_password = value
        self.user_errors.pop("password", None)

    @rx.event
    def set_new_user_role(self, value: str) -> None:
        self.new_user_role = value

    @rx.event
    def create(self) -> None:
        """Create the user; with no password typed, one is generated and shown once."""
        if not self._has_role("admin"):
            return
        from backend.auth.users import create_user, new_password
        from backend.core.db import session_scope
        from backend.core.errors import Conflict, InvalidInput

        username = self.new_username.strip()
        if not username:
            self.user_errors = {"username": self.tr["settings.username_required"]}
            return
        password = self.new_password or new_password()
        try:
            with session_scope() as session:
                create_user(session=session, username=username, password=password,
                            role=self.new_user_role)
        except InvalidInput as exc:
            self.user_errors = {e.path: e.message for e in exc.errors}
            return
        except Conflict as exc:
            self.user_errors = {"username": error_text(exc, self.lang)}
            return
        self.generated_password = "" if self.new_password else password
        self.new_username = self.new_password = ""
        self.user_errors = {}
        self.load()

    @rx.event
    def toggle(self, username: str, disable: bool) -> None:
        if not self._has_role("admin"):
            return
        from backend.auth.users import set_disabled
        from backend.core.db import session_scope

        with session_scope() as session:
            set_disabled(session=session, username=username, disabled=disable)
        self.load()


def _error(name: str) -> rx.Component:
    return rx.cond(
        UsersState.user_errors.contains(name),
        rx.text(UsersState.user_errors[name], size="1", color_scheme="red",
                custom_attrs={"data-testid": "user-error", "data-name": name}),
    )  # fmt: skip


def _row(user: rx.Var) -> rx.Component:
    tr = UsersState.tr
    active = user["status"] == "active"
    return rx.table.row(
        rx.table.cell(user["username"]),
        rx.table.cell(tr["role." + user["role"].to(str)]),
        rx.table.cell(status_badge(user["status"].to(str))),
        rx.table.cell(user["created"]),
        rx.table.cell(rx.button(
            rx.cond(active, tr["settings.disable"], tr["settings.enable"]),
            size="1", variant="soft", color_scheme=rx.cond(active, "red", "green"),
            on_click=UsersState.toggle(user["username"].to(str), active),
            custom_attrs={"data-testid": "user-toggle"})),
        custom_attrs={"data-testid": "user-row", "data-name": user["username"]},
    )  # fmt: skip


def users_section() -> rx.Component:
    tr = UsersState.tr
    return section(
        tr["settings.users"],
        rx.hstack(
            rx.vstack(rx.input(placeholder=tr["login.username"], value=UsersState.new_username,
                               on_change=UsersState.set_new_username, width="14rem",
                               max_width="100%", custom_attrs={"data-testid": "user-name"}),
                      _error("username"), spacing="1"),
            rx.vstack(rx.input(placeholder=tr["settings.password_optional"], type="password",
                               value=UsersState.new_password,
                               on_change=UsersState.set_new_password, width="14rem",
                               custom_attrs={"data-testid": "user-password"}),
                      _error("password"), spacing="1"),
            rx.box(word_select(ROLES, kind="role", value=UsersState.new_user_role,
                               on_change=UsersState.set_new_user_role),
                   custom_attrs={"data-testid": "user-role"}),
            rx.button(tr["settings.create_user"], on_click=UsersState.create,
                      custom_attrs={"data-testid": "user-create"}),
            spacing="3", align="start", margin_bottom="0.75rem", wrap="wrap",
        ),
        rx.cond(
            UsersState.generated_password != "",
            rx.callout.root(
                rx.callout.text(tr["settings.password_shown_once"]),
                rx.text(UsersState.generated_password, style=mono,
                        custom_attrs={"data-testid": "user-generated-password"}),
                color_scheme="amber", margin_bottom="0.75rem",
            ),
        ),
        data_table(
            [tr["login.username"], tr["settings.role"], tr["jobs.status"],
             tr["settings.created"], ""],
            UsersState.users, _row, test_id="users-table",
        ),
    )  # fmt: skip
