"""Documents (公文) with their disclosure attributes, reviews and returns (D1–D9, D13, M6)."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords


class DisclosureAttribute(models.TextChoices):
    """公开属性 (D1): every document carries exactly one."""

    PROACTIVE = "proactive", "主动公开"
    ON_REQUEST = "on_request", "依申请公开"
    NOT_PUBLIC = "not_public", "不予公开"


class LegalBasis(models.TextChoices):
    """The statutory grounds for not disclosing (D2; 政府信息公开条例第十四、十五、十六条)."""

    STATE_SECRET = "state_secret", "国家秘密(条例第十四条)"
    LAW_PROHIBITED = "law_prohibited", "法律、行政法规禁止公开(条例第十四条)"
    SECURITY_STABILITY = "security_stability", "公开后可能危及国家安全、公共安全、经济安全、社会稳定(条例第十四条)"
    TRADE_SECRET = "trade_secret", "涉及商业秘密(条例第十五条)"
    PRIVACY = "privacy", "涉及个人隐私(条例第十五条)"
    INTERNAL_AFFAIRS = "internal_affairs", "内部事务信息(条例第十六条第一款)"
    PROCESS_INFO = "process_info", "过程性信息(条例第十六条第二款)"
    ENFORCEMENT_FILE = "enforcement_file", "行政执法案卷信息(条例第十六条第二款)"


class FiveDisclosure(models.TextChoices):
    """五公开 (D9): the area a document is filed under."""

    DECISION = "decision", "决策公开"
    EXECUTION = "execution", "执行公开"
    MANAGEMENT = "management", "管理公开"
    SERVICE = "service", "服务公开"
    RESULT = "result", "结果公开"


class Topic(models.TextChoices):
    """主题分类, after the State Council's 公文主题词表 categories."""

    GENERAL = "general", "综合政务"
    ECONOMY = "economy", "国民经济管理、国有资产监管"
    FINANCE = "finance", "财政、金融、审计"
    LAND_ENERGY = "land_energy", "国土资源、能源"
    AGRICULTURE = "agriculture", "农业、林业、水利"
    INDUSTRY_TRANSPORT = "industry_transport", "工业、交通"
    COMMERCE = "commerce", "商贸、海关、旅游"
    MARKET = "market", "市场监管、安全生产监管"
    CONSTRUCTION_ENVIRONMENT = "construction_environment", "城乡建设、环境保护"
    SCIENCE_EDUCATION = "science_education", "科技、教育"
    CULTURE = "culture", "文化、广电、新闻出版"
    HEALTH_SPORTS = "health_sports", "卫生、体育"
    POPULATION = "population", "人口与计划生育、妇女儿童工作"
    LABOUR = "labour", "劳动、人事、监察"
    PUBLIC_SECURITY = "public_security", "公安、安全、司法"
    CIVIL_AFFAIRS = "civil_affairs", "民政、扶贫、救灾"
    ETHNIC_RELIGION = "ethnic_religion", "民族、宗教"
    FOREIGN = "foreign", "对外事务"
    OTHER = "other", "其他"


class DocumentKind(models.TextChoices):
    POLICY = "policy", "政策性文件"
    CITY_POLICY_DRAFT = "city_policy_draft", "市政府政策性文件代拟稿"
    ISSUE_REQUEST = "issue_request", "以发文为目的的请示件"
    OTHER = "other", "其他公文"


class IssuedInNameOf(models.TextChoices):
    OWN_UNIT = "own_unit", "本单位名义"
    CITY_GOVERNMENT = "city_government", "市政府名义"
    CITY_OFFICE = "city_office", "市政府办公室名义"


class Validity(models.TextChoices):
    """公文时效."""

    VALID = "valid", "有效"
    EXPIRED = "expired", "失效"
    REPEALED = "repealed", "废止"


class DocumentClass(models.TextChoices):
    """The classification table 二 of the annual report counts (A6; 国办公开办函〔2021〕30号, 第二十条第(一)项)."""

    REGULATION = "regulation", "规章"
    NORMATIVE = "normative", "行政规范性文件"
    OTHER = "other", "其他文件"


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    SEAL_REVIEW = "seal_review", "待公开机构审查"
    SUBMITTED = "submitted", "已报送待审核"
    RETURNED = "returned", "已退文待修改"
    ACCEPTED = "accepted", "已审核通过"
    CONFIDENTIALITY_REVIEW = "confidentiality_review", "待保密审查"
    SCHEDULED = "scheduled", "定时发布"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


# The one map of allowed transitions (STYLE.md "Workflows").
TRANSITIONS = {
    Status.DRAFT: {Status.SEAL_REVIEW, Status.SUBMITTED},
    Status.SEAL_REVIEW: {Status.DRAFT, Status.RETURNED},
    Status.SUBMITTED: {Status.RETURNED, Status.ACCEPTED, Status.CONFIDENTIALITY_REVIEW},
    Status.RETURNED: {Status.SEAL_REVIEW, Status.SUBMITTED},
    Status.ACCEPTED: {Status.CONFIDENTIALITY_REVIEW},
    Status.CONFIDENTIALITY_REVIEW: {Status.PUBLISHED, Status.SCHEDULED, Status.RETURNED},
    Status.SCHEDULED: {Status.PUBLISHED, Status.WITHDRAWN, Status.CONFIDENTIALITY_REVIEW},  # a change lapses it
    Status.PUBLISHED: {Status.WITHDRAWN},
    Status.WITHDRAWN: set(),
}
EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)
PUBLIC_STATUSES = (Status.PUBLISHED, Status.SCHEDULED)  # scheduled counts once its moment has come


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
    # D11/W5: jieba words and single characters, maintained by disclosure.search.reindex().
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
            models.Index(fields=["status", "submitted_at"], name="document_queue_idx"),
            models.Index(fields=["status", "-published_at"], name="document_public_idx"),
            models.Index(fields=["area", "status", "-published_at"], name="document_area_idx"),
            models.Index(fields=["issuer", "status", "-published_at"], name="document_unit_public_idx"),
            models.Index(fields=["topic", "status", "-published_at"], name="document_topic_idx"),
            models.Index(fields=["validity", "status", "-published_at"], name="document_validity_idx"),
            models.Index(fields=["-published_at", "-id"], name="document_published_idx",
                         condition=Q(status__in=["published", "scheduled"], attribute="proactive")),
            models.Index(fields=["number_prefix", "number_year", "number_serial"], name="document_number_idx"),
            models.Index(fields=["classification", "issuer"], name="document_class_issuer_idx",
                         condition=~Q(classification="other")),
            GinIndex(fields=["search_vector"], name="document_search_idx"),
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
