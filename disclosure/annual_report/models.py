"""The annual report (政府信息公开工作年度报告, A6), its published snapshots and the appeal records of table 四.

The report owns only what the portal does not hold elsewhere: the rows a unit enters (table 二's decisions and
fees), the written sections (一、五、六), the workflow and the frozen snapshots. Every number the portal does
hold is computed from documents and applications through their selectors (`tables.compute`).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    HEAD_REVIEW = "head_review", "待单位负责人审定"
    CONFIDENTIALITY = "confidentiality", "待保密审查"
    PUBLISHED = "published", "已发布"


# The one map of allowed transitions (STYLE.md "Workflows"). A correction after publication goes back to
# the draft and through approval and 保密审查 again; the published version stays public meanwhile.
TRANSITIONS = {
    ReportStatus.DRAFT: {ReportStatus.HEAD_REVIEW},
    ReportStatus.HEAD_REVIEW: {ReportStatus.CONFIDENTIALITY, ReportStatus.DRAFT},
    ReportStatus.CONFIDENTIALITY: {ReportStatus.PUBLISHED, ReportStatus.DRAFT},
    ReportStatus.PUBLISHED: {ReportStatus.DRAFT},
}
EDITABLE_STATUSES = (ReportStatus.DRAFT,)

#: The written paragraphs of section 一 (总体情况), in the order the national template lists them.
OVERVIEW_FIELDS = ("overview_proactive", "overview_on_request", "overview_management", "overview_platform",
                   "overview_supervision")
SECTION_FIELDS = ("overview_general", *OVERVIEW_FIELDS, "problems", "other_matters")
ENTERED_FIELDS = ("licensing_count", "penalty_count", "enforcement_count", "fees_amount_wan")


class Report(models.Model):
    """政府信息公开工作年度报告 — one unit's report for one year (A6)."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="报告单位")
    year = models.PositiveSmallIntegerField("报告年度")
    status = models.CharField("状态", max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)

    # Table 二: the rows the portal does not hold, entered by the unit (who and when below).
    licensing_count = models.PositiveIntegerField("行政许可本年处理决定数量", null=True, blank=True)
    penalty_count = models.PositiveIntegerField("行政处罚本年处理决定数量", null=True, blank=True)
    enforcement_count = models.PositiveIntegerField("行政强制本年处理决定数量", null=True, blank=True)
    fees_amount_wan = models.DecimalField("行政事业性收费本年收费金额(万元)", max_digits=12, decimal_places=4,
                                          null=True, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="填报人")
    entered_at = models.DateTimeField("填报时间", null=True, blank=True)

    # Sections 一, 五, 六, written by the unit.
    overview_general = models.TextField("总体情况(概述)", blank=True)
    overview_proactive = models.TextField("主动公开", blank=True)
    overview_on_request = models.TextField("依申请公开", blank=True)
    overview_management = models.TextField("政府信息管理", blank=True)
    overview_platform = models.TextField("平台建设", blank=True)
    overview_supervision = models.TextField("监督保障", blank=True)
    problems = models.TextField("存在的主要问题及改进情况", blank=True)
    other_matters = models.TextField("其他需要报告的事项", blank=True)
    sections_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="撰写人")
    sections_at = models.DateTimeField("撰写时间", null=True, blank=True)

    submitted_at = models.DateTimeField("报送审定时间", null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="审定人")
    approved_at = models.DateTimeField("审定时间", null=True, blank=True)
    confidentiality_cleared_at = models.DateTimeField("保密审查通过时间", null=True, blank=True)
    first_published_at = models.DateTimeField("首次发布时间", null=True, blank=True)
    published_version = models.PositiveSmallIntegerField("已发布版本", default=0)
    correction_reason = models.CharField("更正理由", max_length=300, blank=True,
                                         help_text="发布后更正时填写,随新版本一同公布。")

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    deadlines = GenericRelation("clock.Deadline")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "政府信息公开工作年度报告"
        verbose_name_plural = "政府信息公开工作年度报告"
        ordering = ["-year", "unit__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="annual_report_one_per_unit_year"),
            # D7: nothing is public without 保密审查.
            models.CheckConstraint(condition=Q(published_version=0) | Q(confidentiality_cleared_at__isnull=False),
                                   name="annual_report_public_only_after_confidentiality"),
        ]
        indexes = [
            models.Index(fields=["year", "published_version"], name="annual_report_year_idx"),
            models.Index(fields=["unit", "-year"], name="annual_report_unit_idx"),
            models.Index(fields=["status", "submitted_at"], name="annual_report_queue_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return f"{self.unit.name}{self.year}年政府信息公开工作年度报告"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_public(self) -> bool:
        return self.published_version > 0

    def get_absolute_url(self):
        return reverse("annual_report:staff_detail", args=[self.pk])

    def get_public_url(self):
        return reverse("annual_report:public_detail", args=[self.unit.code, self.year])


class ReportSnapshot(models.Model):
    """A published version: every number and every section frozen at the moment it was taken.

    Version 1 is the first publication; each correction adds a version with its reason. Snapshots are
    never changed: they are what the public read on the day.
    """

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="snapshots", verbose_name="年度报告")
    version = models.PositiveSmallIntegerField("版本")
    taken_at = models.DateTimeField("生成时间")
    data = models.JSONField("报告数据")
    reason = models.CharField("发布说明", max_length=300)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="发布人")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "年度报告发布版本"
        verbose_name_plural = "年度报告发布版本"
        ordering = ["report", "-version"]
        constraints = [models.UniqueConstraint(fields=["report", "version"], name="annual_report_version_once")]

    def __str__(self):
        return f"{self.report} 第{self.version}版"


class AppealKind(models.TextChoices):
    """The three column groups of table 四."""

    RECONSIDERATION = "reconsideration", "行政复议"
    DIRECT_SUIT = "direct_suit", "行政诉讼(未经复议直接起诉)"
    SUIT_AFTER_RECONSIDERATION = "suit_after", "行政诉讼(复议后起诉)"


class AppealResult(models.TextChoices):
    UPHELD = "upheld", "结果维持"
    CORRECTED = "corrected", "结果纠正"
    OTHER = "other", "其他结果"
    PENDING = "pending", "尚未审结"


class AppealRecord(models.Model):
    """政府信息公开行政复议、行政诉讼 — one case against a unit's reply, entered by staff (table 四, A6)."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="被申请(被诉)单位")
    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="appeal_records", verbose_name="关联的政府信息公开申请",
                                    help_text="针对某一申请答复提起的,选择该申请。")
    kind = models.CharField("类型", max_length=20, choices=AppealKind.choices)
    filed_on = models.DateField("申请(起诉)日期")
    result = models.CharField("结果", max_length=12, choices=AppealResult.choices, default=AppealResult.PENDING)
    decided_on = models.DateField("审结日期", null=True, blank=True)
    case_number = models.CharField("案号", max_length=80, blank=True)
    note = models.TextField("说明", blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="录入人")
    entered_at = models.DateTimeField("录入时间")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "行政复议、行政诉讼记录"
        verbose_name_plural = "行政复议、行政诉讼记录"
        ordering = ["-filed_on", "-pk"]
        indexes = [models.Index(fields=["unit", "filed_on"], name="appeal_unit_filed_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(result="pending") | Q(decided_on__isnull=False),
                                   name="appeal_decided_has_date"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.filed_on:%Y-%m-%d}"
