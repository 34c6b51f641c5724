"""State of the price review page: one page of reviews (25) of a status, filtered by
marketplace, product and direction, each said as a sentence; rows ticked for a bulk
approve or reject; prices edited per review until decided."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import reflex as rx

from backend.core.messages import error_text
from spio_ui.formatting import format_datetime
from spio_ui.mixins import PagedMixin
from spio_ui.state import AppState, LiveMixin

__all__ = ["PricingState", "review_row", "PAGE_SIZE"]

PAGE_SIZE = 25


def review_row(review: dict[str, Any]) -> dict[str, Any]:
    """One review as the page shows it: the sentence in each language (a switch of
    language shows the other at once) and what a decision needs."""
    from backend.services.price_review_text import change_percent, review_sentence

    change = change_percent(review)
    advice = review.get("advice")
    # The AI's own wording is shown when an LLM wrote it; the offline engine's reasons
    # repeat the sentence's figures, and a dict is never shown.
    llm = advice.get("reasons") if isinstance(advice, dict) and advice.get("engine") == "llm" \
        else None  # fmt: skip
    return {
        "id": review["id"],
        "job_id": review.get("job_id", ""),
        "sku": review.get("sku", ""),
        "platform": review.get("platform", ""),
        "status": review.get("status", "pending"),
        "direction": "lower" if (change or 0) < 0 else "raise" if (change or 0) > 0 else "keep",
        "sentence": {lang: review_sentence(review, lang=lang) for lang in ("id", "en")},
        "advice": "; ".join(str(r) for r in llm) if llm else "",
        "target_raw": str(review.get("target_price") or ""),
        "updated": format_datetime(datetime.fromtimestamp(review.get("updated_at") or 0, UTC)),
    }


class PricingState(PagedMixin, LiveMixin, AppState):
    """Reviews of one status, a page at a time; ticked rows and edited prices are kept
    until decided."""

    status: str = "pending"
    platform: str = ""
    product: str = ""
    direction: str = ""
    platforms: list[dict[str, str]] = []
    rows: list[dict[str, Any]] = []
    prices: dict[str, str] = {}
    picked: list[str] = []
    error: str = ""
    notice: str = ""

    def _page_limit(self) -> int:
        return PAGE_SIZE

    def _query(self) -> Callable[[], dict[str, Any]]:
        filters = {"status": self.status, "platform": self.platform or None,
                   "sku": self.product or None, "direction": self.direction or None,
                   "offset": self.offset, "limit": PAGE_SIZE}  # fmt: skip
        def run() -> dict[str, Any]:
            from backend.services.price_review_text import platform_name
            from backend.services.price_reviews import page_reviews

            page = page_reviews(**filters)
            return {"rows": [review_row(r) for r in page.items], "total": page.total,
                    "platforms": [{"value": p, "label": platform_name(p)}
                                  for p in page.platforms]}  # fmt: skip

        return run

    def _store(self, data: dict[str, Any]) -> None:
        self.rows, self.total, self.platforms = data["rows"], data["total"], data["platforms"]
        ids = {row["id"] for row in self.rows}
        self.prices = {row["id"]: self.prices.get(row["id"], row["target_raw"])
                       for row in self.rows}  # fmt: skip
        self.picked = [rid for rid in self.picked if rid in ids]
        self.offset = min(self.offset, max(0, (self.total - 1) // PAGE_SIZE * PAGE_SIZE))

    def _reload(self) -> None:
        self._store(self._query()())

    @rx.event
    def load(self) -> None:
        if self.role:
            self._reload()

    @rx.event
    def set_status(self, value: str) -> None:
        self.picked = []
        self._refilter("status", value)

    @rx.event
    def set_platform(self, value: str) -> None:
        self._refilter("platform", "" if value == "all" else value)

    @rx.event
    def set_product(self, value: str) -> None:
        self._refilter("product", value)

    @rx.event
    def set_direction(self, value: str) -> None:
        self._refilter("direction", "" if value == "all" else value)

    @rx.event
    def set_price(self, review_id: str, value: str) -> None:
        self.prices[review_id] = value

    @rx.event
    def toggle(self, review_id: str, checked: bool) -> None:
        rest = [rid for rid in self.picked if rid != review_id]
        self.picked = [*rest, review_id] if checked else rest

    @rx.event
    def toggle_page(self, checked: bool) -> None:
        self.picked = [row["id"] for row in self.rows if row["status"] == "pending"] \
            if checked else []  # fmt: skip

    def _operator(self) -> bool:
        if not self._has_role("operator"):
            self.error = self.tr["common.forbidden"]
            return False
        return True

    @rx.event
    def decide(self, review_id: str, approve: bool) -> None:
        if not self._operator():
            return
        from backend.services.price_reviews import decide_review

        raw = self.prices.get(review_id, "").replace(".", "").replace(",", "").strip()
        price = int(raw) if approve and raw.isdigit() else None
        try:
            decide_review(review_id, approve=approve, actor=self.user_name, price=price)
        except Exception as exc:  # Conflict: decided meanwhile; NotFound
            self.error = error_text(exc, self.lang)
            return
        self.error = ""
        self._reload()

    @rx.event
    def decide_picked(self, approve: bool) -> None:
        """Approve or reject every ticked review at once (at its proposed price)."""
        if not self._operator() or not self.picked:
            return
        from backend.services.price_reviews import decide_many

        done = decide_many(list(self.picked), approve=approve, actor=self.user_name)
        key = "pricing.approved_picked" if approve else "pricing.rejected_picked"
        self.error, self.picked = "", []
        self.notice = self.tr[key].format(n=len(done["decided"]))
        self._reload()

    @rx.event
    def approve_all(self) -> None:
        """Approve every pending review at once (a new rule's preview, for instance)."""
        if not self._operator():
            return
        from backend.services.price_reviews import approve_all

        approved = approve_all(job_id=None, actor=self.user_name)
        self.error, self.picked = "", []
        self.notice = self.tr["pricing.approved_all"].format(n=len(approved))
        self._reload()

    def _live_apply(self, events: list[dict[str, Any]]) -> bool:
        # Reviews are flagged (and approved ones applied) by price-intelligence runs.
        return any(e.get("type") == "run.updated" and e.get("status") for e in events)
