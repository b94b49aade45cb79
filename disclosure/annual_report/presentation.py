"""What every rendering of a report needs: the layouts of its tables, its checks and charts (A6)."""

from __future__ import annotations

from decimal import Decimal

from . import charts, selectors, tables
from .models import OVERVIEW_FIELDS, Report


def report_context(report: Report, data: dict, *, previous: dict | None = None) -> dict:
    failures = selectors.checks(data)
    sections = data["sections"]
    overview = [(f"({n}){Report._meta.get_field(f).verbose_name}", sections.get(f, ""))
                for n, f in zip("一二三四五", OVERVIEW_FIELDS)]
    return {
        "report": report, "data": data,
        "table2": tables.table2_layout(data["table2"]),
        "table3": tables.table3_layout(data["table3"]),
        "table4": tables.table4_layout(data["table4"]),
        "columns": [tables.COLUMN_LABELS[c] for c in tables.COLUMNS],
        "results": [tables.RESULT_LABELS[r] for r in tables.RESULTS],
        "corner_note": tables.CORNER_NOTE,
        "overview": overview, "sections": sections,
        "fees_collected": Decimal(data["fees_collected"]),
        "failures": failures, "failed_cells": {f.cell for f in failures},
        "outcomes_chart": charts.outcomes_chart(data),
        "year_chart": charts.year_on_year_chart(data, previous),
    }
