"""Raw rows of a report on disk: one newline-delimited JSON file per table.

Fetchers append a page at a time, so a million rows never sit in Python memory; the
aggregation reads the files with DuckDB. Columns are fixed per table (``SCHEMAS``) so
DuckDB needs no type guessing and a missing value is an explicit null.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson

__all__ = ["SCHEMAS", "RawWriter", "RawTables"]

SCHEMAS: dict[str, dict[str, str]] = {
    # a marketplace order (one row per order; ``items`` = number of lines)
    "orders": {"platform": "VARCHAR", "order_id": "VARCHAR", "created_at": "VARCHAR",
               "customer_id": "VARCHAR", "total": "DOUBLE", "currency": "VARCHAR",
               "status": "VARCHAR", "items": "INTEGER"},
    # one day of one ad group
    "ads": {"platform": "VARCHAR", "day": "DATE", "campaign_id": "VARCHAR",
            "campaign_name": "VARCHAR", "adgroup_id": "VARCHAR", "spend": "DOUBLE",
            "impressions": "BIGINT", "clicks": "BIGINT", "conversions": "DOUBLE",
            "revenue": "DOUBLE", "currency": "VARCHAR"},
    # any other daily number (shop stats, analytics, social, CRM), long format
    "daily": {"source": "VARCHAR", "platform": "VARCHAR", "day": "DATE", "metric": "VARCHAR",
              "value": "DOUBLE", "currency": "VARCHAR"},
}  # fmt: skip


class RawWriter:
    """Appends rows of one table to its file."""

    def __init__(self, path: Path, table: str) -> None:
        self.path = path
        self.table = table
        self.columns = tuple(SCHEMAS[table])
        self.rows = 0

    def write(self, rows: Iterable[dict[str, Any]]) -> int:
        """Append ``rows`` (dicts with the table's columns; absent ones become null)."""
        cols = self.columns
        lines = [orjson.dumps({c: r.get(c) for c in cols}) for r in rows]
        if lines:
            with self.path.open("ab") as fh:
                fh.write(b"\n".join(lines) + b"\n")
        self.rows += len(lines)
        return len(lines)


class RawTables:
    """The raw files of one report, in one folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.writers = {t: RawWriter(self.folder / f"{t}.ndjson", t) for t in SCHEMAS}

    def reset(self) -> None:
        """Start empty (a retried fetch must not append to a half-written earlier try)."""
        for writer in self.writers.values():
            writer.path.unlink(missing_ok=True)
            writer.rows = 0

    def __getitem__(self, table: str) -> RawWriter:
        return self.writers[table]

    def counts(self) -> dict[str, int]:
        return {t: w.rows for t, w in self.writers.items()}
