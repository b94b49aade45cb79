"""Demo data for the disclosure workflow: the seed notice itself, published, and drafts in
every state so that each demo role finds work in its queue. Idempotent."""

from datetime import date, datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from disclosure import services
from disclosure.models import Document, DocumentKind, IssuedInNameOf, Status
from tongchuan_portal.clock.workdays import BEIJING
from tongchuan_portal.core.selectors import system_user
from tongchuan_portal.core.workflow import save_with_history
from tongchuan_portal.units.models import SpecialUnit, Unit

SEED_TITLE = "铜川市人民政府办公室关于进一步推进政务公开有关工作的通知"
SEED_TEXT = Path(__file__).resolve().parent.parent.parent / "demo" / "tongzhengbanfa-2016-71.txt"


def simple_pdf(lines: list[str]) -> bytes:
    """A small, valid one-page PDF (ASCII text) for demo attachments."""
    text = "BT /F1 12 Tf 72 760 Td 16 TL " + " ".join(f"({line}) '" for line in lines) + " ET"
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Resources<</Font<</F1 5 0 R>>>>/Contents 4 0 R>>",
        b"<</Length %d>>stream\n" % len(text) + text.encode() + b"\nendstream",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def paragraphs(text: str) -> str:
    return "".join(f"<p>{line.strip()}</p>" for line in text.splitlines() if line.strip())


class Command(BaseCommand):
    help = "载入政府信息公开演示数据:铜政办发〔2016〕71号原文及各环节的演示公文(可重复执行)。"

    @transaction.atomic
    def handle(self, *args, **options):
        services.return_reasons_ensure()
        units = {u.code: u for u in Unit.objects.filter(code__in=["fgw", "jyj"])}
        units["city_office"] = Unit.objects.filter(special=SpecialUnit.CITY_OFFICE).first()
        if len(units) < 3 or units["city_office"] is None:
            self.stdout.write("未找到单位名录,请先运行 load_units。")
            return
        self._seed_notice(units["city_office"])
        self._seed_column(units)
        users = {u.username: u for u in get_user_model().objects.filter(username__in=[
            "clerk_fgw", "head_fgw", "office_fgw", "secrecy_fgw", "clerk_jyj", "reviewer_szfb", "secrecy_szfb"])}
        if len(users) < 7:
            self.stdout.write("未找到演示账号,只载入了示例公文原文。")
            return
        self._seed_workflow(units, users)
        self.stdout.write(self.style.SUCCESS("政府信息公开演示数据已就绪。"))

    def _seed_notice(self, city_office):
        if Document.objects.filter(number_prefix="铜政办发", number_year=2016, number_serial=71).exists():
            return
        pdf = SimpleUploadedFile("铜政办发〔2016〕71号.pdf", simple_pdf([
            "Tongchuan Municipal People's Government General Office",
            "Tong Zheng Ban Fa [2016] No. 71", "Issued 2016-12-28"]))
        services.document_import_published(
            by=system_user(), issuer=city_office, number_text="铜政办发〔2016〕71号",
            published_at=datetime(2016, 12, 30, 16, 17, tzinfo=BEIJING), index_number="TCXXGK-2016-026432",
            data={
                "title": SEED_TITLE, "kind": DocumentKind.POLICY, "issued_in_name_of": IssuedInNameOf.CITY_OFFICE,
                "area": "decision", "topic": "general", "written_on": date(2016, 12, 28), "attribute": "proactive",
                "body": paragraphs(SEED_TEXT.read_text(encoding="utf-8")), "source": "铜川市人民政府办公室",
                "web_editor": "机要科", "info_reviewer": "机要科",
            },
            files=[pdf],
        )
        self.stdout.write("已载入 铜政办发〔2016〕71号。")

    def _seed_column(self, units):
        """The 指南 of the city office, the city's 2026 工作要点, and a first catalog (W4, D10, D14)."""
        from django.utils import timezone

        from disclosure.models import AnnualPriority, Catalog, CatalogEntry, DisclosureGuide

        by = system_user()
        if not DisclosureGuide.objects.filter(unit=units["city_office"]).exists():
            guide = DisclosureGuide(
                unit=units["city_office"], office_name="铜川市人民政府办公室政务公开科",
                address="陕西省铜川市新区正阳路铜川市行政中心", postcode="727031",
                hours="工作日 上午8:30—12:00,下午14:30—18:00(法定节假日除外)", phone="0919-3185100",
                email="tcszfb@tongchuan.gov.cn",
                categories="本机关主动公开的政府信息按“决策、执行、管理、服务、结果”五公开分类编排,"
                           "并按主题分类、发文机构和年份提供检索。每条信息标注索引号、发文字号、成文日期、发布日期和公文时效。",
                how_to_obtain="一、主动公开:通过铜川市人民政府门户网站“政府信息公开”专栏、政务新媒体、政府公报等方式公开。\n"
                              "二、依申请公开:公民、法人或者其他组织可以通过网上申请、信函、当面提交等方式,"
                              "向本机关政府信息公开工作机构提出申请,申请内容应包括申请人姓名或名称、身份证明、联系方式,"
                              "所需政府信息的名称、文号或者便于检索的其他特征性描述,以及获取信息的方式和途径。"
                              "本机关收到申请后,能够当场答复的当场答复;不能当场答复的,自收到申请之日起20个工作日内予以答复。",
            )
            save_with_history(guide, by=by, reason="载入政府信息公开指南")
        if not AnnualPriority.objects.filter(unit=units["city_office"], year=2026).exists():
            point = AnnualPriority(
                unit=units["city_office"], year=2026, title="铜川市2026年政务公开工作要点", published_at=timezone.now(),
                body="一、深化“五公开”,把公开要求落实到公文办理和会议办理全过程。\n"
                     "二、做好政策解读和回应关切,重大政策同步解读,重大舆情5小时内发布权威信息。\n"
                     "三、扩大公众参与,重大决策草案公开征求意见不少于7个工作日。\n"
                     "四、动态更新主动公开目录,开展不予公开信息年度自查。\n"
                     "五、推进政府网站集约化,提升检索、无障碍和移动端服务水平。")
            save_with_history(point, by=by, reason="发布年度工作要点")
        if not Catalog.objects.filter(unit=units["fgw"]).exists():
            catalog = Catalog(unit=units["fgw"], published_at=datetime(2017, 12, 20, 10, tzinfo=BEIJING))
            save_with_history(catalog, by=by, reason="载入主动公开目录")
            for order, (area, content) in enumerate([
                ("decision", "国民经济和社会发展规划、年度计划及重大政策措施"),
                ("execution", "重大项目建设推进情况"),
                ("management", "价格管理、收费项目和标准"),
                ("service", "行政许可事项办事指南"),
                ("result", "年度计划执行情况和重大项目建设成效"),
            ], start=1):
                entry = CatalogEntry(catalog=catalog, area=area, subject="铜川市发展和改革委员会", content=content,
                                     time_limit="信息形成或变更之日起20个工作日内", channel="政府网站、政务新媒体",
                                     sort_order=order)
                save_with_history(entry, by=by, reason="载入主动公开目录条目")

    def _seed_workflow(self, units, users):
        fgw, jyj = units["fgw"], units["jyj"]

        def make(title, clerk, unit, **data):
            existing = Document.objects.filter(title=title).first()
            if existing:
                return existing, False
            base = {"title": title, "kind": DocumentKind.OTHER, "issued_in_name_of": IssuedInNameOf.OWN_UNIT,
                    "area": "execution", "topic": "economy", "attribute": "proactive",
                    "body": "<p>各有关单位:</p><p>为做好相关工作,现将有关事项通知如下。</p>"}
            base.update(data)
            return services.document_create(by=clerk, issuer=unit, data=base), True

        make("关于做好2027年重点项目谋划储备工作的通知", users["clerk_fgw"], fgw, written_on=date(2026, 11, 20))

        doc, new = make("铜川市价格调节基金管理办法(内部研究稿)", users["clerk_fgw"], fgw, kind=DocumentKind.POLICY,
                        attribute="not_public", legal_basis="process_info",
                        attribute_reason="办法尚在内部研究论证阶段,属于过程性信息。")
        if new:
            services.seal_review_request(document=doc, by=users["clerk_fgw"])

        doc, new = make("铜川市促进民间投资健康发展的若干措施(代拟稿)", users["clerk_fgw"], fgw,
                        kind=DocumentKind.CITY_POLICY_DRAFT, issued_in_name_of=IssuedInNameOf.CITY_GOVERNMENT,
                        area="decision", attribute_reason="涉及企业和群众切身利益,建议主动公开。",
                        written_on=date(2026, 11, 18))
        if new:
            from interpretation.demo import prepare_interpretation

            prepare_interpretation(doc, clerk=users["clerk_fgw"], head=users["head_fgw"])  # I5
            services.document_submit(document=doc, by=users["clerk_fgw"])

        doc, new = make("关于申请以市政府名义印发《铜川市教育强市建设方案》的请示", users["clerk_jyj"], jyj,
                        kind=DocumentKind.ISSUE_REQUEST, topic="science_education", attribute="not_public",
                        legal_basis="internal_affairs", attribute_reason="请示内容属内部事务。")
        if new:
            services.document_submit(document=doc, by=users["clerk_jyj"])
            services.document_return(document=doc, by=users["reviewer_szfb"], reasons=["no-legal-basis"],
                                     note="建设方案涉及公众利益,不属于内部事务信息,请重新确定公开属性。")

        doc, new = make("铜川市2026年重大项目建设进展情况", users["clerk_fgw"], fgw,
                        issued_in_name_of=IssuedInNameOf.CITY_OFFICE, area="result", written_on=date(2026, 11, 16))
        if new:
            services.document_submit(document=doc, by=users["clerk_fgw"])
            services.document_accept(document=doc, by=users["reviewer_szfb"])

        doc, new = make("铜川市发展和改革委员会2026年政务公开工作要点", users["clerk_fgw"], fgw, area="management",
                        topic="general", written_on=date(2026, 3, 2))
        if new:
            services.document_submit(document=doc, by=users["clerk_fgw"])
            services.document_accept(document=doc, by=users["head_fgw"])
            services.confidentiality_decide(document=doc, cleared=True, opinion="经审查不涉密。",
                                            by=users["secrecy_fgw"])
        if not Document.objects.filter(status=Status.PUBLISHED).exists():
            raise CommandError("演示数据载入后没有已发布的公文。")
