"""The report pipeline on sample data with known flaws (shared by the report tests)."""

from __future__ import annotations

from datetime import date

import pytest

from backend.reports import aggregate
from backend.reports.sample import SAMPLE_KINDS, write_sample

DAY = date(2026, 11, 25)
RATE = 16_000.0


@pytest.fixture(scope="package")
def built(tmp_path_factory):
    """(sample info, DuckDB connection, report data, raw folder) for report day ``DAY``."""
    folder = tmp_path_factory.mktemp("raw")
    info = write_sample(folder, report=DAY, orders=9_000, duplicates=7, missing_totals=3,
                        usd_orders=5)
    con = aggregate.open_tables(folder)
    windows = aggregate.windows_for(DAY, ["yesterday", "last_week", "last_month"])
    assert aggregate.foreign_currency_days(con, timezone="Asia/Jakarta") == [("USD", DAY)]
    data = aggregate.build(con, windows=windows, timezone="Asia/Jakarta",
                           rates={("USD", DAY): RATE}, kinds=SAMPLE_KINDS)
    yield info, con, data, folder
    con.close()
