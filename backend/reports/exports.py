"""Raw rows out of the report's DuckDB: streamed for the workbook, copied for the CSV."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

__all__ = ["day_orders", "day_ads", "export_orders_csv"]


def _stream(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> Iterator[Sequence[Any]]:
    cursor = con.cursor()  # its own cursor: other queries may run while this one streams
    cursor.execute(sql, params)
    while batch := cursor.fetchmany(10_000):
        yield from batch


# Days from Excel's epoch (1899-12-30) to 1970-01-01.
_EXCEL_EPOCH_DAYS = 25569


def day_orders(con: duckdb.DuckDBPyConnection, day: date) -> Iterator[Sequence[Any]]:
    """Cleaned orders of ``day``: platform, order id, local time in the job's zone as an
    Excel date serial (days since 1899-12-30: a date cell once it has a date format, and
    writing a number costs openpyxl a third of converting a datetime), status, items,
    IDR total."""
    return _stream(con, f"SELECT platform, order_id, epoch(local_ts) / 86400.0 + "
                        f"{_EXCEL_EPOCH_DAYS}, status, items, total_idr FROM orders_clean "
                        "WHERE day = ? ORDER BY local_ts", [day])  # fmt: skip


def day_ads(con: duckdb.DuckDBPyConnection, day: date) -> Iterator[Sequence[Any]]:
    """Cleaned ad rows of ``day`` grouped by campaign."""
    return _stream(con, "SELECT platform, campaign_name, sum(clicks), sum(impressions), "
                        "sum(conversions), sum(spend), sum(revenue) FROM ads_clean "
                        "WHERE day = ? GROUP BY ALL ORDER BY 6 DESC", [day])  # fmt: skip


def export_orders_csv(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Every cleaned order of the whole window as CSV; returns the file size."""
    # Unsorted: sorting a million rows would cost more than the rest of the export.
    con.execute(f"COPY (SELECT platform, order_id, local_ts, day, status, items, total_idr "
                f"FROM orders_clean) TO '{path.as_posix()}' (HEADER, DELIMITER ',')")
    return path.stat().st_size
