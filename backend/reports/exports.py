"""Raw rows out of the report's DuckDB: streamed for the workbook, copied for the CSV."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from backend.reports import labels
from backend.reports.locale import lang_of, zone_label

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


def export_orders_csv(con: duckdb.DuckDBPyConnection, path: Path, *, language: str = "id",
                      timezone: str = "Asia/Jakarta") -> int:
    """Every cleaned order of the whole window as CSV, its columns named in ``language``
    and its platforms by name (Shopee, TikTok Shop); returns the file size."""
    lang = lang_of(language)
    names = {p: labels.platform(p) for p in labels.PLATFORM_KEYS}
    platform = "CASE platform " + " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in names.items()) \
        + " ELSE platform END"  # fmt: skip

    def head(key: str, suffix: str = "") -> str:
        return '"' + labels.text(key, lang=lang) + suffix + '"'

    columns = [f"{platform} AS {head('platform')}", f"order_id AS {head('order_id')}",
               f"local_ts AS {head('local_time', f' ({zone_label(timezone)})')}",
               f"day AS {head('date')}", f"status AS {head('status')}",
               f"items AS {head('items')}",
               f"total_idr AS {head('total', ' (Rp)' if lang == 'id' else ' (IDR)')}"]  # fmt: skip
    # Unsorted: sorting a million rows would cost more than the rest of the export.
    con.execute(f"COPY (SELECT {', '.join(columns)} FROM orders_clean) "
                f"TO '{path.as_posix()}' (HEADER, DELIMITER ',')")
    return path.stat().st_size
