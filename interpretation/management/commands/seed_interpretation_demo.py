"""Demo data for policy interpretation: a city-government policy published with its interpretation,
an interpretation of the published 2026 work priorities, a plan awaiting the unit head, an expert
and a reprint. Everything goes through the services, as the demo users. Idempotent."""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from disclosure import services as disclosure
from disclosure.models import Document, DocumentKind, IssuedInNameOf, Status as DocumentStatus
from interpretation import services
from interpretation.demo import prepare_interpretation
from interpretation.models import Expert, Interpretation, InterpretationPlan, MaterialKind, PlanForm, Reprint
from tongchuan_portal.units.models import Unit

USERS = ["clerk_fgw", "head_fgw", "secrecy_fgw", "reviewer_szfb", "secrecy_szfb"]
PRIORITIES = "铜川市发展和改革委员会2026年政务公开工作要点"
CITY_POLICY = "铜川市支持民营经济高质量发展的若干措施"
PENDING_POLICY = "铜川市数字经济发展三年行动方案(2027—2029年)"


class Command(BaseCommand):
    help = "载入政策解读演示数据(可重复执行)。"

    @transaction.atomic
    def handle(self, *args, **options):
        services.return_reason_ensure()
        users = {u.username: u for u in get_user_model().objects.filter(username__in=USERS)}
        fgw = Unit.objects.filter(code="fgw").first()
        if len(users) < len(USERS) or fgw is None:
            self.stdout.write("未找到演示账号或单位名录,未载入政策解读演示数据。请先运行 seed_demo。")
            return
        clerk = users["clerk_fgw"]
        expert = self._expert(clerk, fgw)
        self._city_policy(users, fgw)
        self._priorities(users, expert)
        self._pending(users, fgw)
        self._reprint(users, fgw)
        self.stdout.write(self.style.SUCCESS("政策解读演示数据已就绪。"))

    def _expert(self, clerk, fgw):
        expert = Expert.objects.filter(name="张立新", affiliation="西北大学经济管理学院").first()
        return expert or services.expert_create(by=clerk, unit=fgw, data={
            "name": "张立新", "title": "教授", "affiliation": "西北大学经济管理学院", "sector": "economy",
            "specialties": "区域经济、民营经济政策"})

    def _city_policy(self, users, fgw):
        """I4, I8: drafted with its plan, approved, submitted, accepted, cleared — published together."""
        document = Document.objects.filter(title=CITY_POLICY).first()
        if document is None:
            document = disclosure.document_create(by=users["clerk_fgw"], issuer=fgw, data={
                "title": CITY_POLICY, "kind": DocumentKind.POLICY, "issued_in_name_of": IssuedInNameOf.CITY_GOVERNMENT,
                "area": "decision", "topic": "economy", "written_on": date(2026, 11, 2), "attribute": "proactive",
                "legal_basis": "", "attribute_reason": "", "source": "", "web_editor": "", "info_reviewer": "",
                "body": "<p>各区县人民政府,市政府各工作部门:</p><p>为支持民营经济高质量发展,制定如下措施。</p>"})
        if document.status == DocumentStatus.DRAFT:
            prepare_interpretation(document, clerk=users["clerk_fgw"], head=users["head_fgw"], pairs=[
                ("哪些企业可以享受这些措施?", "在铜川市依法登记注册的民营企业、个体工商户均可享受。"),
                ("融资支持有哪些新变化?", "新设民营企业贷款风险补偿资金池,单户补偿比例由30%提高到50%。"),
                ("在哪里申请?", "通过铜川市政务服务网“惠企政策”专区在线申请。"),
            ])
            disclosure.document_submit(document=document, by=users["clerk_fgw"])
            document = Document.objects.get(pk=document.pk)
        if document.status == DocumentStatus.SUBMITTED:
            disclosure.document_accept(document=document, by=users["reviewer_szfb"])
            document = Document.objects.get(pk=document.pk)
        if document.status == DocumentStatus.CONFIDENTIALITY_REVIEW:
            disclosure.confidentiality_decide(document=document, cleared=True, opinion="经审查不涉密。",
                                              by=users["secrecy_szfb"])

    def _priorities(self, users, expert):
        """An interpretation added to a document published earlier, released by the unit's secrecy reviewer."""
        document = Document.objects.filter(title=PRIORITIES, status=DocumentStatus.PUBLISHED).first()
        if document is None:
            self.stdout.write(f"未找到已发布的《{PRIORITIES}》,跳过。")
            return
        if Interpretation.objects.filter(document=document).exists():
            return
        clerk = users["clerk_fgw"]
        plan = InterpretationPlan.objects.filter(document=document).first() or services.plan_create(
            document=document, by=clerk, data={
                "outline": "一、年度重点任务;二、公开方式;三、与2025年相比的新要求。",
                "forms": [PlanForm.EXPERT, PlanForm.QA], "channels": "市发展改革委网站、政府网站政策解读栏目",
                "timing": "要点发布后十个工作日内", "background": "落实全市政务公开工作要点。",
                "data": "2025年主动公开信息1268条。"})
        services.material_create(plan=plan, by=clerk, data={
            "kind": MaterialKind.EXPERT, "title": "专家解读:发改委2026年政务公开工作要点的三个亮点",
            "summary": "重点领域信息公开、政策解读和回应关切全面提速。", "focus": ["standards", "differences"],
            "expert": expert, "body": "一是重大项目信息全流程公开。\n二是政策解读与文件同步发布。\n三是建立跟踪解读机制。"})
        services.material_create(plan=plan, by=clerk, data={
            "kind": MaterialKind.QA, "title": "2026年政务公开工作要点问答", "focus": ["scope"]}, qa_pairs=[
            ("今年公开工作有哪些重点?", "重大建设项目、价格收费、政策解读和回应关切。"),
            ("公众如何参与?", "可通过政府网站“公众参与”栏目留言,或参加政府开放日活动。"),
        ])
        services.material_create(plan=plan, by=clerk, data={
            "kind": MaterialKind.DATA, "title": "图表:近三年主动公开信息数量", "table_caption": "近三年主动公开信息数量(条)",
            "table_text": "年份,主动公开信息,政策解读\n2023,986,41\n2024,1105,57\n2025,1268,73",
            "body": "主动公开信息数量逐年增长。"})
        services.plan_approve(plan=plan, by=users["head_fgw"])
        services.follow_up_publish(document=document, by=users["secrecy_fgw"])

    def _pending(self, users, fgw):
        """A draft with a plan awaiting the unit head's approval (审定), for head_fgw's queue."""
        if Document.objects.filter(title=PENDING_POLICY).exists():
            return
        document = disclosure.document_create(by=users["clerk_fgw"], issuer=fgw, data={
            "title": PENDING_POLICY, "kind": DocumentKind.POLICY, "issued_in_name_of": IssuedInNameOf.CITY_GOVERNMENT,
            "area": "decision", "topic": "economy", "written_on": None, "attribute": "proactive", "legal_basis": "",
            "attribute_reason": "", "source": "", "web_editor": "", "info_reviewer": "",
            "body": "<p>为加快数字经济发展,制定本行动方案。</p>"})
        plan = services.plan_create(document=document, by=users["clerk_fgw"], data={
            "outline": "一、发展目标;二、重点任务;三、保障措施。", "forms": [PlanForm.QA],
            "channels": "市政府网站政策解读栏目", "timing": "与方案同步发布", "background": "落实省数字经济发展规划。",
            "data": ""})
        services.material_create(plan=plan, by=users["clerk_fgw"], data={
            "kind": MaterialKind.QA, "title": "《数字经济发展三年行动方案》问答"}, qa_pairs=[
            ("方案的发展目标是什么?", "到2029年,全市数字经济核心产业增加值占GDP比重达到6%。")])

    def _reprint(self, users, fgw):
        if Reprint.objects.filter(original_number="国办发〔2016〕80号").exists():
            return
        reprint = services.reprint_create(by=users["clerk_fgw"], unit=fgw, data={
            "title": "国务院办公厅印发《〈关于全面推进政务公开工作的意见〉实施细则》的通知",
            "source": "中国政府网", "source_level": "central",
            "original_url": "https://www.gov.cn/zhengce/content/2016-11/15/content_5132852.htm",
            "original_number": "国办发〔2016〕80号", "original_date": date(2016, 11, 10),
            "body": "各省、自治区、直辖市人民政府,国务院各部委、各直属机构:\n《〈关于全面推进政务公开工作的意见〉实施细则》已经国务院同意,现印发给你们,请认真贯彻落实。"})
        services.reprint_publish(reprint=reprint, by=users["secrecy_fgw"])
        services.reprint_note_add(reprint=reprint, by=users["clerk_fgw"], noted_on=date(2016, 12, 28),
                                  body="市政府办公室印发铜政办发〔2016〕71号,明确本市贯彻落实措施。")
