"""One table on a write-only worksheet, laid out as a finance person expects it.

The header row is bold, frozen (with the first column) and carries an autofilter over
the table's rows; every column has a width that fits its header and figures and a
number format (Rupiah, counts, percentages, ROAS, dates) applied to every cell. Cells
are written through one styled template per column: openpyxl's write-only mode writes
each row as it is appended, so reusing the template costs no style lookup per cell
(a 20,000-row order sheet fully formatted costs about a tenth more than plain values).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from backend.reports.locale import lang_of

__all__ = ["Column", "Table", "number_format", "FORMATS"]

# Excel formats by kind. The separators follow the reader's Excel; dates in Indonesian
# carry the locale code so the months read "Des", "Agu" in any Excel.
FORMATS: dict[str, str] = {
    "money": '"Rp" #,##0', "count": "#,##0", "pct": "0.00%", "delta": "+0.0%;-0.0%;0.0%",
    "times": '0.00"x"',
}  # fmt: skip
_DATES = {"id": ("[$-421]d mmm yyyy", "[$-421]d mmm yyyy hh:mm"),
          "en": ("d mmm yyyy", "d mmm yyyy hh:mm")}  # fmt: skip
_WIDTH = {"money": 17, "count": 11, "pct": 10, "delta": 10, "times": 9, "date": 13,
          "datetime": 18, None: 14}  # fmt: skip
_HEADER_FILL = PatternFill("solid", fgColor="F3F4F6")


class _Template(Cell):  # type: ignore[misc]
    """A formatted cell every value of a column is written through: its style never
    changes, so its style id is looked up once instead of hashed again per value."""

    __slots__ = ("_style_id",)

    @property
    def style_id(self) -> int:
        return int(self._style_id)

    @property
    def has_style(self) -> bool:  # asked twice per cell written; always true here
        return True


def _cells_of(ws: Any) -> Callable[[Sequence[Any], int], Iterator[Cell]]:
    """What openpyxl's write-only ``append`` does with a row, minus its cost for styled
    cells: it binds every value to a scratch cell and learns that a value *is* a cell
    from the ValueError binding raises (formatting the cell's repr for the message),
    which made the order sheet's formats cost a third more time than its values. Same
    cells out, in the same order; the tables here carry no hyperlinks or comments."""
    def values_to_row(values: Sequence[Any], row_idx: int) -> Iterator[Cell]:
        scratch = WriteOnlyCell(ws)
        for col_idx, value in enumerate(values, 1):
            if value is None:
                continue
            if isinstance(value, Cell):
                cell = value
            else:
                scratch.value = value
                cell = scratch
            cell.column, cell.row = col_idx, row_idx
            yield cell

    return values_to_row


def number_format(kind: str, *, lang: str) -> str:
    if kind in ("date", "datetime"):
        return _DATES[lang_of(lang)][kind == "datetime"]
    return FORMATS[kind]


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its header, what its cells hold (a FORMATS key, date, datetime or None
    for text) and, when the default does not fit, its width in characters."""

    header: str
    kind: str | None = None
    width: float | None = None


class Table:
    """A sheet holding one table below optional title rows."""

    def __init__(self, wb: Workbook, *, title: str, columns: Sequence[Column], lang: str,
                 top: Sequence[Sequence[Any]] = (), freeze_first_column: bool = True) -> None:
        self.ws = wb.create_sheet(title)
        # openpyxl 3.1's write-only sheet converts each appended row with this method.
        self.ws._values_to_row = _cells_of(self.ws)
        self.columns = list(columns)
        self.lang = lang
        self.header_row = len(top) + 1
        self.rows = 0
        for i, col in enumerate(self.columns, 1):
            width = max(col.width or _WIDTH[col.kind], len(col.header) + 3)
            self.ws.column_dimensions[get_column_letter(i)].width = width
        # Panes before the first row: write-only mode writes the sheet's view first.
        first_free = "B" if freeze_first_column else "A"
        self.ws.freeze_panes = f"{first_free}{self.header_row + 1}"
        self._templates: dict[tuple[int, str], _Template] = {}
        self._by_column = [None if c.kind is None else self._template(i, c.kind)
                           for i, c in enumerate(self.columns)]  # fmt: skip
        for i, row in enumerate(top):
            self.ws.append([self._title(v, big=i == 0) if isinstance(v, str) else v
                            for v in row])  # fmt: skip
        self.ws.append([self._header(c.header) for c in self.columns])

    def _template(self, column: int, kind: str) -> _Template:
        # One per column and format: a row holds each template once.
        cell = self._templates.get((column, kind))
        if cell is None:
            cell = _Template(self.ws, row=1, column=1)
            cell.number_format = number_format(kind, lang=self.lang)
            cell._style_id = self.ws.parent._cell_styles.add(cell._style)
            self._templates[(column, kind)] = cell
        return cell

    def _title(self, value: str, *, big: bool) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.ws, value=value)
        cell.font = Font(bold=big, size=14 if big else 10, color=None if big else "4B5563")
        return cell

    def _header(self, value: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.ws, value=value)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        return cell

    def cell(self, value: Any, kind: str) -> WriteOnlyCell:
        """A single formatted cell (for rows outside the table)."""
        cell = WriteOnlyCell(self.ws, value=value)
        cell.number_format = number_format(kind, lang=self.lang)
        return cell

    def _text(self, value: str) -> WriteOnlyCell:
        # Text from outside (a campaign called "=HYPERLINK(...)") stays text, never a
        # formula the reader's Excel would run.
        cell = WriteOnlyCell(self.ws, value=value)
        cell.data_type = "s"
        return cell

    def add(self, values: Sequence[Any], *, kinds: Sequence[str | None] | None = None) -> None:
        """Append one row of the table; each value gets its column's format, or the
        one ``kinds`` names for this row (a table of mixed metrics)."""
        if kinds is None:
            templates = self._by_column
        else:
            templates = [None if k is None else self._template(i, k) for i, k in enumerate(kinds)]
        row: list[Any] = []
        for value, template in zip(values, templates, strict=False):
            if value is None or isinstance(value, str):
                row.append(self._text(value) if value and value[0] == "=" else value)
            elif template is None:
                row.append(value)
            else:
                template.value = value
                row.append(template)
        self.ws.append(row)
        self.rows += 1

    def add_all(self, rows: Iterable[Sequence[Any]]) -> None:
        for values in rows:
            self.add(values)

    def close(self) -> None:
        """Put the filter over the header and the rows written (call before free rows
        such as notes are appended below the table)."""
        last = get_column_letter(len(self.columns))
        self.ws.auto_filter.ref = f"A{self.header_row}:{last}{self.header_row + self.rows}"

    def note(self, *values: Any) -> None:
        """A row below the table (after :meth:`close`): a note, an insight."""
        self.ws.append([self._text(v) if isinstance(v, str) and v.startswith("=") else v
                        for v in values])  # fmt: skip
