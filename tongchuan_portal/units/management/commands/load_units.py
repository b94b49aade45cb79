from django.core.management.base import BaseCommand

from tongchuan_portal.core.selectors import system_user
from tongchuan_portal.units.services import unit_groups_sync, units_load_directory


class Command(BaseCommand):
    help = "载入铜川市单位名录(可重复执行)。"

    def handle(self, *args, **options):
        created, updated = units_load_directory(by=system_user())
        self.stdout.write(f"单位名录:新增 {created} 个,更新 {updated} 个。")
        recovered, moved = unit_groups_sync()
        if recovered or moved:
            self.stdout.write(f"单位人员组:找回 {recovered} 个更改代码前的权限组,调整 {moved} 人次的组成员。")
