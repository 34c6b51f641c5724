"""A price-intelligence run's decisions as an Excel workbook (``report_formats: ["excel"]``)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook

__all__ = ["decisions_workbook", "DecisionsBook", "XLSX_TYPE"]

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_COLUMNS = ("sku", "platform", "account", "action", "current_price", "target_price",
            "lowest_competitor", "lowest_seller", "floor_price", "ceiling_price",
            "reasons")  # fmt: skip


class DecisionsBook:
    """One row per product and marketplace: the price, what was decided and why; rows
    are added a slice at a time (write-only mode keeps memory flat)."""

    def __init__(self) -> None:
        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet("Harga")
        self._sheet.append(list(_COLUMNS))

    def add(self, decisions: Iterable[dict[str, Any]]) -> None:
        for d in decisions:
            self._sheet.append([("; ".join(d.get(c) or []) if c == "reasons" else d.get(c))
                                for c in _COLUMNS])  # fmt: skip

    def save(self) -> bytes:
        out = io.BytesIO()
        self._book.save(out)
        return out.getvalue()


def decisions_workbook(decisions: Iterable[dict[str, Any]]) -> bytes:
    """The workbook of ``decisions`` at once."""
    book = DecisionsBook()
    book.add(decisions)
    return book.save()
