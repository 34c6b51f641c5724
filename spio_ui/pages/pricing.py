"""Price review (/pricing): price changes that price intelligence flagged for a person
to decide (below the floor, a new rule's preview, beyond a run's limit), each said as a
sentence, 25 to a page, filtered by marketplace, product and direction. Operators approve
(optionally at another price) or reject one, the ticked ones, or all; the next run applies
approved ones. Viewers only look. State: ``pricing_state``."""

from __future__ import annotations

import reflex as rx

from spio_ui.components.badges import status_badge
from spio_ui.components.table import data_table
from spio_ui.mixins import pager_for
from spio_ui.pages.pricing_state import PAGE_SIZE, PricingState, review_row
from spio_ui.state import AppState
from spio_ui.template import layout, page_header

__all__ = ["PricingState", "pricing_page", "review_row", "ON_LOAD"]

_STATUSES = ("pending", "approved", "applied", "rejected")


def _decision(row: rx.Var) -> rx.Component:
    tr = PricingState.tr
    review_id = row["id"].to(str)
    return rx.cond(
        PricingState.can_operate & (row["status"] == "pending"),
        rx.hstack(
            rx.input(value=PricingState.prices[review_id], width="7rem", size="1",
                     on_change=lambda v: PricingState.set_price(review_id, v),
                     custom_attrs={"data-testid": "review-price"}),
            rx.button(tr["pricing.approve"], size="1", color_scheme="green",
                      on_click=PricingState.decide(review_id, True),
                      custom_attrs={"data-testid": "review-approve"}),
            rx.button(tr["pricing.reject"], size="1", color_scheme="red", variant="soft",
                      on_click=PricingState.decide(review_id, False),
                      custom_attrs={"data-testid": "review-reject"}),
            spacing="2",
        ),
    )  # fmt: skip


def _row(row: rx.Var) -> rx.Component:
    review_id = row["id"].to(str)
    return rx.table.row(
        rx.table.cell(rx.cond(
            PricingState.can_operate & (row["status"] == "pending"),
            rx.checkbox(checked=PricingState.picked.contains(review_id),
                        on_change=lambda v: PricingState.toggle(review_id, v),
                        custom_attrs={"data-testid": "review-pick"}),
        )),
        rx.table.cell(
            rx.text(row["sentence"].to(dict[str, str])[PricingState.lang], size="2",
                    custom_attrs={"data-testid": "review-sentence"}),
            rx.cond(row["advice"] != "", rx.text(row["advice"], size="1", color_scheme="gray")),
            rx.text(row["job_id"], " · ", row["updated"], size="1", color_scheme="gray"),
            min_width="18rem",
        ),
        rx.table.cell(status_badge(row["status"].to(str))),
        rx.table.cell(_decision(row)),
        custom_attrs={"data-testid": "review-row", "data-sku": row["sku"],
                      "data-review-id": row["id"],
                      "data-direction": row["direction"]},
    )  # fmt: skip


def _filters() -> rx.Component:
    tr = PricingState.tr
    return rx.flex(
        rx.select.root(
            rx.select.trigger(custom_attrs={"data-testid": "reviews-status"}),
            rx.select.content(*[rx.select.item(tr[f"pricing.status_{s}"], value=s)
                                for s in _STATUSES]),
            value=PricingState.status,
            on_change=PricingState.set_status,
        ),
        rx.select.root(
            rx.select.trigger(custom_attrs={"data-testid": "reviews-platform"}),
            rx.select.content(
                rx.select.item(tr["pricing.platform_all"], value="all"),
                rx.foreach(PricingState.platforms,
                           lambda p: rx.select.item(p["label"], value=p["value"])),
            ),
            value=rx.cond(PricingState.platform == "", "all", PricingState.platform),
            on_change=PricingState.set_platform,
        ),
        rx.input(placeholder=tr["pricing.product_filter"], value=PricingState.product,
                 on_change=PricingState.set_product.debounce(300), width="12rem",
                 custom_attrs={"data-testid": "reviews-product"}),
        rx.select.root(
            rx.select.trigger(custom_attrs={"data-testid": "reviews-direction"}),
            rx.select.content(
                rx.select.item(tr["pricing.direction_all"], value="all"),
                rx.select.item(tr["pricing.direction_lower"], value="lower"),
                rx.select.item(tr["pricing.direction_raise"], value="raise"),
            ),
            value=rx.cond(PricingState.direction == "", "all", PricingState.direction),
            on_change=PricingState.set_direction,
        ),
        spacing="2",
        wrap="wrap",
        align="center",
    )  # fmt: skip


def _bulk() -> rx.Component:
    tr = PricingState.tr
    return rx.cond(
        PricingState.can_operate & (PricingState.status == "pending")
        & (PricingState.rows.length() > 0),
        rx.flex(
            rx.checkbox(tr["pricing.pick_page"], on_change=PricingState.toggle_page,
                        checked=PricingState.picked.length() > 0,
                        custom_attrs={"data-testid": "reviews-pick-page"}),
            rx.button(tr["pricing.approve_picked"], " (", PricingState.picked.length(), ")",
                      color_scheme="green", variant="soft",
                      disabled=PricingState.picked.length() == 0,
                      on_click=PricingState.decide_picked(True),
                      custom_attrs={"data-testid": "reviews-approve-picked"}),
            rx.button(tr["pricing.reject_picked"], " (", PricingState.picked.length(), ")",
                      color_scheme="red", variant="soft",
                      disabled=PricingState.picked.length() == 0,
                      on_click=PricingState.decide_picked(False),
                      custom_attrs={"data-testid": "reviews-reject-picked"}),
            rx.button(tr["pricing.approve_all"], color_scheme="green",
                      on_click=PricingState.approve_all,
                      custom_attrs={"data-testid": "reviews-approve-all"}),
            spacing="3",
            wrap="wrap",
            align="center",
        ),
    )  # fmt: skip


def pricing_page() -> rx.Component:
    tr = PricingState.tr
    return layout(
        page_header(tr["nav.pricing"], _filters()),
        rx.text(tr["pricing.intro"], color_scheme="gray", size="2"),
        rx.cond(PricingState.error != "", rx.callout(PricingState.error, color_scheme="red")),
        rx.cond(PricingState.notice != "",
                rx.callout(PricingState.notice, color_scheme="green",
                           custom_attrs={"data-testid": "reviews-notice"})),
        _bulk(),
        data_table(
            ["", tr["pricing.proposal"], tr["jobs.status"], ""],
            PricingState.rows,
            _row,
            empty_text=tr["pricing.empty"],
            test_id="reviews-table",
        ),
        pager_for(PricingState, limit=PAGE_SIZE),
        live=PricingState.live,
        reload=PricingState.load,
    )  # fmt: skip


ON_LOAD = [AppState.require_login, PricingState.load, PricingState.listen_live]
