"""Price review (/pricing): price changes that price intelligence flagged for a person
to decide (below the floor, too large a cut ...). Operators approve (optionally at
another price) or reject; the next run applies approved ones. Viewers only look."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import reflex as rx

from spio_ui.components.badges import status_badge
from spio_ui.components.table import data_table
from spio_ui.formatting import format_datetime, format_percent, format_rupiah
from spio_ui.state import AppState, LiveMixin
from spio_ui.template import layout, page_header

__all__ = ["PricingState", "pricing_page", "review_row", "ON_LOAD"]

_STATUSES = ("pending", "approved", "applied", "rejected")


def review_row(review: dict[str, Any]) -> dict[str, Any]:
    """One review as the table shows it (prices in Rupiah, change in percent)."""
    current, target = review.get("current_price"), review.get("target_price")
    change = (target - current) / current if current and target is not None else None
    return {
        "id": review["id"],
        "job_id": review.get("job_id", ""),
        "sku": review.get("sku", ""),
        "platform": review.get("platform", ""),
        "status": review.get("status", "pending"),
        "current": format_rupiah(current),
        "target": format_rupiah(target),
        "target_raw": str(target or ""),
        "change": ("+" if change and change > 0 else "") + format_percent(change),
        "floor": format_rupiah(review.get("floor_price")),
        "competitor": format_rupiah(review.get("lowest_competitor")),
        "reasons": "; ".join(review.get("reasons") or []),
        "advice": str(review.get("advice") or ""),
        "updated": format_datetime(datetime.fromtimestamp(review.get("updated_at") or 0, UTC)),
    }


class PricingState(LiveMixin, AppState):
    """Reviews of one status; price edits are kept per review until decided."""

    status: str = "pending"
    rows: list[dict[str, Any]] = []
    prices: dict[str, str] = {}
    error: str = ""
    notice: str = ""

    def _query(self) -> Callable[[], list[dict[str, Any]]]:
        status = self.status

        def run() -> list[dict[str, Any]]:
            from backend.services.price_reviews import list_reviews

            return [review_row(r) for r in list_reviews(status=status)[:200]]

        return run

    def _store(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        self.prices = {row["id"]: self.prices.get(row["id"], row["target_raw"]) for row in rows}

    @rx.event
    def load(self) -> None:
        if self.role:
            self._store(self._query()())

    @rx.event
    def set_status(self, value: str) -> None:
        self.status = value
        self.load()

    @rx.event
    def set_price(self, review_id: str, value: str) -> None:
        self.prices[review_id] = value

    @rx.event
    def decide(self, review_id: str, approve: bool) -> None:
        if not self._has_role("operator"):
            self.error = self.tr["common.forbidden"]
            return
        from backend.services.price_reviews import decide_review

        raw = self.prices.get(review_id, "").replace(".", "").strip()
        price = int(raw) if approve and raw.isdigit() else None
        try:
            decide_review(review_id, approve=approve, actor=self.user_name, price=price)
        except Exception as exc:  # Conflict: decided meanwhile; NotFound
            self.error = str(exc)
            return
        self.error = ""
        self.load()

    @rx.event
    def approve_all(self) -> None:
        """Approve every pending review at once (a new rule's preview, for instance)."""
        if not self._has_role("operator"):
            self.error = self.tr["common.forbidden"]
            return
        from backend.services.price_reviews import approve_all

        approved = approve_all(job_id=None, actor=self.user_name)
        self.error = ""
        self.notice = self.tr["pricing.approved_all"].format(n=len(approved))
        self.load()

    def _live_apply(self, events: list[dict[str, Any]]) -> bool:
        # Reviews are flagged (and approved ones applied) by price-intelligence runs.
        return any(e.get("type") == "run.updated" and e.get("status") for e in events)


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
    return rx.table.row(
        rx.table.cell(rx.vstack(rx.text(row["sku"], weight="medium"),
                                rx.text(row["job_id"], size="1", color_scheme="gray"),
                                spacing="0")),
        rx.table.cell(row["platform"]),
        rx.table.cell(row["current"]),
        rx.table.cell(rx.hstack(rx.text(row["target"], weight="bold"),
                                rx.badge(row["change"], variant="soft"), align="center")),
        rx.table.cell(row["floor"]),
        rx.table.cell(row["competitor"]),
        rx.table.cell(rx.text(row["reasons"], size="1"), rx.text(row["advice"], size="1",
                                                                 color_scheme="gray")),
        rx.table.cell(status_badge(row["status"].to(str))),
        rx.table.cell(_decision(row)),
        custom_attrs={"data-testid": "review-row", "data-sku": row["sku"]},
    )  # fmt: skip


def pricing_page() -> rx.Component:
    tr = PricingState.tr
    return layout(
        page_header(
            tr["nav.pricing"],
            rx.select(
                list(_STATUSES), value=PricingState.status, on_change=PricingState.set_status
            ),  # fmt: skip
        ),
        rx.text(tr["pricing.intro"], color_scheme="gray", size="2"),
        rx.cond(PricingState.error != "", rx.callout(PricingState.error, color_scheme="red")),
        rx.cond(PricingState.notice != "",
                rx.callout(PricingState.notice, color_scheme="green",
                           custom_attrs={"data-testid": "reviews-notice"})),
        rx.cond(
            PricingState.can_operate & (PricingState.status == "pending")
            & (PricingState.rows.length() > 0),
            rx.button(tr["pricing.approve_all"], color_scheme="green",
                      on_click=PricingState.approve_all,
                      custom_attrs={"data-testid": "reviews-approve-all"}),
        ),  # fmt: skip
        data_table(
            [
                "SKU",
                tr["pricing.platform"],
                tr["pricing.current"],
                tr["pricing.proposed"],
                tr["pricing.floor"],
                tr["pricing.competitor"],
                tr["pricing.reasons"],
                tr["jobs.status"],
                "",
            ],
            PricingState.rows,
            _row,
            empty_text=tr["pricing.empty"],
            test_id="reviews-table",
        ),  # fmt: skip
        live=PricingState.live,
    )


ON_LOAD = [AppState.require_login, PricingState.load, PricingState.listen_live]
