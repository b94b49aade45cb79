"""Benchmark of the deadline engine (not a test): prints its figures for the README.

Everything it creates is rolled back at the end, so it may run against any database.
"""

import time
import timeit
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from tongchuan_portal.clock import workdays
from tongchuan_portal.clock.models import Deadline, DeadlineState, RuleKind
from tongchuan_portal.clock.registry import OWNERS, UNIT_HEAD, Escalation, Rule, register
from tongchuan_portal.clock.services import deadlines_sweep
from tongchuan_portal.clock.services.deadlines import _next_action_at
from tongchuan_portal.units.models import Role, Unit
from tongchuan_portal.units.services import membership_grant, roles_ensure

BENCH_RULE = Rule(code="bench.days", rule_id="BENCH", title="基准测试时限", kind=RuleKind.WORKING_DAYS, days=7,
                  reminders=(timedelta(days=1),), escalations=(Escalation(timedelta(0), (OWNERS, UNIT_HEAD)),))


class Command(BaseCommand):
    help = "时限引擎基准:创建 N 个计时中的时限(其中 M 个已到期),计时一次巡检;并测 add_working_days 的速度。"

    def add_arguments(self, parser):
        parser.add_argument("--total", type=int, default=100_000)
        parser.add_argument("--due", type=int, default=10_000)
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, total, due, batch_size, **options):
        register(BENCH_RULE)
        self.stdout.write(f"数据库:{connection.vendor};总数 {total},已到期 {due};批量 {batch_size}")
        self._bench_workdays()
        with transaction.atomic():
            self._bench_sweep(total, due, batch_size)
            transaction.set_rollback(True)

    def _bench_workdays(self):
        workdays.add_working_days(date(2026, 3, 1), 20)  # warm the snapshot
        starts = [date(2024, 1, 1) + timedelta(days=i % 900) for i in range(1000)]
        n = 200
        seconds = timeit.timeit(lambda: [workdays.add_working_days(d, 20) for d in starts], number=n)
        self.stdout.write(f"add_working_days(…, 20):{int(n * len(starts) / seconds):,} 次/秒(已预热)")

    def _bench_sweep(self, total, due, batch_size):
        roles_ensure()
        User = get_user_model()
        unit = Unit.objects.create(code="bench-unit", name="基准测试单位", short_name="基准", kind="city_department")
        for name, role in (("bench-clerk", Role.Code.CLERK), ("bench-head", Role.Code.UNIT_HEAD)):
            user = User.objects.create(username=name)
            membership_grant(user=user, unit=unit, roles=[role], by=user)
        content_type = ContentType.objects.get_for_model(Unit)
        now = timezone.now()
        late_start = now - timedelta(days=30)
        rows = []
        moments = {s: workdays.due_moment(started_at=s, days=7) for s in (late_start, now)}
        t0 = time.perf_counter()
        for i in range(total):
            started = late_start if i < due else now
            d = Deadline(content_type=content_type, object_id=i + 1, subject=f"基准事项{i}", rule=BENCH_RULE.code,
                         rule_id=BENCH_RULE.rule_id, kind=RuleKind.WORKING_DAYS, unit=unit, started_at=started,
                         basis_at=started, remaining_days=7, state=DeadlineState.RUNNING)
            moment = moments[started]
            d.due_at, d.provisional = moment.due_at, moment.provisional
            d.next_action_at = _next_action_at(d, BENCH_RULE)
            rows.append(d)
            if len(rows) == 5000:
                Deadline.objects.bulk_create(rows)
                rows = []
        Deadline.objects.bulk_create(rows)
        self.stdout.write(f"创建 {total:,} 个时限:{time.perf_counter() - t0:.1f} 秒")
        t0 = time.perf_counter()
        result = deadlines_sweep(batch_size=batch_size)
        elapsed = time.perf_counter() - t0
        self.stdout.write(
            f"一次巡检:{elapsed:.2f} 秒 —— 处理 {result.deadlines:,} 项(逾期 {result.missed:,}),"
            f"{result.batches} 批,站内消息 {result.notifications:,} 条"
        )
        self.stdout.write(self.style.SUCCESS("达标" if elapsed < 10 else "未达标:巡检超过 10 秒"))
