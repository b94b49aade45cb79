"""The unit-level disclosure records: catalog (D10), annual self-check (D12), priorities, guide, annual report."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from .choices import FiveDisclosure, Topic
from .documents import Document


class Catalog(models.Model):
    """主动公开目录 (D10): what a unit discloses proactively, per five-disclosure area."""

    unit = models.OneToOneField("units.Unit", on_delete=models.PROTECT, related_name="catalog", verbose_name="单位")
    published_at = models.DateTimeField("首次公布时间", null=True, blank=True)
    updated_at = models.DateTimeField("最近更新", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "主动公开目录"
        verbose_name_plural = "主动公开目录"
        ordering = ["unit__sort_order"]

    def __str__(self):
        return f"{self.unit.name}主动公开目录"


class CatalogEntry(models.Model):
    """One line of a catalog: 主体、内容、时限、方式, linked to the items that fulfil it."""

    catalog = models.ForeignKey(Catalog, on_delete=models.CASCADE, related_name="entries", verbose_name="目录")
    area = models.CharField("五公开类别", max_length=12, choices=FiveDisclosure.choices)
    subject = models.CharField("公开主体", max_length=100)
    content = models.CharField("公开内容", max_length=300)
    time_limit = models.CharField("公开时限", max_length=100, help_text="如:信息形成或变更之日起20个工作日内")
    channel = models.CharField("公开方式", max_length=100, help_text="如:政府网站、政务新媒体、公告栏")
    topic = models.CharField("主题分类", max_length=32, choices=Topic.choices, blank=True)
    documents = models.ManyToManyField(Document, blank=True, related_name="catalog_entries", verbose_name="公开信息")
    sort_order = models.PositiveIntegerField("排序", default=100)
    history = HistoricalRecords(m2m_fields=[documents])

    class Meta:
        verbose_name = "主动公开目录条目"
        verbose_name_plural = "主动公开目录条目"
        ordering = ["area", "sort_order", "id"]

    def __str__(self):
        return self.content


class SelfCheck(models.Model):
    """年度自查 (D12): a unit reviews its non-public and its most-applied-for items once a year."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="self_checks", verbose_name="单位")
    year = models.PositiveSmallIntegerField("年度")
    opened_at = models.DateTimeField("开始时间")
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)
    summary = models.TextField("自查结果说明", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "年度自查"
        verbose_name_plural = "年度自查"
        ordering = ["-year", "unit__sort_order"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="self_check_once_per_unit_year")]

    def __str__(self):
        return f"{self.unit.short_name}{self.year}年度自查"


class SelfCheckItem(models.Model):
    """An item under self-check and what was decided about it, with the reason."""

    class Source(models.TextChoices):
        NOT_PUBLIC = "not_public", "不予公开的信息"
        ON_REQUEST = "on_request", "依申请公开的信息"
        MOST_APPLIED = "most_applied", "依申请公开较为集中的信息"

    class Decision(models.TextChoices):
        PENDING = "pending", "待自查"
        KEEP = "keep", "维持原属性"
        CONVERT = "convert", "转为主动公开"
        PUBLISH = "publish", "予以公开"

    self_check = models.ForeignKey(SelfCheck, on_delete=models.CASCADE, related_name="items", verbose_name="自查")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="self_check_items",
                                 verbose_name="信息")
    source = models.CharField("来源", max_length=16, choices=Source.choices)
    application_count = models.PositiveIntegerField("申请次数", default=0)
    decision = models.CharField("自查结论", max_length=10, choices=Decision.choices, default=Decision.PENDING)
    reason = models.TextField("理由", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="自查人")
    decided_at = models.DateTimeField("自查时间", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "自查事项"
        verbose_name_plural = "自查事项"
        ordering = ["source", "-application_count", "id"]
        constraints = [models.UniqueConstraint(fields=["self_check", "document"], name="self_check_item_once")]


class AnnualPriority(models.Model):
    """年度工作要点 (D14): the city's 政务公开工作要点 and each unit's yearly priorities."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="priorities", verbose_name="单位")
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "年度政务公开工作要点"
        verbose_name_plural = "年度政务公开工作要点"
        ordering = ["-year", "unit__sort_order"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="priority_once_per_unit_year")]
        indexes = [models.Index(fields=["year", "published_at"], name="priority_year_idx")]

    def __str__(self):
        return self.title


class DisclosureGuide(models.Model):
    """政府信息公开指南 (W4, 条例第十二条): categories, how to obtain, the office's contacts."""

    unit = models.OneToOneField("units.Unit", on_delete=models.PROTECT, related_name="disclosure_guide",
                                verbose_name="单位")
    categories = models.TextField("信息分类与编排")
    how_to_obtain = models.TextField("获取方式")
    office_name = models.CharField("政府信息公开工作机构", max_length=100)
    address = models.CharField("办公地址", max_length=200)
    hours = models.CharField("办公时间", max_length=100)
    phone = models.CharField("联系电话", max_length=40)
    email = models.EmailField("电子邮箱")
    postcode = models.CharField("邮政编码", max_length=10, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "政府信息公开指南"
        verbose_name_plural = "政府信息公开指南"

    def __str__(self):
        return f"{self.unit.name}政府信息公开指南"


class AnnualReport(models.Model):
    """政府信息公开工作年度报告 (A6): listed in the column; the report tables come with applications."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="annual_reports",
                             verbose_name="单位")
    year = models.PositiveSmallIntegerField("报告年度")
    title = models.CharField("标题", max_length=200)
    document = models.ForeignKey(Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name="报告原文")
    published_at = models.DateTimeField("发布时间")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "政府信息公开年度报告"
        verbose_name_plural = "政府信息公开年度报告"
        ordering = ["-year", "unit__sort_order"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="annual_report_once")]

    def __str__(self):
        return self.title
