"""A price-intelligence run's decisions as an Excel workbook (``report_formats: ["excel"]``)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

__all__ = ["decisions_workbook", "XLSX_TYPE"]

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_COLUMNS = ("sku", "platform", "account", "action", "current_price", "target_price",
            "lowest_competitor", "lowest_seller", "floor_price", "ceiling_price",
            "reasons")  # fmt: skip


def decisions_workbook(decisions: list[dict[str, Any]]) -> bytes:
    """One row per product and marketplace: the price, what was decided and why."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Harga")
    sheet.append(list(_COLUMNS))
    for d in decisions:
        sheet.append([("; ".join(d.get(c) or []) if c == "reasons" else d.get(c))
                      for c in _COLUMNS])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
