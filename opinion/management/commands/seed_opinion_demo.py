"""Demo opinion cases, made through the real services as the demo opinion officers (idempotent)."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from opinion.models import (
    Category,
    Channel,
    ClueTransfer,
    Disposition,
    Feedback,
    IncidentLevel,
    OpinionCase,
    Scope,
    Source,
    SpecialTopic,
    SubjectArea,
)
from opinion.services import (
    case_close,
    case_record,
    case_triage,
    feedback_record,
    release_clearance_decide,
    release_record,
    transfer_record,
)
from tongchuan_portal.units.models import Unit

USERS = ("opinion_szfb", "opinion_yzq", "secrecy_szfb")


class Command(BaseCommand):
    help = "载入政务舆情演示数据(需先运行 seed_demo;可重复执行)。"

    @transaction.atomic
    def handle(self, *args, **options):
        users = {u.username: u for u in get_user_model().objects.filter(username__in=USERS)}
        missing = [name for name in USERS if name not in users]
        if missing:
            self.stdout.write(self.style.WARNING(
                f"缺少演示账号 {'、'.join(missing)},未创建任何舆情。请先运行 manage.py seed_demo。"))
            return
        office, yzq_officer, secrecy = users["opinion_szfb"], users["opinion_yzq"], users["secrecy_szfb"]

        def publish(**values):
            """Record a release and have the city office's confidentiality reviewer clear it for 回应关切 (D7)."""
            release = release_record(**values)
            release_clearance_decide(release=release, cleared=True, opinion="不涉及国家秘密和工作秘密,同意公开。",
                                     by=secrecy)
        now = timezone.now().replace(second=0, microsecond=0)
        created = 0

        def new(title, by, hours_ago, **values):
            nonlocal created
            if OpinionCase.objects.filter(title=title).exists():
                return None
            created += 1
            at = now - timedelta(hours=hours_ago)
            return case_record(by=by, title=title, at=at, first_seen_at=at - timedelta(minutes=40), **values)

        case = new("市区主干道路面塌陷致交通中断", office, 3, source=Source.MEDIA, level=IncidentLevel.II,
                   category=Category.EMERGENCY, special_topic=SpecialTopic.MAJOR_EMERGENCY, scope=Scope.CITY,
                   subject_area=SubjectArea.TRANSPORT, links="https://news.example.cn/tongchuan/road",
                   summary="多家媒体报道市区主干道发生路面塌陷,交通中断,网民关注伤亡和通行情况。")
        if case:
            publish(case=case, by=office, title="关于市区主干道路面塌陷的情况通报",
                           text="经初步核查,塌陷未造成人员伤亡。交通部门已设置绕行线路,抢修工作正在进行。",
                           channel=Channel.WEIBO, link="https://weibo.example.cn/tongchuan/1",
                           released_at=now - timedelta(hours=1, minutes=20))

        new("网传耀州区某村饮用水受到污染", yzq_officer, 40, source=Source.ONLINE_POST, level=IncidentLevel.NONE,
            category=Category.PUBLIC_INTEREST, scope=Scope.DISTRICT, districts=[Unit.objects.get(code="yzq")],
            subject_area=SubjectArea.OTHER, summary="网民发帖称村里自来水浑浊有异味,要求有关部门检测。",
            captured_text="我们村这几天自来水发黄,有股味道,老人孩子不敢喝……")

        case = new("景区门票调价引发热议", office, 50, source=Source.MESSAGE, level=IncidentLevel.NONE,
                   category=Category.CREDIBILITY, scope=Scope.CITY, subject_area=SubjectArea.DEVELOPMENT,
                   summary="多条网民留言质疑景区门票调价程序,要求公开价格听证情况。")
        if case:
            # A release the reviewer sent back (D7): the case page offers to revise and resubmit it.
            release = release_record(case=case, by=office, title="关于景区门票价格调整有关情况的说明",
                                     text="门票调整方案已经价格听证,听证会内部讨论纪要附后。", channel=Channel.WEBSITE,
                                     released_at=now - timedelta(hours=47))
            release_clearance_decide(release=release, cleared=False, by=secrecy,
                                     opinion="听证会内部讨论纪要尚未依法公开,请删去后重新报送。")

        case = new("网传我市将全面限购商品房", office, 72, source=Source.ONLINE_POST, level=IncidentLevel.NONE,
                   category=Category.FALSE_INFO, scope=Scope.CITY, subject_area=SubjectArea.HOUSING,
                   summary="微信群流传“铜川将全面限购商品房”的截图,引发购房者恐慌。")
        if case:
            publish(case=case, by=office, title="关于“全面限购商品房”传言的说明",
                           text="我市从未研究出台商品房限购政策,网传截图系伪造,请勿轻信和传播。",
                           channel=Channel.WEBSITE, released_at=now - timedelta(hours=60))
            case_triage(case=case, disposition=Disposition.FALSE_INFO, note="经核实为伪造的政策截图。", by=office)
            publish(case=case, by=office, title="网传“全面限购”系谣言,警方已介入",
                           text="对编造、传播谣言的行为,公安机关已依法调查。", channel=Channel.WEIBO,
                           released_at=now - timedelta(hours=30), outcome=True)
            transfer_record(case=case, transferred_on=(now - timedelta(hours=30)).date(),
                            receiving_body=ClueTransfer.Body.POLICE, reference="铜宣移〔2026〕3号",
                            note="移交首发账号及传播截图。", by=office)
            feedback_record(case=case, channel=Feedback.Channel.REPLY_POST, recipient="原帖所在网络社区",
                            content="已在原帖下回帖说明真实情况并附官方通报链接。",
                            sent_at=now - timedelta(hours=29), by=office)
            case_close(case=case, note="已辟谣并移交线索,舆情平息。", by=office)

        self.stdout.write(self.style.SUCCESS(f"政务舆情演示数据:新建 {created} 件。"))
