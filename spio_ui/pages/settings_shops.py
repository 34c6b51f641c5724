"""Settings → shops per platform: every shop (connector account) of Shopee, Tokopedia,
TikTok Shop, Lazada ... with its mode, whether it is saved or one of the sandbox's demo
shops, and a way to add another (``toko-b``) and configure it in the connector form.

The state is ``ConnectorsState`` (settings_connectors): the shop rows come from the
connectors' forms service (``shop_overview``), and a shop opens the same form as a
platform, for that account.
"""

from __future__ import annotations

import reflex as rx

from spio_ui.components.badges import status_badge
from spio_ui.components.cards import section
from spio_ui.components.table import data_table
from spio_ui.pages.settings_connectors import ConnectorsState

__all__ = ["shops_section"]

# The shop platforms one may add a shop to (what shop_overview lists).
_SHOP_PLATFORMS = ("shopee", "tokopedia", "tiktok_shop", "lazada", "blibli", "instagram_shop",
                   "facebook_shop", "website", "google_shopping", "priceza", "idealo")


def _row(row: rx.Var) -> rx.Component:
    tr = ConnectorsState.tr
    source = row["source"].to(str)
    return rx.table.row(
        rx.table.cell(row["platform"]),
        rx.table.cell(rx.text(row["account"], weight="medium")),
        rx.table.cell(status_badge(row["mode"].to(str),
                                   label=tr["mode." + row["mode"].to(str)])),
        rx.table.cell(rx.cond(source == "saved", tr["settings.shop_saved"],
                              tr["settings.shop_demo"])),
        rx.table.cell(row["updated"]),
        rx.table.cell(rx.button(
            tr["settings.configure"], size="1", variant="soft",
            on_click=ConnectorsState.open_shop(row["platform"].to(str),
                                               row["account"].to(str)),
            custom_attrs={"data-testid": "shop-configure"})),
        custom_attrs={"data-testid": "shop-row", "data-platform": row["platform"],
                      "data-account": row["account"]},
    )  # fmt: skip


def _add_shop() -> rx.Component:
    tr = ConnectorsState.tr
    return rx.vstack(
        rx.hstack(
            rx.box(rx.select.root(
                       rx.select.trigger(),
                       rx.select.content(*[rx.select.item(p, value=p) for p in _SHOP_PLATFORMS]),
                       value=ConnectorsState.new_shop_platform,
                       on_change=ConnectorsState.set_new_shop_platform),
                   custom_attrs={"data-testid": "shop-new-platform"}),
            rx.input(value=ConnectorsState.new_shop_name, placeholder=tr["settings.shop_name"],
                     on_change=ConnectorsState.set_new_shop_name,
                     custom_attrs={"data-testid": "shop-new-name"}),
            rx.button(tr["settings.add_shop"], on_click=ConnectorsState.add_shop,
                      custom_attrs={"data-testid": "shop-add"}),
            spacing="2", align="center",
        ),
        rx.cond(ConnectorsState.shop_error != "",
                rx.text(tr["settings.shop_name_invalid"], size="1", color_scheme="red",
                        custom_attrs={"data-testid": "shop-name-error"})),
        spacing="1",
    )  # fmt: skip


def shops_section() -> rx.Component:
    tr = ConnectorsState.tr
    return section(
        tr["settings.shops"],
        rx.text(tr["settings.shops_hint"], size="1", color_scheme="gray",
                margin_bottom="0.5rem"),
        _add_shop(),
        data_table(
            [tr["settings.platform"], tr["settings.shop"], tr["settings.mode"],
             tr["settings.shop_source"], tr["settings.updated"], ""],
            ConnectorsState.shops, _row, test_id="shops-table",
        ),
    )  # fmt: skip
