"""公文 itself: the document, its guardian permission rows, attachments and the 索引号 sequence (D1–D9, D13, M6)."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from .choices import (
    EDITABLE_STATUSES, DisclosureAttribute, DocumentClass, DocumentKind, FiveDisclosure, IssuedInNameOf, LegalBasis, Status, Topic,
    Validity,
)


class Document(models.Model):
    """公文 — a document filed by a unit with its disclosure attribute and reasons."""

    title = models.CharField("标题", max_length=300)
    body = models.TextField("正文", blank=True, help_text="保存前自动清理不安全的HTML。")
    issuer = models.ForeignKey("units.Unit", verbose_name="发文机构", on_delete=models.PROTECT, related_name="documents")
    co_issuers = models.ManyToManyField(
        "units.Unit", verbose_name="联合发文机构", blank=True, related_name="co_issued_documents"
    )
    issued_in_name_of = models.CharField(
        "发文名义", max_length=20, choices=IssuedInNameOf.choices, default=IssuedInNameOf.OWN_UNIT
    )
    kind = models.CharField("公文类型", max_length=24, choices=DocumentKind.choices, default=DocumentKind.OTHER)

    # 发文字号: 机关代字〔年份〕序号号
    number_prefix = models.CharField("机关代字", max_length=20, blank=True)
    number_year = models.PositiveSmallIntegerField("发文年份", null=True, blank=True)
    number_serial = models.PositiveIntegerField("发文序号", null=True, blank=True)
    # D8: a document in the city government's or its office's name bears that body's number, which the
    # city office gives at acceptance; until then the drafter's number is only a proposal.
    number_proposal = models.CharField("建议发文字号", max_length=40, blank=True)
    issued_by = models.ForeignKey(
        "units.Unit", verbose_name="署名发文机关", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="以市政府或市政府办公室名义印发的,为市政府或市政府办公室;否则为起草单位。",
    )

    area = models.CharField("五公开类别", max_length=12, choices=FiveDisclosure.choices)
    topic = models.CharField("主题分类", max_length=32, choices=Topic.choices, default=Topic.GENERAL)
    written_on = models.DateField("成文日期", null=True, blank=True)
    # A6: what table 二 counts — 规章 and 行政规范性文件, by the day they were made (制发).
    classification = models.CharField("文件类别", max_length=12, choices=DocumentClass.choices,
                                      default=DocumentClass.OTHER)
    issued_on = models.DateField("制发日期", null=True, blank=True, help_text="规章、行政规范性文件须填写。")
    validity = models.CharField("公文时效", max_length=10, choices=Validity.choices, default=Validity.VALID)
    validity_changed_on = models.DateField("时效变更日期", null=True, blank=True)
    repealed_by = models.ForeignKey(
        "self", verbose_name="废止依据文件", null=True, blank=True, on_delete=models.SET_NULL, related_name="repeals"
    )
    index_number = models.CharField("索引号", max_length=40, blank=True)

    attribute = models.CharField("公开属性", max_length=12, choices=DisclosureAttribute.choices)
    legal_basis = models.CharField("不公开依据", max_length=24, choices=LegalBasis.choices, blank=True)
    attribute_reason = models.TextField(
        "公开属性理由说明", blank=True, help_text="拟依申请公开或不予公开的,须附函说明理由;代拟稿须说明公开属性建议的理由。"
    )

    status = models.CharField("状态", max_length=24, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    accepted_at = models.DateTimeField("审核通过时间", null=True, blank=True)
    confidentiality_cleared_at = models.DateTimeField("保密审查通过时间", null=True, blank=True)
    publish_at = models.DateTimeField("定时发布时间", null=True, blank=True)
    published_at = models.DateTimeField("发布日期", null=True, blank=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)

    # Metadata the public page shows (D8).
    publisher = models.ForeignKey(
        "units.Unit", verbose_name="发布机构", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField("来源", max_length=100, blank=True)
    web_editor = models.CharField("网络编辑", max_length=60, blank=True)
    info_reviewer = models.CharField("信息审核", max_length=60, blank=True)
    view_count = models.PositiveIntegerField("阅读数", default=0)
    co_issuer_names = models.CharField("联合发文机构名称", max_length=500, blank=True, editable=False)
    # D11/W5: character trigrams, bigrams and characters, maintained by disclosure.search.reindex().
    search_vector = SearchVectorField(null=True, editable=False)
    search_title = SearchVectorField(null=True, editable=False)

    # M6: adopted by the executive meeting for issue in the city government's name.
    adopted_by_meeting = models.CharField("通过会议", max_length=120, blank=True)
    meeting_date = models.DateField("会议日期", null=True, blank=True)
    major_revisions = models.BooleanField("有重大修改意见需要协调", default=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    deadlines = GenericRelation("clock.Deadline")
    history = HistoricalRecords(m2m_fields=[co_issuers])

    class Meta:
        verbose_name = "公文"
        verbose_name_plural = "公文"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["number_prefix", "number_year", "number_serial"],
                condition=Q(number_serial__isnull=False),
                name="document_number_unique_per_issuer_year",
            ),
            # D2, whatever the path (form, admin, shell): not proactive → a reason and a legal basis.
            models.CheckConstraint(
                condition=Q(attribute="proactive") | (~Q(legal_basis="") & ~Q(attribute_reason="")),
                name="document_non_public_has_reason_and_basis",
            ),
            # D7: nothing is public without confidentiality review.
            models.CheckConstraint(
                condition=~Q(status__in=["published", "scheduled"]) | Q(confidentiality_cleared_at__isnull=False),
                name="document_public_only_after_confidentiality_review",
            ),
        ]
        indexes = [
            models.Index(fields=["issuer", "status", "-created_at"], name="document_issuer_status_idx"),
            # The review and 保密审查 queues page by keyset on (moment, id): the index gives that order,
            # so a page reads its 26 rows, not the whole queue.
            models.Index(fields=["status", "submitted_at", "id"], name="document_queue_idx"),
            models.Index(fields=["status", "accepted_at", "id"], name="document_clearance_queue_idx",
                         condition=Q(status="confidentiality_review")),
            models.Index(fields=["status", "-published_at"], name="document_public_idx"),
            models.Index(fields=["area", "status", "-published_at"], name="document_area_idx"),
            models.Index(fields=["issuer", "status", "-published_at"], name="document_unit_public_idx"),
            models.Index(fields=["topic", "status", "-published_at"], name="document_topic_idx"),
            models.Index(fields=["validity", "status", "-published_at"], name="document_validity_idx"),
            models.Index(fields=["-published_at", "-id"], name="document_published_idx",
                         condition=Q(status__in=["published", "scheduled"], attribute="proactive")),
            # 相关信息 on a document page: the same unit's newest in the same area, read five rows deep.
            models.Index(fields=["issuer", "area", "-published_at", "-id"], name="document_related_idx",
                         condition=Q(status__in=["published", "scheduled"], attribute="proactive")),
            models.Index(fields=["number_prefix", "number_year", "number_serial"], name="document_number_idx"),
            models.Index(fields=["classification", "issuer"], name="document_class_issuer_idx",
                         condition=~Q(classification="other")),
            # W5: "71号" and "〔2016〕71号" look up by serial (and year); a typed 索引号 by its column.
            models.Index(fields=["number_serial", "number_year"], name="document_serial_idx"),
            models.Index(fields=["index_number"], name="document_index_number_idx"),
            models.Index(fields=["-updated_at", "-id"], name="document_updated_idx"),  # 我的公文, by keyset
            # The search index is document_search_year_idx (migration 0012): the vector with each document's
            # publication year (btree_gin), so a search can take the newest years first. PostgreSQL only.
        ]

    def __str__(self):
        return f"{self.title}({self.document_number})" if self.document_number else self.title

    @property
    def document_number(self) -> str:
        """发文字号, e.g. 铜政办发〔2016〕71号 (D8)."""
        if not (self.number_prefix and self.number_year and self.number_serial):
            return ""
        return f"{self.number_prefix}〔{self.number_year}〕{self.number_serial}号"

    @property
    def issuing_body(self):
        """发文机构 as the public sees it (D8): the body in whose name it is issued, not the drafter."""
        return self.issued_by if self.issued_by_id else self.issuer

    @property
    def drafted_elsewhere(self) -> bool:
        """True when the drafting department (起草单位) differs from the issuing body."""
        return bool(self.issued_by_id) and self.issued_by_id != self.issuer_id

    @property
    def issued_in_city_name(self) -> bool:
        return self.issued_in_name_of in (IssuedInNameOf.CITY_GOVERNMENT, IssuedInNameOf.CITY_OFFICE)

    @property
    def is_policy(self) -> bool:
        return self.kind in (DocumentKind.POLICY, DocumentKind.CITY_POLICY_DRAFT)

    @property
    def goes_to_city_office(self) -> bool:
        """City-government documents and 请示件 are reviewed by the city office; the rest by the unit head."""
        return self.kind in (DocumentKind.CITY_POLICY_DRAFT, DocumentKind.ISSUE_REQUEST) or self.issued_in_name_of in (
            IssuedInNameOf.CITY_GOVERNMENT, IssuedInNameOf.CITY_OFFICE)

    @property
    def needs_sealed_review(self) -> bool:
        """D3: a policy document proposed as not (proactively) public."""
        return self.is_policy and self.attribute != DisclosureAttribute.PROACTIVE

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def is_public_at(self, moment) -> bool:
        """This row read by the rule of `selectors.public_documents` (D7), for a page that already holds
        it by primary key: 主动公开, cleared by confidentiality review, published or due by schedule."""
        return (self.attribute == DisclosureAttribute.PROACTIVE and self.confidentiality_cleared_at is not None
                and (self.status == Status.PUBLISHED
                     or (self.status == Status.SCHEDULED and self.publish_at is not None and self.publish_at <= moment)))

    def get_absolute_url(self):
        return reverse("disclosure:staff_detail", args=[self.pk])

    def get_public_url(self):
        return reverse("disclosure:public_detail", args=[self.pk])


class DocumentUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Document, on_delete=models.CASCADE, verbose_name="公文")

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "公文用户权限"
        verbose_name_plural = "公文用户权限"


class DocumentGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Document, on_delete=models.CASCADE, verbose_name="公文")

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = "公文用户组权限"
        verbose_name_plural = "公文用户组权限"


def attachment_path(instance, filename):
    """Server-generated names: nothing the uploader typed reaches the file system."""
    return f"attachments/{instance.uploaded_at:%Y/%m}/{uuid.uuid4().hex}.{instance.file_type}"


# Migration 0001 names it ``disclosure.models.attachment_path``; keep that path (no migration rewritten).
attachment_path.__module__ = "disclosure.models"


class Attachment(models.Model):
    """附件 — type checked by content, stored under a generated name, served with a safe disposition."""

    class FileType(models.TextChoices):
        PDF = "pdf", "PDF"
        OFD = "ofd", "OFD"
        DOC = "doc", "Word 97-2003"
        DOCX = "docx", "Word"
        XLS = "xls", "Excel 97-2003"
        XLSX = "xlsx", "Excel"
        JPG = "jpg", "JPEG 图片"
        PNG = "png", "PNG 图片"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attachments", verbose_name="公文")
    file = models.FileField("文件", upload_to=attachment_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    file_type = models.CharField("类型", max_length=8, choices=FileType.choices)
    size = models.PositiveIntegerField("大小(字节)")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="上传人")
    uploaded_at = models.DateTimeField("上传时间")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class IndexSequence(models.Model):
    """The running number behind 索引号 TCXXGK-<year>-<number>, one row per year."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    last = models.PositiveIntegerField("已用序号", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "索引号序列"
        verbose_name_plural = "索引号序列"

    def __str__(self):
        return f"{self.year}: {self.last}"
