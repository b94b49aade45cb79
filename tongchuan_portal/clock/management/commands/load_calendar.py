from django.core.management.base import BaseCommand

from tongchuan_portal.clock.services import calendar_load_from_package
from tongchuan_portal.core.selectors import system_user


class Command(BaseCommand):
    help = "从 chinesecalendar 载入已公布年度的法定节假日和调休上班日(可重复执行)。"

    def handle(self, *args, **options):
        created, years = calendar_load_from_package(by=system_user())
        self.stdout.write(f"工作日历:新增 {created} 天" + (f",确认年度 {years[0]}–{years[-1]}" if years else "") + "。")
