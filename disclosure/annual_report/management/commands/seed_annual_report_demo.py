"""Demo data for the annual report (A6): published 2025 reports of 市发展改革委 and the city government,
computed from the demo documents (and applications, where the applications app has demo data), and a 2026
draft. Everything goes through the services, as the demo people would. Idempotent."""

from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from disclosure import services as document_services
from disclosure.models import Document, DocumentClass
from tongchuan_portal.clock.workdays import BEIJING
from tongchuan_portal.units.models import Unit

from ... import services
from ...models import AppealKind, AppealRecord, AppealResult, Report

SECTIONS = {
    "overview_general": "{year}年,{unit}坚持以公开为常态、不公开为例外,认真贯彻落实《中华人民共和国政府信息公开条例》,"
                        "围绕决策、执行、管理、服务、结果“五公开”,全面推进政务公开工作。",
    "overview_proactive": "通过政府网站主动公开各类政府信息,及时公开行政规范性文件,同步发布政策解读。",
    "overview_on_request": "畅通依申请公开渠道,规范受理、办理、答复流程,按期答复政府信息公开申请。",
    "overview_management": "严格落实公文公开属性源头认定和保密审查制度,动态更新主动公开目录。",
    "overview_platform": "依托市政府网站集约化平台,规范栏目设置,提升检索和无障碍浏览功能。",
    "overview_supervision": "将政务公开纳入年度考核,定期开展自查,接受社会监督。",
    "problems": "一是政策解读的形式还不够丰富;二是部分栏目更新不够及时。下一步将加强培训,完善常态化检查机制。",
    "other_matters": "本年度无其他需要报告的事项。",
}
NORMATIVE = [
    ("fgw", "关于印发铜川市重点项目管理办法的通知", date(2025, 3, 18), DocumentClass.NORMATIVE),
    ("fgw", "关于进一步规范政府投资项目审批的通知", date(2025, 9, 2), DocumentClass.NORMATIVE),
    ("fgw", "关于印发铜川市价格监测工作规则的通知", date(2024, 6, 12), DocumentClass.NORMATIVE),
    ("szfb", "铜川市行政规范性文件管理办法", date(2025, 5, 20), DocumentClass.REGULATION),
    ("szfb", "关于加强城市供热管理的通知", date(2025, 11, 6), DocumentClass.NORMATIVE),
]


class Command(BaseCommand):
    help = "载入政府信息公开工作年度报告演示数据:2025年度已发布的报告与2026年度草稿(可重复执行)。"

    @transaction.atomic
    def handle(self, *args, **options):
        users = {u.username: u for u in get_user_model().objects.filter(username__in=[
            "clerk_fgw", "head_fgw", "secrecy_fgw", "clerk_szfb", "secrecy_szfb"])}
        units = {u.code: u for u in Unit.objects.filter(code__in=["fgw", "szfb", "tcgov"])}
        if len(users) < 5 or len(units) < 3:
            self.stdout.write("未找到演示账号或单位,请先运行 seed_demo。")
            return
        self._documents(units, users)
        self._appeals(units, users)
        self._seed_applications()
        plans = [("fgw", "clerk_fgw", "head_fgw", "secrecy_fgw"), ("tcgov", "clerk_szfb", "clerk_szfb", "secrecy_szfb")]
        for code, clerk, head, secrecy in plans:
            self._published(units[code], users[clerk], users[head], users[secrecy], year=2025)
        services.report_open(unit=units["fgw"], year=2026, by=users["clerk_fgw"])
        self.stdout.write("年度报告演示数据:市发展改革委、市人民政府2025年度报告已发布,市发展改革委2026年度草稿。")

    def _documents(self, units, users):
        for n, (code, title, issued_on, classification) in enumerate(NORMATIVE, start=1):
            if Document.objects.filter(title=title).exists():
                continue
            unit = units[code]
            clerk = users["clerk_fgw"] if code == "fgw" else users["clerk_szfb"]
            document_services.document_import_published(
                by=clerk, issuer=unit, number_text=f"{unit.issuer_code}〔{issued_on.year}〕{80 + n}号",
                published_at=datetime.combine(issued_on, datetime.min.time(), tzinfo=BEIJING).replace(hour=10),
                index_number=f"TCXXGK-{issued_on.year}-7{n:05d}",
                data={"title": title, "area": "decision", "topic": "economy", "attribute": "proactive",
                      "classification": classification, "issued_on": issued_on, "written_on": issued_on,
                      "body": f"<p>{title}。</p>", "source": unit.name})

    def _appeals(self, units, users):
        if AppealRecord.objects.filter(unit=units["fgw"]).exists():
            return
        for kind, filed, result, decided in [
            (AppealKind.RECONSIDERATION, date(2025, 4, 10), AppealResult.UPHELD, date(2025, 6, 5)),
            (AppealKind.DIRECT_SUIT, date(2025, 11, 20), AppealResult.PENDING, None),
        ]:
            services.appeal_record_create(unit=units["fgw"], by=users["clerk_fgw"], data={
                "kind": kind, "filed_on": filed, "result": result, "decided_on": decided,
                "case_number": "", "note": "演示数据"})

    def _seed_applications(self):
        """The applications app's own demo data (this year's), and two applications 市发展改革委 received in
        December 2025 and registered then — counted in 2025 as 本年新收 and 结转下年度, in 2026 as 上年结转;
        one is answered now (本机关不掌握), so the 2026 draft shows a carried-in application answered."""
        from django.core.management import call_command

        from disclosure.applications import services as applications
        from disclosure.applications.models import Application, Carrier, Delivery
        from disclosure.applications.outcomes import Outcome

        call_command("seed_applications_demo", stdout=self.stdout)
        clerk = get_user_model().objects.get(username="clerk_fgw")
        unit = Unit.objects.get(code="fgw")
        person = dict(applicant_type="person", name="钱敏", id_type="resident_id", id_number="11010519491231002X",
                      phone="13800000003", address="铜川市王益区红旗街2号", postcode="727000")
        for day, description, answer in [(date(2025, 12, 15), "市发展改革委2025年重点项目年度投资计划", True),
                                         (date(2025, 12, 22), "市发展改革委2025年价格调整听证会材料", False)]:
            if Application.objects.filter(unit=unit, description=description).exists():
                continue
            application, _ = applications.application_register(
                unit=unit, channel="in_person", received_on=day, applicant=person, by=clerk,
                request=dict(description=description, document_number="", index_number="",
                             carrier=Carrier.PAPER, delivery=Delivery.PICK_UP))
            if answer:
                applications.reply_submit(
                    application=application, outcome=Outcome.NOT_HELD, reply_text="经检索,本机关不掌握您申请的信息。",
                    responsible_office="经检索无法确定", responsible_contact="",
                    legal_basis=applications.LEGAL_BASIS[Outcome.NOT_HELD],
                    remedies=applications.default_remedies(unit), by=clerk)

    def _published(self, unit, clerk, head, secrecy, *, year):
        report = services.report_open(unit=unit, year=year, by=clerk)
        if report.published_version:
            return report
        fill = {k: v.format(year=year, unit=unit.name) for k, v in SECTIONS.items()}
        if report.status == "draft":
            services.report_enter_rows(report=report, by=clerk, data={
                "licensing_count": 326 if unit.code == "fgw" else 1204, "penalty_count": 12 if unit.code == "fgw" else 0,
                "enforcement_count": 0, "fees_amount_wan": "0"})
            services.report_write_sections(report=report, data=fill, by=clerk)
            services.report_submit(report=report, by=clerk)
        report.refresh_from_db()
        if report.status == "head_review":
            services.report_approve(report=report, by=head)
        return services.report_clearance_decide(report=report, cleared=True,
                                                opinion="不涉及国家秘密和工作秘密,同意公开。", by=secrecy)
