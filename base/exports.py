"""CSV and Excel downloads. CSV: semicolon-separated UTF-8 with a byte-order mark, the form Swedish
spreadsheet programs open directly; streamed, so a long export holds no memory. Every
export goes through ``csv_response``, which neutralises cells that a spreadsheet would
run as formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.text import slugify

#: What makes a spreadsheet read a cell as a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A cell as written: text that a spreadsheet would take for a formula gets a
    leading apostrophe, which the spreadsheet shows as text and does not display;
    numbers and dates are written as they are."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(
    name: str, header: list[Any], rows: Iterable[Iterable[Any]]
) -> StreamingHttpResponse:
    writer = csv.writer(_Echo(), delimiter=";")

    def lines() -> Iterator[str]:
        yield "\ufeff"
        yield writer.writerow([csv_cell(str(column)) for column in header])
        for row in rows:
            yield writer.writerow([csv_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(name)}.csv"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(
    name: str, header: list[Any], sheets: Iterable[tuple[str, Iterable[Iterable[Any]]]]
) -> HttpResponse:
    """An Excel workbook: one sheet per ``(title, rows)``, each with the header row in
    bold and frozen, numbers, dates and times as real cells; text is neutralised as in
    the CSV (a cell is never a formula)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append([str(column) for column in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for row in rows:
            sheet.append([csv_cell(value) for value in row])
    if not workbook.sheetnames:
        workbook.create_sheet(title="-").append([str(column) for column in header])
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{slugify(name)}.xlsx"'
    return response
