from django.core.management.base import BaseCommand

from tongchuan_portal.core.selectors import system_user
from tongchuan_portal.units.services import units_load_directory


class Command(BaseCommand):
    help = "载入铜川市单位名录(可重复执行)。"

    def handle(self, *args, **options):
        created, updated = units_load_directory(by=system_user())
        self.stdout.write(f"单位名录:新增 {created} 个,更新 {updated} 个。")
