"""The report files read back as a finance person would open them.

Workbook (openpyxl): every sheet formats its figures (Rupiah, counts, percentages),
dates are date cells, the header row is frozen and filtered, headers are words of the
report's language (no snake_case), columns are wide enough for their headers, and a
cut detail sheet says where it was cut. PDF (pypdf): the report's language with no
word of the other one, the job's time zone, small tables sharing pages, and a cover
with the headline figures and their change. The email text speaks the same language.
"""

from __future__ import annotations

import csv
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pypdf
import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_from_string, range_boundaries

from backend.ai.insights import bi_insights
from backend.reports import exports
from backend.reports.excel import render_excel, sheet_names
from backend.reports.locale import stamp
from backend.reports.pdf import fmt_delta, fmt_value, render_pdf
from backend.workflows.bi_report.publish import summary_text
from tests.reports.conftest import DAY

GENERATED = datetime(2026, 12, 7, 2, 30, tzinfo=UTC)  # 09.30 in Jakarta
# Words of the English report that must not survive in the Indonesian one, and back.
ENGLISH = ("Sales", "Orders", "Visitors", "Revenue", "Spend", "Report", "Generated", "Page",
           "Summary", "Executive", "Charts", "Top campaigns", "Appendix", "Yesterday",
           "Last week", "Last month", "Nothing notable", "Duplicate", "Check", "Detail",
           "Rows", "Unique", "Metric", "Conversion", "Clicks", "Impressions", "Followers",
           "Engagement", "Sessions", "Users", "Bounce", "customers", "Insights", "offline",
           "per day", "by hour", "Daily", "Time zone", "UTC", "warning", "Kind", "Channel",
           "Date", "IDR", "missing", "dropped", "present")  # fmt: skip
INDONESIAN = ("Penjualan", "Pesanan", "Pengunjung", "Halaman", "Dibuat", "minggu lalu",
              "Lampiran", "Ringkasan", "Biaya", "Tanggal", "Kemarin", "Peringatan",
              "dari", "baris", "Pelanggan")  # fmt: skip
SEED_PAGE_BOUND = 8  # cover, summary, figures, charts, platforms (2-3), campaigns + appendix


def _words_of(text: str, words: tuple[str, ...]) -> list[str]:
    """Each of ``words`` found in ``text``, with the line it is on."""
    found = []
    for w in words:
        pattern = re.compile(rf"\b{re.escape(w)}\b", re.IGNORECASE)
        found += [f"{w}: {line}" for line in text.splitlines() if pattern.search(line)][:1]
    return found


def assert_none_of(words: tuple[str, ...], text: str) -> None:
    found = _words_of(text, words)
    assert not found, "\n".join(found)


def _insights(data: dict, lang: str) -> dict:
    s = data["series"]
    return bi_insights(metrics={m: [v or 0.0 for v in s[m]] for m in
                                ("sales", "orders", "visitors", "ad_spend")},
                       dates=[date.fromisoformat(d) for d in s["dates"]],
                       language=lang).model_dump()  # fmt: skip


@pytest.fixture(scope="module", params=["id", "en"])
def files(request, built, tmp_path_factory) -> tuple[str, dict, Path, Path, dict[str, int]]:
    _, con, data, _ = built
    lang = request.param
    folder = tmp_path_factory.mktemp(f"files-{lang}")
    insights = _insights(data, lang)
    render_pdf(data, insights, path=folder / "r.pdf", title="Toko Maju", job_id="bi",
               language=lang, generated_at=GENERATED)  # fmt: skip
    rows = render_excel(data, insights, path=folder / "r.xlsx", language=lang,
                        orders=exports.day_orders(con, DAY), ads=exports.day_ads(con, DAY),
                        max_raw_rows=100, generated_at=GENERATED)  # fmt: skip
    return lang, data, folder / "r.pdf", folder / "r.xlsx", rows


def _header_row(ws) -> int:
    """The row above the frozen panes: the table's header."""
    assert ws.freeze_panes, f"{ws.title}: no frozen header"
    return coordinate_from_string(ws.freeze_panes)[1] - 1


def test_every_sheet_is_formatted_frozen_and_filtered(files):
    lang, _, _, xlsx, _ = files
    wb = load_workbook(xlsx)
    assert tuple(wb.sheetnames) == sheet_names(lang)
    for ws in wb.worksheets:
        header = _header_row(ws)
        assert header >= 1
        # The filter starts at the header and covers the table's rows.
        first_col, first_row, _, last_row = range_boundaries(ws.auto_filter.ref)
        assert (first_col, first_row) == (1, header) and last_row > header, ws.title
        figures = 0
        for row in ws.iter_rows(min_row=header + 1):
            for cell in row:
                if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    assert cell.number_format != "General", f"{ws.title}!{cell.coordinate}"
                    figures += 1
        assert figures, f"{ws.title}: no formatted figure"


def test_dates_are_date_cells(files):
    lang, data, _, xlsx, _ = files
    wb = load_workbook(xlsx)
    daily = wb[sheet_names(lang)[1]]
    days = [c for (c,) in daily.iter_rows(min_row=2, max_col=1)]
    assert len(days) == len(data["series"]["dates"])
    assert all(c.is_date and isinstance(c.value, datetime) for c in days)
    assert days[-1].value.date() == DAY
    orders = wb[sheet_names(lang)[4]]
    times = [c for (c,) in orders.iter_rows(min_row=2, min_col=3, max_col=3, max_row=101)]
    assert all(c.is_date and c.value.date() == DAY for c in times)
    assert any(c.value.hour or c.value.minute for c in times)  # the time is kept too
    summary = wb[sheet_names(lang)[0]]
    assert any(c.is_date and c.value.date() == DAY for row in summary.iter_rows() for c in row)


def test_the_workbook_says_when_in_the_jobs_zone(files):
    lang, _, _, xlsx, _ = files
    top = " ".join(str(c.value) for row in load_workbook(xlsx).worksheets[0].iter_rows(max_row=2)
                   for c in row if c.value)  # fmt: skip
    expected = "Dibuat 7 Des 2026 09.30 WIB" if lang == "id" else "Generated 7 Dec 2026 09:30 WIB"
    assert expected in top and "UTC" not in top


def test_headers_are_words_and_fit_their_columns(files):
    lang, _, _, xlsx, _ = files
    wb = load_workbook(xlsx)
    for ws in wb.worksheets:
        header = _header_row(ws)
        for cell in ws[header]:
            if cell.value is None:
                continue
            name = str(cell.value)
            assert "_" not in name and not re.search(r"[a-z][A-Z]", name), (ws.title, name)
            if lang == "id":
                assert_none_of(ENGLISH, name)
            width = ws.column_dimensions[get_column_letter(cell.column)].width
            assert width >= min(len(name), 40), (ws.title, name, width)
    summary = [c.value for c in wb.worksheets[0][_header_row(wb.worksheets[0])]]
    if lang == "id":
        assert {"Metrik", "Hari laporan", "Minggu lalu", "Δ vs minggu lalu"} <= set(summary)
    else:
        assert {"Metric", "Report day", "Last week", "Δ vs last week"} <= set(summary)


def test_a_cut_detail_sheet_names_its_cap(files):
    lang, _, _, xlsx, rows = files
    ws = load_workbook(xlsx)[sheet_names(lang)[4]]
    assert rows["orders"] == 100
    _, _, _, last_filtered = range_boundaries(ws.auto_filter.ref)
    assert last_filtered == 101  # header + the 100 rows: the note is not sorted into them
    note = str(ws.cell(row=ws.max_row, column=1).value)
    assert ws.max_row > last_filtered and "100" in note
    assert ("Dipotong" in note) if lang == "id" else ("Cut at" in note)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_full_orders_csv_names_its_columns_in_words(built, tmp_path, lang):
    _, con, _, _ = built
    exports.export_orders_csv(con, tmp_path / "o.csv", language=lang, timezone="Asia/Jakarta")
    with (tmp_path / "o.csv").open(newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    assert all("_" not in h for h in header)
    assert header[:3] == (["Platform", "No. pesanan", "Waktu (WIB)"] if lang == "id" else
                          ["Platform", "Order number", "Local time (WIB)"])  # fmt: skip
    assert {r[0] for r in rows[1:]} == {"Shopee", "Tokopedia", "Lazada"}
    assert len(rows) - 1 == con.execute("SELECT count(*) FROM orders_clean").fetchone()[0]


def test_the_pdf_speaks_one_language_in_the_jobs_time_zone(files):
    lang, _, pdf, _, _ = files
    reader = pypdf.PdfReader(pdf)
    text = "\n".join(page.extract_text() for page in reader.pages)
    pages = len(reader.pages)
    if lang == "id":
        assert_none_of(ENGLISH, text)
        assert "Dibuat 7 Des 2026 09.30 WIB" in text and f"Halaman 2 dari {pages}" in text
    else:
        assert_none_of(INDONESIAN, text)
        assert "Generated 7 Dec 2026 09:30 WIB" in text and f"Page 2 of {pages}" in text
    # Small tables share pages: nine platforms used to take nine pages on their own.
    assert pages <= SEED_PAGE_BOUND


def test_the_cover_carries_the_headline_figures(files):
    lang, data, pdf, _, _ = files
    cover = pypdf.PdfReader(pdf).pages[0].extract_text()
    report, week = data["totals"]["report"], data["deltas"]["last_week"]
    for metric in ("sales", "orders", "roas", "ad_spend", "visitors", "conversion_rate"):
        assert fmt_value(metric, report[metric], lang=lang) in cover, metric
    vs = "vs minggu lalu" if lang == "id" else "vs last week"
    assert f"{fmt_delta(week['sales'], lang=lang)} {vs}" in cover
    assert fmt_delta(week["sales"], lang=lang).startswith("−")  # the sample's day is down


def test_the_message_text_speaks_the_reports_language(built):
    _, _, data, _ = built
    for lang in ("id", "en"):
        text = summary_text(data, _insights(data, lang), language=lang)
        sales = fmt_value("sales", data["totals"]["report"]["sales"], lang=lang)
        if lang == "id":
            assert f"Penjualan: {sales}" in text and "vs minggu lalu" in text
            assert_none_of(ENGLISH, text)
        else:
            assert f"Sales: {sales}" in text and "vs last week" in text
            assert_none_of(INDONESIAN, text)


@pytest.mark.parametrize(("tz", "expected"), [
    ("Asia/Jakarta", "7 Des 2026 09.30 WIB"), ("Asia/Makassar", "7 Des 2026 10.30 WITA"),
    ("Asia/Jayapura", "7 Des 2026 11.30 WIT"), ("Europe/Berlin", "7 Des 2026 03.30 CET"),
])  # fmt: skip
def test_times_carry_the_zones_name(tz, expected):
    assert stamp(GENERATED, tz=tz, lang="id") == expected


def test_formula_like_text_from_outside_stays_text(built, tmp_path):
    _, _, data, _ = built
    evil = '=HYPERLINK("http://169.254.169.254","x")'
    data = {**data, "campaigns": [{"platform": "google_ads", "campaign": evil, "spend": 1.0,
                                   "revenue": 2.0, "roas": 2.0}]}
    render_excel(data, {"anomalies": [evil]}, path=tmp_path / "r.xlsx")
    wb = load_workbook(tmp_path / "r.xlsx")
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == evil]
    assert len(cells) == 2 and all(c.data_type == "s" for c in cells)
