"""Server-rendered SVG bar charts with their text alternative (A6, W5): no JavaScript, readable without sight.

Each chart is a list of bars computed here; the template draws them (`annual_report/_bar_chart.html`) and
lists the same numbers in a table beside the picture.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import tables

BAR_HEIGHT, GAP, LABEL_WIDTH, PLOT_WIDTH = 22, 8, 190, 300


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    y: int
    width: int
    series: int = 0


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    description: str
    bars: list[Bar]
    height: int
    legend: tuple[str, ...] = ()
    label_width: int = LABEL_WIDTH
    plot_width: int = PLOT_WIDTH

    @property
    def width(self) -> int:
        return self.label_width + self.plot_width + 70


def _bars(items: list[tuple[str, float, str, int]], per_group: int = 1) -> tuple[list[Bar], int]:
    top = max([value for _, value, _, _ in items] + [1])
    bars, y = [], 10
    for i, (label, value, text, series) in enumerate(items):
        bars.append(Bar(label, value, text, y, int(PLOT_WIDTH * value / top) if value else 0, series))
        y += BAR_HEIGHT + (GAP if (i + 1) % per_group == 0 else 2)
    return bars, y + 10


def outcomes_chart(data: dict) -> Chart:
    """本年度办理结果 by group (一)–(六), from table 三's 总计 column."""
    table = data["table3"]
    items = []
    for group, leaves in tables.OUTCOME_GROUPS.items():
        n = sum(table[leaf.value]["total"] for leaf in leaves)
        items.append((tables.OUTCOME_GROUP_LABELS[group.value], n, f"{n}件", 0))
    bars, height = _bars(items)
    total = table[tables.TOTAL]["total"]
    return Chart("outcomes", "本年度申请办理结果", f"本年度共办结{total}件申请,各类办理结果的件数。", bars, height)


def year_on_year_chart(data: dict, previous: dict | None) -> Chart | None:
    """This year against last year: received, answered, carried into the next year."""
    if previous is None:
        return None
    rows = [("本年新收申请", tables.NEW), ("办结", tables.TOTAL), ("结转下年度", tables.CARRY_FORWARD)]
    items = []
    for label, code in rows:
        for series, (source, year) in enumerate(((previous, data["year"] - 1), (data, data["year"]))):
            n = source["table3"][code]["total"]
            items.append((f"{label}({year}年)", n, f"{n}件", series))
    bars, height = _bars(items, per_group=2)
    return Chart("year-on-year", f"{data['year']}年与{data['year'] - 1}年对比", "新收、办结、结转申请件数,上一年与本年并列。",
                 bars, height, legend=(f"{data['year'] - 1}年", f"{data['year']}年"))


def on_time_chart(summary: list) -> Chart:
    """按期答复率 per unit (city-wide summary), units with replies due in the year only."""
    items = []
    for row in summary:
        rate = row.on_time_rate
        if rate is None:
            continue
        items.append((row.unit.short_name, round(rate * 100, 1), f"{rate * 100:.1f}%({row.on_time}/{row.on_time + row.overdue})", 0))
    bars, height = _bars(items)
    return Chart("on-time", "各单位按期答复率", "各单位本年度到期的申请中按期答复的比例(按期件数/到期件数)。", bars,
                 max(height, 40))
