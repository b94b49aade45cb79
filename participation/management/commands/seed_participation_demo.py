"""Demo data for 公众参与, made through the real services as the demo users of `seed_demo`. Idempotent."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from participation import services
from participation.models import Area, DecisionDraft, Evaluation, Meeting, MeetingKind, Message
from tongchuan_portal.units.models import Unit

DEMO_USERS = ("clerk_fgw", "secrecy_fgw")
DRAFT_TITLE = "铜川市城市公共交通票价调整方案(征求意见稿)"


class Command(BaseCommand):
    help = "载入公众参与演示数据(意见征集、会议活动、留言、第三方评估);可重复执行。"

    @transaction.atomic
    def handle(self, *args, **options):
        users = {u.username: u for u in get_user_model().objects.filter(username__in=DEMO_USERS)}
        missing = [name for name in DEMO_USERS if name not in users]
        if missing:
            self.stdout.write(f"缺少演示账号 {', '.join(missing)}:请先运行 manage.py seed_demo。未创建任何数据。")
            return
        clerk = users["clerk_fgw"]
        fgw = Unit.objects.get(code="fgw")
        created = []

        if not DecisionDraft.objects.filter(title=DRAFT_TITLE).exists():
            draft = services.draft_create(
                unit=fgw, title=DRAFT_TITLE, area=Area.TRAFFIC, deciding_meeting_kind=MeetingKind.EXECUTIVE, by=clerk,
                text="第一条 为促进公共交通优先发展,合理调整城市公共交通票价,制定本方案。\n"
                     "第二条 普通线路票价由1元调整为1.5元。\n第三条 65周岁以上老年人、现役军人、残疾人免费乘车。\n"
                     "第四条 学生持卡乘车享受半价优惠。",
                basis="《中华人民共和国价格法》第二十三条;《陕西省定价目录》;《政府制定价格行为规则》。")
            services.draft_publish(draft=draft, working_days=10, by=clerk)
            # D7: the unit's confidentiality reviewer clears it; the window opens now.
            draft = services.draft_clearance_decide(draft=draft, cleared=True, opinion="不涉及国家秘密和工作秘密,同意公开。",
                                                    by=users["secrecy_fgw"])
            period = draft.periods.get()
            for body, name in (("建议保留学生半价优惠,学生通勤负担较重。", "王同学"),
                               ("希望延长夜间运营时间,新区晚上九点后就没有车了。", "")):
                comment = services.comment_submit(period=period, body=body, display_name=name)
                services.comments_moderate(period=period, comment_ids=[comment.pk], show=True, by=clerk)
            created.append("决策草案 1 件(征求意见中,2 条公开意见)")

        if not Meeting.objects.filter(title="2026年政府开放日:走进市发展改革委").exists():
            meeting = services.meeting_create(
                unit=fgw, kind=MeetingKind.OPEN_DAY, title="2026年政府开放日:走进市发展改革委",
                starts_at=timezone.now() + timedelta(days=14), place="市行政中心 3 号楼一层", area=Area.ECONOMY,
                description="参观政务服务大厅,座谈“十五五”规划编制。", attendance_quota=30, is_public=True,
                publish_text=True, publish_pictures=True, invite_public_reps=True, invite_media=True, by=clerk)
            services.meeting_announce(meeting=meeting, by=clerk)
            created.append("政府开放日 1 场(接受报名)")

        if not Message.objects.filter(title="公交票价调整从何时开始?").exists():
            message, _ = services.message_submit(
                channel="netizen", category="consult", title="公交票价调整从何时开始?", unit=fgw,
                body="看到票价调整在征求意见,请问大概什么时候执行?", contact="13800000000", consent_to_publish=True)
            services.message_reply(message=message, publish=True, by=clerk,
                                   reply="票价调整方案正在征求意见,经市政府常务会议审议通过后公布执行日期。")
            services.message_submit(channel="leader_mailbox", category="suggest", title="建议增开新区至老区夜班公交",
                                    body="新区到老区晚上九点后没有公交,建议增开夜班线路。", contact="13700000000",
                                    consent_to_publish=True)
            created.append("留言 2 条(1 条已答复并公开,1 条领导信箱来信待办理)")

        if not Evaluation.objects.filter(title="铜川市惠民惠农财政补贴资金“一卡通”政策落实情况第三方评估报告").exists():
            evaluation = services.evaluation_create(
                unit=fgw, title="铜川市惠民惠农财政补贴资金“一卡通”政策落实情况第三方评估报告",
                policy_title="惠民惠农财政补贴资金“一卡通”管理办法", evaluator="西北大学公共管理学院", area=Area.BENEFITS,
                summary="补贴发放及时率98.6%,建议进一步公开补贴对象名单。", report="一、评估范围与方法……\n二、主要发现……\n三、建议……",
                by=clerk)
            services.evaluation_publish(evaluation=evaluation, by=clerk)
            created.append("第三方评估 1 份(已公布)")

        self.stdout.write("公众参与演示数据:" + (";".join(created) if created else "已存在,未重复创建。"))
