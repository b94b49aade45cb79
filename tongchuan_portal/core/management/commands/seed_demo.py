from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from tongchuan_portal.core.services import system_user
from tongchuan_portal.units.models import Role, Unit
from tongchuan_portal.units.services import membership_grant
from tongchuan_portal.core.workflow import save_with_history

DEMO_PASSWORD = "tongchuan-demo"

# (username, display name, unit code, roles, title)
DEMO_USERS = [
    ("clerk_fgw", "王文书", "fgw", [Role.Code.CLERK], "市发展改革委办公室科员"),
    ("head_fgw", "李主任", "fgw", [Role.Code.UNIT_HEAD], "市发展改革委主任"),
    ("office_fgw", "张公开", "fgw", [Role.Code.TRANSPARENCY_OFFICE], "市发展改革委政务公开工作机构"),
    ("secrecy_fgw", "赵保密", "fgw", [Role.Code.CONFIDENTIALITY_REVIEWER], "市发展改革委保密审查员"),
    ("clerk_jyj", "陈文书", "jyj", [Role.Code.CLERK], "市教育局办公室科员"),
    ("reviewer_szfb", "刘审核", "szfb", [Role.Code.CITY_OFFICE_REVIEWER], "市政府办公室秘书科"),
    ("secrecy_szfb", "周保密", "szfb", [Role.Code.CONFIDENTIALITY_REVIEWER], "市政府办公室保密审查员"),
    ("clerk_szfb", "孙机要", "szfb", [Role.Code.CLERK, Role.Code.UNIT_HEAD], "市政府办公室机要科"),
    ("opinion_szfb", "吴舆情", "szfb", [Role.Code.OPINION_OFFICER], "市政府办公室舆情工作人员"),
    ("opinion_yzq", "郑舆情", "yzq", [Role.Code.OPINION_OFFICER], "耀州区政府舆情工作人员"),
    ("press_swxcb", "冯宣传", "swxcb", [Role.Code.OPINION_OFFICER], "市委宣传部新闻科"),
    ("office_head_fgw", "钱负责", "fgw", [Role.Code.DISCLOSURE_OFFICE_HEAD], "市发展改革委政府信息公开工作机构负责人"),
    ("office_head_szfb", "马负责", "szfb", [Role.Code.DISCLOSURE_OFFICE_HEAD], "市政府办公室政府信息公开工作机构负责人"),
]


class Command(BaseCommand):
    help = "载入演示数据:单位名录、每种角色一个演示账号、管理员账号(可重复执行)。"

    @transaction.atomic
    def handle(self, *args, **options):
        call_command("load_units", stdout=self.stdout)
        call_command("load_calendar", stdout=self.stdout)
        by = system_user()
        User = get_user_model()
        units = {u.code: u for u in Unit.objects.all()}
        for username, name, unit_code, roles, title in DEMO_USERS:
            user, created = User.objects.get_or_create(username=username, defaults={"first_name": name})
            if created:
                user.set_password(DEMO_PASSWORD)
                save_with_history(user, by=by, reason="创建演示账号")
            membership_grant(user=user, unit=units[unit_code], roles=roles, by=by, title=title)
        admin, created = User.objects.get_or_create(
            username="admin", defaults={"first_name": "管理员", "is_staff": True, "is_superuser": True}
        )
        if created:
            admin.set_password(DEMO_PASSWORD)
            save_with_history(admin, by=by, reason="创建演示管理员")
        call_command("seed_disclosure_demo", stdout=self.stdout)
        call_command("seed_interpretation_demo", stdout=self.stdout)
        call_command("seed_opinion_demo", stdout=self.stdout)
        call_command("seed_participation_demo", stdout=self.stdout)
        call_command("seed_applications_demo", stdout=self.stdout)
        call_command("seed_annual_report_demo", stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("演示账号(密码均为 %s):" % DEMO_PASSWORD))
        for username, name, unit_code, roles, title in DEMO_USERS:
            self.stdout.write(f"  {username:<15} {title}")
        self.stdout.write(f"  {'admin':<15} 管理员(/admin/)")
