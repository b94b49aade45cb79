from django.core.management.base import BaseCommand

from tongchuan_portal.clock.services import deadlines_sweep


class Command(BaseCommand):
    help = "立即执行一次时限巡检(与 Celery beat 每分钟执行的相同;可与其并发运行)。"

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size, **options):
        result = deadlines_sweep(batch_size=batch_size)
        self.stdout.write(
            f"巡检完成:处理 {result.deadlines} 项,逾期 {result.missed} 项,提醒 {result.reminders} 条,"
            f"督办 {result.escalations} 条,站内消息 {result.notifications} 条。"
        )
