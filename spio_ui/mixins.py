"""State behaviour several pages share: server-side paging of a list, and a page that
shows one chosen item (a job, a run) with operator actions on it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from backend.core.messages import error_text
from spio_ui.components.table import pager

__all__ = ["PagedMixin", "PickedMixin", "pager_for"]


class PagedMixin(rx.State, mixin=True):
    """``offset``/``total`` of a list loaded a page at a time by the page's ``load``."""

    offset: int = 0
    total: int = 0

    def _page_limit(self) -> int:
        return 20

    def _reload(self) -> None:
        raise NotImplementedError

    def _refilter(self, name: str, value: str) -> None:
        """Change the filter ``name``; the list starts again at its first page."""
        setattr(self, name, value)
        self.offset = 0
        self._reload()

    @rx.event
    def next_page(self) -> None:
        if self.offset + self._page_limit() < self.total:
            self.offset += self._page_limit()
            self._reload()

    @rx.event
    def prev_page(self) -> None:
        self.offset = max(0, self.offset - self._page_limit())
        self._reload()


def pager_for(state: Any, *, limit: int) -> rx.Component:
    """The "1–20 of 345" pager of a page whose state is a :class:`PagedMixin`."""
    tr = state.tr
    return pager(offset=state.offset, limit=limit, total=state.total, on_prev=state.prev_page,
                 on_next=state.next_page, prev_label=tr["common.prev"],
                 next_label=tr["common.next"], of_label=tr["common.page_of"])  # fmt: skip


class PickedMixin(rx.State, mixin=True):
    """One chosen item (``selected``) whose figures the page shows, and actions on it
    that need a role; an action's error is shown, not raised."""

    selected: str = ""
    error: str = ""

    def _query(self) -> Callable[[], dict[str, Any]]:
        raise NotImplementedError

    def _store(self, view: dict[str, Any]) -> None:
        for name, value in view.items():
            setattr(self, name, value)

    @rx.event
    def select(self, value: str) -> None:
        self.selected = value
        self._store(self._query()())

    def _act_as(self, needed: str, action: Callable[[], Any]) -> None:
        """Run ``action`` if the user's role allows, then show the item afresh."""
        if not self._has_role(needed):  # type: ignore[attr-defined]
            self.error = self.tr["common.forbidden"]  # type: ignore[attr-defined]
            return
        try:
            action()
        except Exception as exc:  # Conflict, NotFound ...: the page says why
            self.error = error_text(exc, self.lang)  # type: ignore[attr-defined]
            return
        self.error = ""
        self._store(self._query()())
