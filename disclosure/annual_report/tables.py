"""The report's tables in the national format (国办公开办函〔2021〕30号), computed and checked (A6).

Pure functions over plain rows, so the counting rules are tested without a database:

- table 二 from the documents' classification and validity (disclosure's selector) and the entered rows;
- table 三 from the applications (feat13's `applications_for_annual_report` rows: `applicant_column`,
  `received_on`, `replied_on`, `outcome`) — 一 本年新收 by receipt date in the year; 二 上年结转 received
  before 1 January and not answered by then; 三 by outcome for those answered in the year; 四 not answered by
  31 December;
- table 四 from the appeal records: cases filed in the year, each under its result as it stood on
  31 December (decided later = 尚未审结).

The layouts (`table2_layout`, `table3_layout`, `table4_layout`) are the one description of where each
number sits; the HTML page, the PDF, the CSV and the XLSX all read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from disclosure.applications.outcomes import OUTCOME_GROUPS, ApplicantColumn, Outcome, OutcomeGroup

from .models import AppealKind, AppealResult

COLUMNS = [c.value for c in ApplicantColumn]
ALL_COLUMNS = [*COLUMNS, "total"]
COLUMN_LABELS = {**{c.value: c.label for c in ApplicantColumn}, "total": "总计"}
NEW, CARRIED, TOTAL, CARRY_FORWARD = "new", "carried", "total", "carry_forward"
OUTCOME_ROWS = [leaf.value for leaves in OUTCOME_GROUPS.values() for leaf in leaves]
TABLE3_ROWS = [NEW, CARRIED, *OUTCOME_ROWS, TOTAL, CARRY_FORWARD]
ROW_LABELS = {
    NEW: "一、本年新收政府信息公开申请数量",
    CARRIED: "二、上年结转政府信息公开申请数量",
    TOTAL: "(七)总计",
    CARRY_FORWARD: "四、结转下年度继续办理",
    Outcome.DISCLOSED.value: "(一)予以公开",
    Outcome.PARTLY_DISCLOSED.value: "(二)部分公开(区分处理的,只计这一情形,不计其他情形)",
}
for _group, _leaves in OUTCOME_GROUPS.items():
    if len(_leaves) > 1:
        for _i, _leaf in enumerate(_leaves, start=1):
            ROW_LABELS[_leaf.value] = f"{_i}.{_leaf.label}"
RESULTS = [r.value for r in AppealResult] + ["total"]
RESULT_LABELS = {**{r.value: r.label for r in AppealResult}, "total": "总计"}
KINDS = [k.value for k in AppealKind]
CORNER_NOTE = "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)"


# --- table 三 ------------------------------------------------------------------------------------


def empty_table3() -> dict[str, dict[str, int]]:
    return {row: {col: 0 for col in ALL_COLUMNS} for row in TABLE3_ROWS}


def table3_from_rows(rows, year: int) -> dict[str, dict[str, int]]:
    """Count the applications into table 三 (A6). Rows outside the year's window are ignored."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    table = empty_table3()
    for row in rows:
        column = row.applicant_column if row.applicant_column in COLUMNS else ApplicantColumn.OTHER_ORGANISATION
        received, replied = row.received_on, row.replied_on
        if received is None or received > end or (replied is not None and replied < start):
            continue
        table[NEW if received >= start else CARRIED][column] += 1
        if replied is not None and replied <= end:
            outcome = row.outcome if row.outcome in OUTCOME_ROWS else Outcome.OTHER.value
            table[outcome][column] += 1
            table[TOTAL][column] += 1
        else:
            table[CARRY_FORWARD][column] += 1
    for values in table.values():
        values["total"] = sum(values[c] for c in COLUMNS)
    return table


def cell_name(row: str, column: str) -> str:
    """How a person names a cell: “(七)总计”行“自然人”列."""
    return f"“{ROW_LABELS[row]}”行“{COLUMN_LABELS[column]}”列"


@dataclass(frozen=True)
class CheckFailure:
    cell: str
    message: str


def check_table3(table: dict[str, dict[str, int]]) -> list[CheckFailure]:
    """The template's checks (A6): in every column 一 + 二 = (七)总计 + 四, and (七) is the sum of the
    outcome rows; in every row 总计 = the sum of the six applicant columns. Each failure names its cell."""
    failures = []
    for row in TABLE3_ROWS:
        summed = sum(table[row][c] for c in COLUMNS)
        if table[row]["total"] != summed:
            failures.append(CheckFailure(cell_name(row, "total"),
                                         f"{cell_name(row, 'total')}为{table[row]['total']},"
                                         f"不等于各类申请人之和{summed}。"))
    for column in ALL_COLUMNS:
        outcomes = sum(table[row][column] for row in OUTCOME_ROWS)
        if table[TOTAL][column] != outcomes:
            failures.append(CheckFailure(cell_name(TOTAL, column),
                                         f"{cell_name(TOTAL, column)}为{table[TOTAL][column]},"
                                         f"不等于(一)至(六)各项之和{outcomes}。"))
        left = table[NEW][column] + table[CARRIED][column]
        right = table[TOTAL][column] + table[CARRY_FORWARD][column]
        if left != right:
            failures.append(CheckFailure(
                cell_name(CARRY_FORWARD, column),
                f"“{COLUMN_LABELS[column]}”列:第一项加第二项之和为{left},第三项(七)总计加第四项之和为{right},"
                f"两者不相等(请核对{cell_name(TOTAL, column)}与{cell_name(CARRY_FORWARD, column)})。"))
    return failures


# --- table 四 ------------------------------------------------------------------------------------


def table4_from_records(records, year: int) -> dict[str, dict[str, int]]:
    """The 15 numbers of table 四: cases filed in the year, by their result as it stood on 31 December."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    table = {kind: {r: 0 for r in RESULTS} for kind in KINDS}
    for record in records:
        if not start <= record.filed_on <= end:
            continue
        decided = record.result != AppealResult.PENDING and record.decided_on and record.decided_on <= end
        result = record.result if decided else AppealResult.PENDING.value
        table[record.kind][result] += 1
        table[record.kind]["total"] += 1
    return table


# --- layouts: where each number sits, for every rendering ---------------------------------------------


@dataclass(frozen=True)
class Head:
    text: str
    rowspan: int = 1
    colspan: int = 1


def table3_layout(table: dict[str, dict[str, int]]) -> list[dict]:
    """Rows of table 三 as the template lays them out: header cells (with spans), then the seven numbers."""
    rows = []

    def add(code: str, heads: list[Head]):
        rows.append({"code": code, "heads": heads, "label": ROW_LABELS[code],
                     "values": [table[code][c] for c in ALL_COLUMNS],
                     "items": [(table[code][c], cell_name(code, c)) for c in ALL_COLUMNS]})

    add(NEW, [Head(ROW_LABELS[NEW], colspan=3)])
    add(CARRIED, [Head(ROW_LABELS[CARRIED], colspan=3)])
    result_rows = len(OUTCOME_ROWS) + 1
    first = True
    for group, leaves in OUTCOME_GROUPS.items():
        heads = [Head("三、本年度办理结果", rowspan=result_rows)] if first else []
        first = False
        if len(leaves) == 1:
            add(leaves[0].value, heads + [Head(ROW_LABELS[leaves[0].value], colspan=2)])
            continue
        for i, leaf in enumerate(leaves):
            group_head = [Head(OutcomeGroup(group).label, rowspan=len(leaves))] if i == 0 else []
            add(leaf.value, heads + group_head + [Head(ROW_LABELS[leaf.value])])
            heads = []
    add(TOTAL, [Head(ROW_LABELS[TOTAL], colspan=2)])
    add(CARRY_FORWARD, [Head(ROW_LABELS[CARRY_FORWARD], colspan=3)])
    return rows


def _number(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, (Decimal, float)):
        return f"{Decimal(value).normalize():f}"
    return str(value)


def table2_layout(table2: dict) -> list[dict]:
    """Table 二's four sub-tables: a caption row, a header row, then the rows with their numbers."""
    def count(key):
        return table2[key]

    return [
        {"item": "第二十条第(一)项", "headers": ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
         "rows": [{"label": "规章", "values": [table2["regulation"][k] for k in ("issued", "repealed", "in_force")]},
                  {"label": "行政规范性文件",
                   "values": [table2["normative"][k] for k in ("issued", "repealed", "in_force")]}]},
        {"item": "第二十条第(五)项", "headers": ["信息内容", "本年处理决定数量"],
         "rows": [{"label": "行政许可", "values": [count("licensing")]}]},
        {"item": "第二十条第(六)项", "headers": ["信息内容", "本年处理决定数量"],
         "rows": [{"label": "行政处罚", "values": [count("penalty")]},
                  {"label": "行政强制", "values": [count("enforcement")]}]},
        {"item": "第二十条第(八)项", "headers": ["信息内容", "本年收费金额(单位:万元)"],
         "rows": [{"label": "行政事业性收费",
                   "values": [_number(Decimal(table2["fees_wan"])) if table2["fees_wan"] is not None else None]}]},
    ]


def table4_layout(table4: dict) -> list[int]:
    """The one row of 15 numbers, in the template's order."""
    return [table4[kind][r] for kind in KINDS for r in RESULTS]


def flat_cells(data: dict) -> list[tuple[str, str, str, str]]:
    """Every number of the report as (table, row, column, value): the CSV, the XLSX and the tests read this."""
    cells = []
    for sub in table2_layout(data["table2"]):
        for row in sub["rows"]:
            for header, value in zip(sub["headers"][1:], row["values"]):
                cells.append(("二、主动公开政府信息情况", f"{sub['item']} {row['label']}", header, _number(value)))
    for row in table3_layout(data["table3"]):
        for column, value in zip(ALL_COLUMNS, row["values"]):
            cells.append(("三、收到和处理政府信息公开申请情况", row["label"], COLUMN_LABELS[column], _number(value)))
    for kind in KINDS:
        for result in RESULTS:
            cells.append(("四、政府信息公开行政复议、行政诉讼情况", AppealKind(kind).label, RESULT_LABELS[result],
                          _number(data["table4"][kind][result])))
    cells.append(("六、其他需要报告的事项", "信息处理费", "本年实际收取(元)", _number(Decimal(data["fees_collected"]))))
    return cells


def number_text(value) -> str:
    return _number(value)


OUTCOME_GROUP_CODES = [g.value for g in OutcomeGroup]
OUTCOME_GROUP_LABELS = {g.value: g.label for g in OutcomeGroup}


def group_of(outcome: str) -> str:
    from disclosure.applications.outcomes import GROUP_OF

    group = GROUP_OF.get(outcome)
    return group.value if group is not None else OutcomeGroup.OTHER.value
