"""The report's due dates on the one deadline engine (A6; 条例第四十九、五十条), a calendar-date rule each.

Departments publish by 31 January, governments (the city, each district) by 31 March, of the year after the
one reported on. Reminders go to the unit's staff from 1 January; a miss goes to the unit head and, as the
escalation, to the city office.
"""

from datetime import timedelta

from tongchuan_portal.clock.models import RuleKind
from tongchuan_portal.clock.registry import CITY_OFFICE, OWNERS, UNIT_HEAD, Escalation, Rule, register

DEPARTMENT = "annual_report.department"
GOVERNMENT = "annual_report.government"

_DAYS_LEFT = (14, 7, 3, 1)


def register_rules() -> None:
    common = {"rule_id": "A6", "kind": RuleKind.CALENDAR_DATE, "owner_roles": ("clerk", "transparency_office"),
              "escalations": (Escalation(timedelta(0), (OWNERS, UNIT_HEAD, CITY_OFFICE)),
                              Escalation(timedelta(days=7), (CITY_OFFICE, UNIT_HEAD)))}
    register(Rule(
        code=DEPARTMENT, title="公布政府信息公开工作年度报告", source="条例第四十九条", due_month_day=(1, 31),
        # from the close of 1 January (30 days before the close of 31 January), then as the day nears
        reminders=tuple(timedelta(days=d) for d in (30, *_DAYS_LEFT)),
        description="各部门于每年1月31日前公布本部门上一年度政府信息公开工作年度报告。", **common,
    ))
    register(Rule(
        code=GOVERNMENT, title="公布本级政府信息公开工作年度报告", source="条例第五十条", due_month_day=(3, 31),
        # 31 March less 89 days is the close of 1 January (2 January in a leap year)
        reminders=tuple(timedelta(days=d) for d in (89, 60, 30, *_DAYS_LEFT)),
        description="县级以上人民政府于每年3月31日前公布本级政府上一年度政府信息公开工作年度报告。", **common,
    ))
