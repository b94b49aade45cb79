from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class OfficialDay(models.Model):
    """A day the State Council's schedule changes: a public holiday, or a make-up working day (调休上班).

    Every other day is a working day from Monday to Friday and a rest day at the
    weekend (CLOCK1). The calendar is data: the admin enters each new year.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "法定节假日(休息)"
        MAKEUP_WORKDAY = "makeup_workday", "调休上班"

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    name = models.CharField("节日名称", max_length=40)
    source_notice = models.CharField("依据", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "法定节假日与调休"
        verbose_name_plural = "法定节假日与调休"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}({self.get_kind_display()})"


class CalendarYear(models.Model):
    """Whether a year's official holiday schedule has been published and entered (CLOCK4)."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    confirmed = models.BooleanField("已按国务院通知确认", default=False)
    source_notice = models.CharField("国务院办公厅通知", max_length=200, blank=True)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "日历年度"
        verbose_name_plural = "日历年度"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}年({'已确认' if self.confirmed else '未确认'})"


class CalendarChange(models.Model):
    """日历变更 — a change to the official calendar whose recompute (CLOCK4) is owed until done.

    Written in the transaction that changes the calendar, so the database, not the
    broker, remembers that open deadlines must move: a task queued on commit is only
    the fast path; the sweep processes whatever is still pending.
    """

    start = models.DateField("起始日期")
    end = models.DateField("截止日期")
    reason = models.CharField("变更内容", max_length=300)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="变更人"
    )
    created_at = models.DateTimeField("变更时间", auto_now_add=True)
    processed_at = models.DateTimeField("重新计算完成时间", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    last_error = models.TextField("最近一次错误", blank=True)
    next_attempt_at = models.DateTimeField("下次尝试时间", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "日历变更"
        verbose_name_plural = "日历变更"
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["created_at"], name="calendar_change_pending_idx", condition=Q(processed_at__isnull=True)),
        ]

    def __str__(self):
        return self.reason


class DeadlineState(models.TextChoices):
    RUNNING = "running", "计时中"
    PAUSED = "paused", "已暂停"
    MET = "met", "已办结"
    MISSED = "missed", "已逾期"
    CANCELLED = "cancelled", "已撤销"


OPEN_STATES = (DeadlineState.RUNNING, DeadlineState.PAUSED, DeadlineState.MISSED)
# Open with a due moment that stands (a paused clock's is recomputed on resume).
DUE_STATES = (DeadlineState.RUNNING, DeadlineState.MISSED)

# The one map of allowed transitions (STYLE.md "Workflows").
DEADLINE_TRANSITIONS = {
    DeadlineState.RUNNING: {DeadlineState.PAUSED, DeadlineState.MET, DeadlineState.MISSED, DeadlineState.CANCELLED},
    DeadlineState.PAUSED: {DeadlineState.RUNNING, DeadlineState.CANCELLED},
    # Back to running only when a calendar change moves the due moment into the future (CLOCK4).
    DeadlineState.MISSED: {DeadlineState.MET, DeadlineState.CANCELLED, DeadlineState.RUNNING},
    DeadlineState.MET: set(),
    DeadlineState.CANCELLED: set(),
}


class RuleKind(models.TextChoices):
    WORKING_DAYS = "working_days", "工作日"
    HOURS = "hours", "小时(自然时间)"
    # A due date the rule itself fixes (e.g. 1月31日), not counted in working days (A6, CLOCK6).
    CALENDAR_DATE = "calendar_date", "规定日期"


class Deadline(models.Model):
    """时限 — one legal clock guarding one thing, stored with its due moment (CLOCK2).

    The clock counts `remaining_days` working days (or `remaining_time` wall-clock
    time) from `basis_at`: the start, or the last resume. Extending adds to what
    remains; pausing freezes it. `due_at` is always recomputable from these.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name="对象类型")
    object_id = models.PositiveBigIntegerField("对象编号")
    target = GenericForeignKey("content_type", "object_id")
    subject = models.CharField("事项", max_length=300)

    rule = models.CharField("规则代码", max_length=60, db_index=True)
    rule_id = models.CharField("规则编号", max_length=16)
    kind = models.CharField("计时方式", max_length=20, choices=RuleKind.choices)
    unit = models.ForeignKey(
        "units.Unit", verbose_name="责任单位", null=True, blank=True, on_delete=models.PROTECT, related_name="deadlines"
    )

    started_at = models.DateTimeField("起算时间")
    basis_at = models.DateTimeField("本段起算时间")
    # The deadline's own length, where its rule lets the office choose one (Rule.length_range; CLOCK2, CLOCK6).
    length_days = models.PositiveIntegerField("本时限工作日数", null=True, blank=True)
    remaining_days = models.PositiveIntegerField("剩余工作日", null=True, blank=True)
    remaining_time = models.DurationField("剩余时长", null=True, blank=True)
    due_at = models.DateTimeField("截止时间")
    provisional = models.BooleanField("暂定(日历未确认)", default=False)

    state = models.CharField("状态", max_length=12, choices=DeadlineState.choices, default=DeadlineState.RUNNING)
    paused_at = models.DateTimeField("暂停时间", null=True, blank=True)
    met_at = models.DateTimeField("办结时间", null=True, blank=True)
    missed_at = models.DateTimeField("逾期时间", null=True, blank=True)
    cancelled_at = models.DateTimeField("撤销时间", null=True, blank=True)
    extensions_used = models.PositiveSmallIntegerField("已延期次数", default=0)

    # What the sweep still has to do, and when it next has to look (CLOCK3).
    signals_sent = models.JSONField("已发送提醒", default=list, blank=True)
    next_action_at = models.DateTimeField("下次处理时间", null=True, blank=True)
    # The rule's on-due action failed: what went wrong, how often, and when the sweep tries again.
    # `next_action_at` is never later than `action_retry_at`, so the sweep's index finds the retry.
    action_error = models.TextField("到期自动处理失败原因", blank=True)
    action_attempts = models.PositiveSmallIntegerField("到期自动处理失败次数", default=0)
    action_retry_at = models.DateTimeField("到期自动处理下次重试", null=True, blank=True)

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "时限"
        verbose_name_plural = "时限"
        ordering = ["due_at"]
        indexes = [
            models.Index(fields=["next_action_at"], name="deadline_sweep_idx", condition=Q(next_action_at__isnull=False)),
            models.Index(fields=["unit", "state", "due_at"], name="deadline_unit_state_due_idx"),
            models.Index(fields=["content_type", "object_id"], name="deadline_target_idx"),
            models.Index(fields=["state", "kind", "due_at"], name="deadline_state_kind_due_idx"),
            # 我的时限 pages the open deadlines by (due_at, id) (keyset) for the city office.
            models.Index(fields=["due_at", "id"], name="deadline_open_due_idx",
                         condition=Q(state__in=["running", "paused", "missed"])),
            models.Index(fields=["action_retry_at"], name="deadline_action_retry_idx",
                         condition=Q(action_retry_at__isnull=False)),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "rule"],
                condition=Q(state__in=["running", "paused"]),
                name="deadline_one_open_per_target_rule",
            ),
            models.CheckConstraint(
                condition=Q(remaining_days__isnull=False) | Q(remaining_time__isnull=False)
                | Q(kind="calendar_date"),
                name="deadline_has_a_length_or_fixed_date",
            ),
        ]

    def __str__(self):
        return f"{self.subject}({self.rule_id})"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def was_late(self) -> bool:
        return self.missed_at is not None

    @property
    def action_pending(self) -> bool:
        """The on-due action failed and the sweep will try it again (CLOCK3)."""
        return self.action_retry_at is not None


class DeadlinePause(models.Model):
    """A pause of a clock (CLOCK5), e.g. while an applicant corrects an application."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="pauses", verbose_name="时限")
    paused_at = models.DateTimeField("暂停时间")
    resumed_at = models.DateTimeField("恢复时间", null=True, blank=True)
    reason = models.CharField("暂停原因", max_length=300)
    resume_reason = models.CharField("恢复说明", max_length=300, blank=True)
    paused_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="暂停人")
    resumed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="恢复人"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "时限暂停"
        verbose_name_plural = "时限暂停"
        ordering = ["paused_at"]
        constraints = [
            models.UniqueConstraint(fields=["deadline"], condition=Q(resumed_at__isnull=True), name="pause_one_open"),
        ]


class DeadlineExtension(models.Model):
    """An extension a rule allows (CLOCK5, e.g. A3: once, up to 20 working days)."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="extensions", verbose_name="时限")
    days = models.PositiveIntegerField("延长工作日", null=True, blank=True)
    duration = models.DurationField("延长时长", null=True, blank=True)
    reason = models.CharField("延期理由", max_length=300)
    previous_due_at = models.DateTimeField("原截止时间")
    # Empty while the clock is paused: the new due moment is computed when it resumes.
    new_due_at = models.DateTimeField("新截止时间", null=True, blank=True, help_text="暂停期间延期的,恢复计时时计算")
    extended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="批准人")
    extended_at = models.DateTimeField("延期时间")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "时限延期"
        verbose_name_plural = "时限延期"
        ordering = ["extended_at"]


class DeadlineSignal(models.Model):
    """The ledger that makes each reminder and escalation happen exactly once (CLOCK3).

    One row per deadline and tier; the unique constraint is the guarantee. The
    ledger is append-only — rows are never changed or deleted — so each row is
    its own audit record and it keeps no separate history table.
    """

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="signals", verbose_name="时限")
    tier = models.CharField("档次", max_length=80)
    sent_at = models.DateTimeField("发出时间")

    class Meta:
        verbose_name = "时限提醒记录"
        verbose_name_plural = "时限提醒记录"
        constraints = [models.UniqueConstraint(fields=["deadline", "tier"], name="signal_once_per_tier")]
