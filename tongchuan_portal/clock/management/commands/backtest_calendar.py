from django.core.management.base import BaseCommand, CommandError

from tongchuan_portal.clock.backtest import LENGTHS, METHODS, backtest_entered_calendar


class Command(BaseCommand):
    help = ("回测暂定日历(CLOCK4):把2025年起每个已公布年度依次当作未公布,统计该年每天起算的"
            "7个和20个工作日期限中,暂定计算与正式放假安排完全一致的比例和最大偏差(工作日)。")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", help="只回测这些年度(可重复)")
        parser.add_argument("--days", type=int, action="append", help=f"期限长度(工作日,默认{LENGTHS})")

    def handle(self, *args, **options):
        scores = backtest_entered_calendar(years=options["year"], lengths=tuple(options["days"] or LENGTHS))
        if not scores:
            raise CommandError("没有2025年以后已确认的年度可供回测。")
        self.stdout.write(f"{'年度':<6}{'期限':<8}{'完全一致':>10}{'最大偏差':>10}  推算方法")
        for s in scores:
            self.stdout.write(f"{s.year:<8}{s.days:>2}个工作日 {s.share_exact:>9.1%} {s.worst:>6}个工作日  "
                              f"{METHODS[s.method]}")
