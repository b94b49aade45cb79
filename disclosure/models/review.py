"""The reviews a document passes: sealed review (D3), returns (D5, D6) and confidentiality review (D7)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .choices import DisclosureAttribute, LegalBasis
from .documents import Document


class SealReview(models.Model):
    """本单位政务公开工作机构审查 — the sealed opinion a non-public policy document needs (D3)."""

    class Decision(models.TextChoices):
        PENDING = "pending", "待审查"
        AGREED = "agreed", "同意不公开"
        DISAGREED = "disagreed", "不同意不公开"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="seal_reviews", verbose_name="公文")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="审查单位")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="申请人")
    requested_at = models.DateTimeField("申请时间")
    # What was reviewed: a later change to the attribute or reason needs a new review.
    attribute = models.CharField("拟定公开属性", max_length=12, choices=DisclosureAttribute.choices)
    legal_basis = models.CharField("不公开依据", max_length=24, choices=LegalBasis.choices, blank=True)
    attribute_reason = models.TextField("不公开理由")
    decision = models.CharField("审查结论", max_length=12, choices=Decision.choices, default=Decision.PENDING)
    opinion = models.TextField("审查意见", blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name="审查人")
    decided_at = models.DateTimeField("盖章时间", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "公开属性审查(盖章)"
        verbose_name_plural = "公开属性审查(盖章)"
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["document"], condition=Q(decision="pending"),
                                    name="seal_review_one_pending_per_document"),
        ]
        indexes = [models.Index(fields=["unit", "decision", "requested_at"], name="seal_review_queue_idx")]

    def __str__(self):
        return f"{self.document.title} - {self.get_decision_display()}"

    def covers(self, document: Document) -> bool:
        """True when this agreed review is about the document's current attribute, basis and reason."""
        return (
            self.decision == self.Decision.AGREED
            and self.attribute == document.attribute
            and self.legal_basis == document.legal_basis
            and self.attribute_reason.strip() == document.attribute_reason.strip()
        )


class ReturnReason(models.Model):
    """退文理由 — a list the city office picks from; other apps add their own (e.g. I5)."""

    code = models.SlugField("代码", max_length=40, unique=True)
    label = models.CharField("理由", max_length=100)
    rule_id = models.CharField("规则编号", max_length=16, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "退文理由"
        verbose_name_plural = "退文理由"
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.label


class ReturnNotice(models.Model):
    """退文 — a reviewer sends a submission back with reasons (D5, D6); the filer revises and resubmits."""

    class Stage(models.TextChoices):
        SEAL_REVIEW = "seal_review", "公开机构审查"
        UNIT_HEAD = "unit_head", "单位负责人审核"
        CITY_OFFICE = "city_office", "市政府办公室审核"
        CONFIDENTIALITY = "confidentiality", "保密审查"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="returns", verbose_name="公文")
    stage = models.CharField("环节", max_length=16, choices=Stage.choices)
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="被退文单位")
    reasons = models.ManyToManyField(ReturnReason, verbose_name="退文理由", blank=True, related_name="notices")
    note = models.TextField("具体说明", blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="退文人")
    returned_at = models.DateTimeField("退文时间")
    resubmitted_at = models.DateTimeField("重新报送时间", null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[reasons])

    class Meta:
        verbose_name = "退文记录"
        verbose_name_plural = "退文记录"
        ordering = ["-returned_at"]
        indexes = [models.Index(fields=["unit", "returned_at"], name="return_unit_idx")]

    def __str__(self):
        return f"{self.document.title} 退文 {self.returned_at:%Y-%m-%d}"


class ConfidentialityReview(models.Model):
    """保密审查 — every item is cleared before it reaches the public (D7).

    A clearance records what it covered: each item its publication releases (the document, its
    attachments, the interpretation materials) with the history version and a digest of the content
    the reviewer saw. Publication refuses when what it would release no longer matches.
    """

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="confidentiality_reviews",
                                 verbose_name="公文")
    cleared = models.BooleanField("审查通过")
    opinion = models.TextField("审查意见", blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name="审查人")
    reviewed_at = models.DateTimeField("审查时间")
    covered_items = models.JSONField("审查范围", default=list, blank=True,
                                     help_text="本次审查覆盖的各项内容及其版本。")
    covered_digest = models.CharField("内容摘要值", max_length=64, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "保密审查"
        verbose_name_plural = "保密审查"
        ordering = ["-reviewed_at"]

    def __str__(self):
        return f"{self.document.title} 保密审查{'通过' if self.cleared else '未通过'}"
