"""The report as CSV, XLSX and PDF — every number from `tables.flat_cells`, the PDF from the HTML template.

WeasyPrint renders the same template the page uses (print styles, the CJK font from the distribution's
`fonts-noto-cjk`); openpyxl writes the workbook. Both are pinned in requirements.txt.
"""

from __future__ import annotations

import csv
import io


from . import tables
from tongchuan_portal.core.pdf import render_pdf

HEADER = ["表格", "项目", "栏目", "数值"]


def csv_bytes(data: dict) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(tables.flat_cells(data))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM lets Excel read it as UTF-8


def xlsx_bytes(data: dict, *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "年度报告数据"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True)
    sheet.append(HEADER)
    for table, row, column, value in tables.flat_cells(data):
        number = _as_number(value)
        sheet.append([table, row, column, number if number is not None else value])
    for letter, width in zip("ABCD", (36, 60, 24, 12)):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _as_number(value: str):
    try:
        return int(value)
    except ValueError:
        try:
            return float(value)
        except ValueError:
            return None


def pdf_bytes(context: dict, *, base_url: str) -> bytes:
    return render_pdf("annual_report/report_pdf.html", context, stylesheet="css/pdf/annual_report.css",
                      base_url=base_url)
