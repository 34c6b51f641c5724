"""Settings → connectors: each platform on the sandbox or live, with write-only secrets.

A secret is typed, saved encrypted and never comes back: the form shows only that one
is stored, and an empty secret field keeps it. Errors from the service (unknown field,
missing credential, an http:// live address) are shown at their field.
"""

from __future__ import annotations

import re
from typing import Any

import reflex as rx

from spio_ui.components.badges import status_badge
from spio_ui.components.cards import section
from spio_ui.components.errors import error_rows
from spio_ui.components.table import data_table
from spio_ui.connector_help import field_help
from spio_ui.formatting import format_datetime
from spio_ui.i18n import word
from spio_ui.state import AppState

__all__ = ["ConnectorsState", "connectors_section"]

_SHOP_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


def _shown(kind: str, value: Any) -> str:
    """A stored setting as the form's text (a bool as the checkbox's "true"/"false")."""
    if value is None or value == "":
        return ""
    if kind == "bool":
        return "true" if str(value).lower() == "true" else "false"
    return str(value)


def _typed(kind: str, raw: str) -> Any:
    """The form's text as the connector's type; bad numbers are left for the service
    to refuse by name."""
    if kind == "bool":
        return raw.lower() == "true"
    if kind == "number":
        try:
            return float(raw) if "." in raw else int(raw)
        except ValueError:
            return raw
    return raw


def _platform_word(platform: str, lang: str) -> str:
    """A platform's name as people know it ("Facebook Ads", "Kurs mata uang")."""
    from backend.services.price_review_text import platform_name

    worded = word(lang, "platform", platform)
    return worded if worded != platform else platform_name(platform)


class ConnectorsState(AppState):
    platforms: list[dict[str, Any]] = []
    shops: list[dict[str, Any]] = []  # every shop per shop platform (settings_shops)
    selected: str = ""
    account: str = "default"  # the account (shop) the form edits
    new_shop_platform: str = "shopee"
    new_shop_name: str = ""
    shop_error: str = ""
    selected_name: str = ""
    mode: str = "sandbox"
    fields: list[dict[str, Any]] = []
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    saved_message: str = ""

    @rx.event
    def load(self) -> None:
        if not self._has_role("admin"):
            self.platforms = []
            return
        from backend.connectors.forms import platform_overview, shop_overview
        from backend.core.db import session_scope

        with session_scope() as session:
            rows = platform_overview(session=session)
            shops = shop_overview(session=session)
        self.platforms = [{
            "platform": r["platform"], "name": _platform_word(r["platform"], self.lang),
            "mode": r["mode"],
            "secrets": ", ".join(r["secrets_set"]) or "–",
            "updated": format_datetime(r["updated_at"]) if r["updated_at"] else "–",
        } for r in rows]
        self.shops = [{
            "platform": r["platform"], "account": r["account"], "mode": r["mode"],
            "source": "saved" if r["saved"] else "demo",
            "updated": format_datetime(r["updated_at"]) if r["updated_at"] else "–",
        } for r in shops]  # fmt: skip

    @rx.event
    def open_platform(self, platform: str) -> None:
        """Open the form of ``platform``'s default account."""
        self._open(platform, "default")

    @rx.event
    def open_shop(self, platform: str, account: str) -> None:
        """Open the form of one shop (an account of ``platform``)."""
        self._open(platform, account)

    @rx.event
    def set_new_shop_platform(self, value: str) -> None:
        self.new_shop_platform = value

    @rx.event
    def set_new_shop_name(self, value: str) -> None:
        self.new_shop_name, self.shop_error = value, ""

    @rx.event
    def add_shop(self) -> None:
        """Open an empty form for a new shop of the chosen platform."""
        name = self.new_shop_name.strip()
        if not _SHOP_NAME.fullmatch(name):
            self.shop_error = "invalid"
            return
        self.shop_error, self.new_shop_name = "", ""
        self._open(self.new_shop_platform, name)

    def _open(self, platform: str, account: str) -> None:
        """The form of one account with its stored (non-secret) settings."""
        if not self._has_role("admin"):
            return
        from backend.connectors.forms import account_form, platform_fields
        from backend.core.db import session_scope

        if not platform_fields(platform):
            return
        with session_scope() as session:
            row = account_form(session=session, platform=platform, name=account)
        stored = set(row["secrets_set"])
        self.selected, self.account, self.mode = platform, account, row["mode"]
        self.selected_name = _platform_word(platform, self.lang)
        # Each setting's help line in the reader's language (spio_ui.connector_help).
        self.fields = [{**f.as_dict(), "stored": f.name in stored,
                        "description": field_help(f.description, lang=self.lang)}
                       for f in platform_fields(platform)]  # fmt: skip
        self.values = {f["name"]: "" if f["secret"]
                       else _shown(f["kind"], row["form_values"].get(f["name"]))
                       for f in self.fields}
        self.errors, self.saved_message = {}, ""

    @rx.event
    def close(self) -> None:
        self.selected, self.fields, self.values, self.errors = "", [], {}, {}

    @rx.event
    def set_mode(self, value: str) -> None:
        self.mode = value

    @rx.event
    def set_value(self, name: str, value: str) -> None:
        self.values[name] = value
        self.errors.pop(name, None)

    @rx.event
    def set_flag(self, name: str, checked: bool) -> None:
        self.values[name] = "true" if checked else "false"

    @rx.event
    def save(self) -> None:
        if not self._has_role("admin") or not self.selected:
            return
        from backend.connectors.accounts import save_account
        from backend.core.db import session_scope
        from backend.core.errors import InvalidInput

        kinds = {f["name"]: f["kind"] for f in self.fields}
        # Empty means "not set here": keep the stored secret, or the connector default.
        settings = {name: _typed(kinds.get(name, "text"), raw.strip())
                    for name, raw in self.values.items() if raw.strip() != ""}
        try:
            with session_scope() as session:
                save_account(session=session, platform=self.selected, name=self.account,
                             mode=self.mode, settings=settings)
        except InvalidInput as exc:
            # Each at its field, in the reader's language.
            self.errors = {row["path"].removeprefix("settings."): row["message"]
                           for row in error_rows(exc, lang=self.lang)}  # fmt: skip
            self.saved_message = ""
            return
        platform, account = self.selected, self.account
        self.load()
        self._open(platform, account)
        self.saved_message = "ok"


def _field(field: rx.Var) -> rx.Component:
    tr = ConnectorsState.tr
    name = field["name"].to(str)
    entry = rx.cond(
        field["kind"] == "bool",
        rx.checkbox(
            checked=ConnectorsState.values[name] == "true",
            on_change=lambda checked: ConnectorsState.set_flag(name, checked),
        ),
        rx.input(
            value=ConnectorsState.values[name],
            type=rx.cond(field["secret"], "password", "text"),
            placeholder=rx.cond(field["stored"], tr["settings.secret_stored"], ""),
            on_change=lambda value: ConnectorsState.set_value(name, value),
            width="100%",
            custom_attrs={"data-testid": "connector-field", "data-name": name},
        ),
    )
    return rx.vstack(
        rx.hstack(
            rx.text(name, size="2", weight="medium"),
            rx.cond(field["required_live"], rx.badge(tr["settings.live_required"], size="1")),
            rx.cond(field["secret"], rx.icon("lock", size=14)),
            spacing="2", align="center",
        ),
        entry,
        rx.cond(
            ConnectorsState.errors.contains(name),
            rx.text(ConnectorsState.errors[name], size="1", color_scheme="red",
                    custom_attrs={"data-testid": "connector-error", "data-name": name}),
            rx.text(field["description"], size="1", color_scheme="gray"),
        ),
        spacing="1", width="100%",
    )  # fmt: skip


def _form() -> rx.Component:
    tr = ConnectorsState.tr
    return rx.vstack(
        rx.hstack(
            rx.heading(ConnectorsState.selected_name, size="4"),
            rx.badge(ConnectorsState.account, size="2", variant="soft",
                     custom_attrs={"data-testid": "connector-account"}),
            rx.box(rx.select.root(
                       rx.select.trigger(),
                       rx.select.content(*[rx.select.item(tr[f"mode.{mode}"], value=mode)
                                           for mode in ("sandbox", "live")]),
                       value=ConnectorsState.mode, on_change=ConnectorsState.set_mode),
                   custom_attrs={"data-testid": "connector-mode"}),
            rx.spacer(),
            rx.button(tr["common.close"], variant="soft", color_scheme="gray",
                      on_click=ConnectorsState.close),
            width="100%", align="center",
        ),
        rx.text(tr["settings.connector_hint"], size="1", color_scheme="gray"),
        rx.cond(ConnectorsState.errors.contains("mode") | ConnectorsState.errors.contains(
            "platform"), rx.callout(tr["settings.connector_invalid"], color_scheme="red")),
        rx.grid(rx.foreach(ConnectorsState.fields, _field), columns="2", spacing="3",
                width="100%"),
        rx.hstack(
            rx.button(tr["settings.save_connector"], on_click=ConnectorsState.save,
                      custom_attrs={"data-testid": "connector-save"}),
            rx.cond(ConnectorsState.saved_message == "ok",
                    rx.text(tr["settings.saved"], size="2", color_scheme="green",
                            custom_attrs={"data-testid": "connector-saved"})),
            align="center", spacing="3",
        ),
        spacing="3", width="100%", padding="1rem",
        border="1px solid var(--gray-a5)", border_radius="8px",
        custom_attrs={"data-testid": "connector-form"},
    )  # fmt: skip


def _row(row: rx.Var) -> rx.Component:
    tr = ConnectorsState.tr
    return rx.table.row(
        rx.table.cell(row["name"]),
        rx.table.cell(status_badge(row["mode"].to(str),
                                   label=ConnectorsState.tr["mode." + row["mode"].to(str)])),
        rx.table.cell(row["secrets"]),
        rx.table.cell(row["updated"]),
        rx.table.cell(rx.button(
            tr["settings.configure"], size="1", variant="soft",
            on_click=ConnectorsState.open_platform(row["platform"].to(str)),
            custom_attrs={"data-testid": "connector-configure"})),
        custom_attrs={"data-testid": "connector-row", "data-platform": row["platform"]},
    )  # fmt: skip


def connectors_section() -> rx.Component:
    tr = ConnectorsState.tr
    return section(
        tr["settings.connectors"],
        rx.cond(ConnectorsState.selected != "", _form()),
        data_table(
            [tr["settings.platform"], tr["settings.mode"], tr["settings.secrets"],
             tr["settings.updated"], ""],
            ConnectorsState.platforms, _row, test_id="connectors-table",
        ),
    )  # fmt: skip
