"""Demo data for 依申请公开: applications in every state for 市发展改革委 and 市政府办公室, made through the real
services as the demo users of `seed_demo`. Idempotent (keyed by the description)."""

import base64

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction

from disclosure.applications import services
from disclosure.applications.models import Application, Carrier, Delivery, FeeMethod, IdType
from disclosure.applications.outcomes import Outcome
from tongchuan_portal.units.models import Unit

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DEMO_USERS = ("clerk_fgw", "secrecy_fgw", "office_head_fgw", "clerk_szfb", "secrecy_szfb", "office_head_szfb")
PEOPLE = [
    dict(applicant_type="person", name="赵明", id_type=IdType.RESIDENT_ID, id_number="11010519491231002X",
         phone="13800000001", address="铜川市新区正阳路1号", postcode="727100", email="zhaoming@example.com"),
    dict(applicant_type="organisation", organisation_kind="legal_services", name="陕西某某律师事务所",
         credit_code="91350100M000100Y43", legal_representative="钱律师", contact_person="孙助理", phone="13900000002"),
]
#: (description, the state to leave it in)
PLAN = [
    ("{unit}2025年度部门预算执行情况的说明", "submitted"),
    ("{unit}2026年第一季度行政许可办理结果汇总", "processing"),
    ("{unit}关于老旧小区改造项目的资金安排", "correction"),
    ("{unit}与某某公司签订的特许经营协议", "consulting"),
    ("{unit}2020年至2025年全部会议纪要(约150页)", "awaiting_fee"),
    ("{unit}城市公共交通财政补贴资金分配表", "clearance"),
    ("{unit}2025年政府信息公开工作年度报告所附数据表", "replied"),
    ("{unit}辖区内某企业的工商登记档案", "not_held"),
]


def _png():
    return SimpleUploadedFile("身份证明.png", PNG, content_type="image/png")


class Command(BaseCommand):
    help = "载入依申请公开演示数据(市发展改革委、市政府办公室各状态的申请);可重复执行。"

    @transaction.atomic
    def handle(self, *args, **options):
        users = {u.username: u for u in get_user_model().objects.filter(username__in=DEMO_USERS)}
        missing = [name for name in DEMO_USERS if name not in users]
        if missing:
            self.stdout.write(f"缺少演示账号 {', '.join(missing)}:请先运行 manage.py seed_demo。未创建任何数据。")
            return
        made = 0
        for code, suffix in (("fgw", "fgw"), ("szfb", "szfb")):
            unit = Unit.objects.get(code=code)
            clerk, secrecy, head = users[f"clerk_{suffix}"], users[f"secrecy_{suffix}"], users[f"office_head_{suffix}"]
            for i, (description, state) in enumerate(PLAN):
                text = description.format(unit=unit.short_name)
                if Application.objects.filter(unit=unit, description=text).exists():
                    continue
                self._make(unit, text, state, PEOPLE[i % 2], clerk=clerk, secrecy=secrecy, head=head)
                made += 1
        self.stdout.write(f"依申请公开演示数据:新建 {made} 件申请。")

    def _make(self, unit, text, state, person, *, clerk, secrecy, head):
        request = dict(description=text, document_number="", index_number="", carrier=Carrier.ELECTRONIC,
                       delivery=Delivery.EMAIL)
        application, _code = services.application_submit(unit=unit, applicant=person, request=request,
                                                         identity_proof=_png())
        if state == "submitted":
            return
        application = services.application_confirm(application=application, by=clerk)
        if state == "correction":
            services.correction_request(application=application, items="请写明所需资金安排的年份和具体项目名称。",
                                        by=clerk)
        elif state == "consulting":
            services.consultation_start(application=application, third_party="某某公司", contact="0919-0000000",
                                        question="申请公开的协议是否涉及贵公司商业秘密,是否同意公开?", by=clerk)
            services.extension_approve(application=application, days=15, reason="需征求第三方意见并调取档案", by=head)
        elif state == "awaiting_fee":
            services.fee_notify(application=application, method=FeeMethod.PER_VOLUME, pages=150, by=clerk)
        elif state in ("clearance", "replied"):
            services.reply_submit(
                application=application, outcome=Outcome.DISCLOSED, reply_text="经查,现将您申请的信息提供给您,见附件。",
                remedies=services.default_remedies(unit), by=clerk,
                attachments=[SimpleUploadedFile("申请的信息.pdf", PDF, content_type="application/pdf")])
            if state == "replied":
                services.reply_clearance_decide(application=application, cleared=True, opinion="不涉密,同意提供。",
                                                by=secrecy)
        elif state == "not_held":
            services.reply_submit(
                application=application, outcome=Outcome.NOT_HELD, reply_text="经检索,本机关不掌握您申请的信息。",
                responsible_office="铜川市市场监督管理局", responsible_contact="0919-3180000",
                legal_basis=services.LEGAL_BASIS[Outcome.NOT_HELD], remedies=services.default_remedies(unit), by=clerk)
