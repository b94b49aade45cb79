"""Table 三 and table 四 counted from plain rows (A6): no database, every rule of the template."""

from dataclasses import dataclass
from datetime import date

import pytest

from disclosure.annual_report import tables
from disclosure.annual_report.models import AppealKind, AppealResult
from disclosure.applications.outcomes import OUTCOME_GROUPS, ApplicantColumn, Outcome


@dataclass
class Row:
    applicant_column: str
    received_on: date | None
    replied_on: date | None
    outcome: str = ""


@dataclass
class Appeal:
    kind: str
    filed_on: date
    result: str
    decided_on: date | None = None


def test_A6_table3_counts_across_the_year_boundary_and_the_check_holds():
    rows = [
        Row("natural", date(2024, 12, 20), date(2025, 1, 10), Outcome.DISCLOSED),  # carried in, answered
        Row("business", date(2024, 12, 30), None),  # carried in, still open → carried forward
        Row("natural", date(2025, 3, 1), date(2025, 3, 20), Outcome.NOT_HELD),
        Row("research", date(2025, 12, 28), date(2026, 1, 15), Outcome.DISCLOSED),  # carried into 2026
        Row("natural", date(2024, 6, 1), date(2024, 7, 1), Outcome.DISCLOSED),  # answered before: not in 2025
        Row("natural", date(2026, 1, 2), None),  # received after: not in 2025
    ]
    table = tables.table3_from_rows(rows, 2025)
    assert table["new"]["total"] == 2 and table["new"]["natural"] == 1 and table["new"]["research"] == 1
    assert table["carried"]["total"] == 2 and table["carried"]["business"] == 1
    assert table["disclosed"]["natural"] == 1 and table["not_held"]["natural"] == 1
    assert table["total"]["total"] == 2
    assert table["carry_forward"] == {**{c: 0 for c in tables.ALL_COLUMNS}, "business": 1, "research": 1, "total": 2}
    assert tables.check_table3(table) == []
    # the next year takes over what was carried forward
    following = tables.table3_from_rows(rows, 2026)
    assert following["carried"]["total"] == 2 and following["new"]["total"] == 1


@pytest.mark.parametrize("outcome", [leaf for leaves in OUTCOME_GROUPS.values() for leaf in leaves])
@pytest.mark.parametrize("column", list(ApplicantColumn))
def test_A6_every_leaf_outcome_lands_in_its_row_and_applicant_column(outcome, column):
    table = tables.table3_from_rows([Row(column.value, date(2025, 2, 1), date(2025, 2, 20), outcome.value)], 2025)
    assert table[outcome.value][column.value] == 1
    assert table[outcome.value]["total"] == 1
    others = [(r, c) for r in tables.OUTCOME_ROWS for c in tables.COLUMNS
              if table[r][c] and (r, c) != (outcome.value, column.value)]
    assert others == []
    assert tables.check_table3(table) == []


def test_A6_a_hand_broken_number_fails_the_check_naming_the_cell():
    table = tables.table3_from_rows([Row("natural", date(2025, 2, 1), date(2025, 2, 20), Outcome.DISCLOSED)], 2025)
    table["carry_forward"]["natural"] = 1  # typed over by hand
    failures = tables.check_table3(table)
    cells = {f.cell for f in failures}
    assert "“四、结转下年度继续办理”行“总计”列" in cells  # the row total no longer adds up
    assert any("“自然人”列" in f.message and "第一项加第二项之和为1" in f.message for f in failures)


def test_A6_table3_layout_has_the_template_rowspans():
    layout = tables.table3_layout(tables.empty_table3())
    assert len(layout) == 25  # 一, 二, 21 outcome leaves, (七), 四 … and nothing else
    heads = [h for row in layout for h in row["heads"]]
    assert any(h.text == "三、本年度办理结果" and h.rowspan == 22 for h in heads)
    assert any(h.text == "(三)不予公开" and h.rowspan == 8 for h in heads)
    assert any(h.text == "(四)无法提供" and h.rowspan == 3 for h in heads)
    assert any(h.text == "(五)不予处理" and h.rowspan == 5 for h in heads)
    assert any(h.text == "(六)其他处理" and h.rowspan == 3 for h in heads)
    # each row's own header cells, with those spanned down from rows above, fill the three header columns
    spans = {row["code"]: sum(h.colspan for h in row["heads"]) for row in layout}
    assert (spans["new"], spans["disclosed"], spans["secret"], spans["law_forbids"], spans["total"]) == (3, 3, 2, 1, 2)


def test_A6_table4_counts_by_result_as_it_stood_on_31_december():
    records = [
        Appeal(AppealKind.RECONSIDERATION, date(2025, 3, 1), AppealResult.UPHELD, date(2025, 5, 1)),
        Appeal(AppealKind.RECONSIDERATION, date(2025, 4, 1), AppealResult.CORRECTED, date(2025, 6, 1)),
        Appeal(AppealKind.RECONSIDERATION, date(2025, 11, 1), AppealResult.UPHELD, date(2026, 1, 20)),  # pending then
        Appeal(AppealKind.DIRECT_SUIT, date(2025, 7, 1), AppealResult.OTHER, date(2025, 9, 1)),
        Appeal(AppealKind.SUIT_AFTER_RECONSIDERATION, date(2025, 8, 1), AppealResult.PENDING),
        Appeal(AppealKind.DIRECT_SUIT, date(2024, 7, 1), AppealResult.UPHELD, date(2024, 9, 1)),  # another year
    ]
    table = tables.table4_from_records(records, 2025)
    assert table["reconsideration"] == {"upheld": 1, "corrected": 1, "other": 0, "pending": 1, "total": 3}
    assert table["direct_suit"] == {"upheld": 0, "corrected": 0, "other": 1, "pending": 0, "total": 1}
    assert table["suit_after"] == {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1}
    assert tables.table4_layout(table) == [1, 1, 0, 1, 3, 0, 0, 1, 0, 1, 0, 0, 0, 1, 1]
