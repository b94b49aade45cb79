"""网站监测 findings (W2): what the national website checks (国办秘函〔2019〕19号) would mark, per section."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class Check(models.TextChoices):
    HOME_STALE = "home_stale", "首页两周未更新"
    NEWS_STALE = "news_stale", "动态类栏目两周未更新"
    NOTICE_STALE = "notice_stale", "通知公告、政策文件类栏目6个月未更新"
    EMPTY_COLUMN = "empty_column", "空白栏目"
    BROKEN_LINK = "broken_link", "不可用链接"
    UNANSWERED_MESSAGE = "unanswered_message", "留言办理超过3个月未答复"


class FindingState(models.TextChoices):
    OPEN = "open", "待整改"
    RESOLVED = "resolved", "已整改"


class Finding(models.Model):
    """One problem of one unit's section, open from `since` until the daily run finds its cause gone."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="monitoring_findings",
                             verbose_name="单位")
    kind = models.CharField("监测项", max_length=24, choices=Check.choices)
    item_key = models.CharField("对象标识", max_length=200)
    item_label = models.CharField("对象", max_length=300)
    item_url = models.CharField("对象地址", max_length=500, blank=True)
    detail = models.TextField("说明", blank=True)
    since = models.DateTimeField("问题开始时间", null=True, blank=True)
    found_at = models.DateTimeField("发现时间")
    state = models.CharField("状态", max_length=10, choices=FindingState.choices, default=FindingState.OPEN)
    resolved_at = models.DateTimeField("整改时间", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "监测发现"
        verbose_name_plural = "监测发现"
        ordering = ["-found_at", "-pk"]
        constraints = [
            # The daily run is idempotent: one open finding per unit, check and item.
            models.UniqueConstraint(fields=["unit", "kind", "item_key"], condition=Q(state="open"),
                                    name="finding_one_open_per_item"),
        ]
        indexes = [
            models.Index(fields=["unit", "state", "-found_at"], name="finding_unit_state_idx"),
            models.Index(fields=["state", "kind"], name="finding_state_check_idx"),
        ]

    def __str__(self):
        return f"{self.unit.short_name} · {self.get_kind_display()} · {self.item_label}"


class LinkCheck(models.Model):
    """The last result of checking one external address (W2 broken links), kept between runs."""

    url = models.CharField("地址", max_length=500, unique=True)
    first_seen_at = models.DateTimeField("首次收录")
    checked_at = models.DateTimeField("最近检查", null=True, blank=True)
    status_code = models.PositiveSmallIntegerField("状态码", null=True, blank=True)
    ok = models.BooleanField("可访问", null=True)
    error = models.CharField("错误", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "外部链接检查"
        verbose_name_plural = "外部链接检查"
        indexes = [models.Index(fields=["checked_at"], name="linkcheck_due_idx")]

    def __str__(self):
        return self.url


class MonitoringRun(models.Model):
    """One daily run: its moment and the per-unit scores it computed, for the city office's trend."""

    ran_at = models.DateTimeField("运行时间")
    scores = models.JSONField("各单位得分", default=dict)
    opened = models.PositiveIntegerField("新发现", default=0)
    resolved = models.PositiveIntegerField("已整改", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "监测运行"
        verbose_name_plural = "监测运行"
        ordering = ["-ran_at"]
        indexes = [models.Index(fields=["-ran_at"], name="monitoring_run_idx")]

    def __str__(self):
        return f"{self.ran_at:%Y-%m-%d %H:%M}"
