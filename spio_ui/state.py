"""Shared UI state: who is signed in (and their role), the language.

Imports nothing from ``spio_ui.pages``. :class:`LiveMixin` (worker events pushed into a
page's state) lives in ``spio_ui.live`` and is re-exported here for the pages.
"""

from __future__ import annotations

import reflex as rx

from backend.core.security import role_allows
from spio_ui import auth
from spio_ui.i18n import DEFAULT_LANGUAGE, LANGUAGES, translations
from spio_ui.live import LiveMixin

__all__ = ["AppState", "LiveMixin"]


class AppState(rx.State):
    """The signed-in user, their role and the chosen language."""

    token: str = rx.LocalStorage("", name="spio_token", sync=True)
    lang: str = rx.LocalStorage(DEFAULT_LANGUAGE, name="spio_lang", sync=True)
    user_name: str = ""
    role: str = ""
    login_error: str = ""
    login_token_input: str = ""
    login_username: str = ""
    login_password: str = ""
    demo_role: str = ""

    @rx.var
    def tr(self) -> dict[str, str]:
        """Every UI string in the chosen language."""
        return translations(self.lang)

    @rx.var
    def signed_in(self) -> bool:
        return bool(self.role)

    @rx.var
    def can_operate(self) -> bool:
        """Operators and admins may run, pause, cancel."""
        return role_allows(self.role, "operator")

    @rx.var
    def can_edit(self) -> bool:
        """Only admins create, edit and delete jobs."""
        return role_allows(self.role, "admin")

    def _has_role(self, needed: str) -> bool:
        return role_allows(self.role, needed)

    @rx.event
    def set_lang(self, lang: str | list[str]) -> None:
        if isinstance(lang, str) and lang in LANGUAGES:
            self.lang = lang

    @rx.event
    def toggle_lang(self) -> None:
        self.lang = "en" if self.lang == "id" else "id"

    @rx.event
    def set_login_token_input(self, value: str) -> None:
        self.login_token_input = value

    @rx.event
    def set_login_username(self, value: str) -> None:
        self.login_username = value

    @rx.event
    def set_login_password(self, value: str) -> None:
        self.login_password = value

    def _local_demo_role(self) -> str:
        # The same door as the API's: loopback, no proxy headers, a local Host, an own
        # origin (the headers are those of the browser's websocket handshake).
        headers = {k.lower(): v for k, v in self.router.headers.raw_headers.items()}
        return auth.demo_role(client_host=self.router.session.client_ip, headers=headers)

    @rx.event
    def require_login(self):
        """on_load guard of every page but /login: restore the session or go sign in."""
        # Checked on every page load, so a revoked token stops working at the next click.
        if self.token:
            principal = auth.principal_for_token(self.token)
            if principal is not None:
                self.user_name, self.role = principal
                return None
            self.token = ""
        demo = self._local_demo_role()
        if demo:
            self.user_name, self.role = "local", demo
            return None
        self.user_name, self.role = "", ""
        return rx.redirect("/login")

    @rx.event
    def load_login(self) -> None:
        self.login_error = ""
        self.demo_role = self._local_demo_role()

    @rx.event
    def login(self):
        """Sign in with an API token."""
        principal = auth.principal_for_token(self.login_token_input.strip())
        if principal is None:
            self.login_error = translations(self.lang)["login.invalid"]
            return None
        return self._signed_in(self.login_token_input.strip(), *principal)

    @rx.event
    def login_with_password(self):
        """Sign in with a username and password (a session token is kept in the tab)."""
        from backend.auth.users import TooManyAttempts
        from backend.core.errors import InvalidInput

        tr = translations(self.lang)
        username, password = self.login_username.strip(), self.login_password
        self.login_password = ""  # never kept in state longer than one attempt
        if not username or not password:
            self.login_error = tr["login.missing"]
            return None
        try:
            token, name, role = auth.password_login(username=username, password=password)
        except InvalidInput:
            self.login_error = tr["login.wrong_password"]
            return None
        except TooManyAttempts:
            self.login_error = tr["login.too_many"]
            return None
        return self._signed_in(token, name, role)

    def _signed_in(self, token: str, name: str, role: str):
        self.token = token
        self.login_token_input = ""
        self.login_error = ""
        self.user_name, self.role = name, role
        return rx.redirect("/")

    @rx.event
    def login_local(self):
        demo = self._local_demo_role()
        if not demo:
            return None
        self.user_name, self.role = "local", demo
        return rx.redirect("/")

    @rx.event
    def logout(self):
        auth.end_session(self.token)
        self.token = ""
        self.user_name = ""
        self.role = ""
        return rx.redirect("/login")
