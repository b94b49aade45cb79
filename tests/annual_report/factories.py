"""Annual-report records made through the real services, as each role would."""

import random
from datetime import date, datetime

from disclosure import services as document_services
from disclosure.annual_report import services
from disclosure.models import DocumentClass
from tongchuan_portal.clock.workdays import BEIJING
from tests.disclosure.factories import document_data

SECTIONS = {
    "overview_general": "本年度,本单位认真贯彻落实《中华人民共和国政府信息公开条例》。",
    "overview_proactive": "主动公开各类政府信息。", "overview_on_request": "依法办理政府信息公开申请。",
    "overview_management": "规范政府信息管理。", "overview_platform": "加强政府网站建设。",
    "overview_supervision": "强化监督保障。", "problems": "公开内容的深度还需加强。", "other_matters": "无。",
}
ROWS = {"licensing_count": 120, "penalty_count": 8, "enforcement_count": 1, "fees_amount_wan": "3.5"}

_serial = iter(range(5000 + random.randrange(40000), 100000))  # numbers unused by other tests' documents


def document(world, *, unit=None, classification=DocumentClass.NORMATIVE, issued_on=date(2025, 6, 1),
             title="关于规范行政许可事项的通知"):
    """A published 规章 or 行政规范性文件 with its 制发 date, as imported from before the portal."""
    unit = unit or world.fgw
    n = next(_serial)
    return document_services.document_import_published(
        by=world.clerk, issuer=unit, number_text=f"{unit.issuer_code}〔{issued_on.year}〕{n}号",
        published_at=datetime.combine(issued_on, datetime.min.time(), tzinfo=BEIJING).replace(hour=10),
        index_number=f"TCXXGK-{issued_on.year}-9{n:06d}",
        data=document_data(title=f"{title}{n}", classification=classification, issued_on=issued_on))


def filled_report(world, *, unit=None, year=2025, clerk=None):
    clerk = clerk or world.clerk
    report = services.report_open(unit=unit or world.fgw, year=year, by=clerk)
    services.report_enter_rows(report=report, data=ROWS, by=clerk)
    return services.report_write_sections(report=report, data=SECTIONS, by=clerk)


def published_report(world, *, unit=None, year=2025, clerk=None, head=None, secrecy=None):
    report = filled_report(world, unit=unit, year=year, clerk=clerk)
    services.report_submit(report=report, by=clerk or world.clerk)
    services.report_approve(report=report, by=head or world.head)
    return services.report_clearance_decide(report=report, cleared=True, opinion="", by=secrecy or world.secrecy)
