"""依申请公开 — applications for government information (条例第二十七至四十五条; A1–A5).

An application is received by a unit (第31条 fixes its receipt date by channel), may be asked once for a
correction (第30条), may wait for a third party's opinion (第32条) or a fee (第42条), and ends with exactly one
reply whose outcome is a leaf row of the annual report's table 三 (`outcomes.Outcome`). Every clock runs on the
one deadline engine (`deadlines.py`); the rows here keep what was decided and the dates the law counts.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from tongchuan_portal.core.models import Clearance

from .outcomes import ApplicantColumn, Outcome


class ApplicantType(models.TextChoices):
    PERSON = "person", "公民"
    ORGANISATION = "organisation", "法人或者其他组织"


class OrganisationKind(models.TextChoices):
    """The kinds of 法人或其他组织 — the annual report's columns (ApplicantColumn), one to one."""

    BUSINESS = ApplicantColumn.BUSINESS.value, "商业企业"
    RESEARCH = ApplicantColumn.RESEARCH.value, "科研机构"
    PUBLIC_INTEREST = ApplicantColumn.PUBLIC_INTEREST.value, "社会公益组织"
    LEGAL_SERVICES = ApplicantColumn.LEGAL_SERVICES.value, "法律服务机构"
    OTHER = ApplicantColumn.OTHER_ORGANISATION.value, "其他"


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", "居民身份证"
    HK_MACAO_PASS = "hk_macao_pass", "港澳居民来往内地通行证"
    TAIWAN_PASS = "taiwan_pass", "台湾居民来往大陆通行证"
    PASSPORT = "passport", "护照"
    FOREIGN_PERMANENT = "foreign_permanent", "外国人永久居留身份证"
    HMT_RESIDENCE = "hmt_residence", "港澳台居民居住证"


class Carrier(models.TextChoices):
    PAPER = "paper", "纸质"
    ELECTRONIC = "electronic", "电子邮件/数据电文"
    CD = "cd", "光盘"
    DISK = "disk", "磁盘"


class Delivery(models.TextChoices):
    POST = "post", "邮寄"
    EMAIL = "email", "电子邮件"
    FAX = "fax", "传真"
    PICK_UP = "pick_up", "当面领取"
    ON_SITE = "on_site", "现场查阅"


class Channel(models.TextChoices):
    """How the application came in (第29条; 第31条 makes the receipt date follow it)."""

    ONLINE = "online", "网上申请"
    IN_PERSON = "in_person", "当面提交"
    POST = "post", "邮寄"
    FAX = "fax", "传真"
    EMAIL = "email", "电子邮件"
    ORAL = "oral", "口头提出(工作人员代为填写)"


class Status(models.TextChoices):
    SUBMITTED = "submitted", "待确认"
    CORRECTION = "correction", "待补正"
    PROCESSING = "processing", "办理中"
    CONSULTING = "consulting", "征求意见中"
    AWAITING_FEE = "awaiting_fee", "待缴费"
    REPLIED = "replied", "已答复"


#: The one map of allowed moves (STYLE.md "Workflows").
TRANSITIONS = {
    Status.SUBMITTED: {Status.PROCESSING},
    Status.PROCESSING: {Status.CORRECTION, Status.CONSULTING, Status.AWAITING_FEE, Status.REPLIED},
    Status.CORRECTION: {Status.PROCESSING, Status.REPLIED},
    Status.CONSULTING: {Status.PROCESSING},
    Status.AWAITING_FEE: {Status.PROCESSING, Status.REPLIED},
    Status.REPLIED: set(),
}

OPEN_STATUSES = (Status.SUBMITTED, Status.CORRECTION, Status.PROCESSING, Status.CONSULTING, Status.AWAITING_FEE)


class Application(models.Model):
    """政府信息公开申请 — one application, its applicant, what is wanted, and where it stands."""

    number = models.CharField("申请编号", max_length=20, unique=True)
    query_code_hash = models.CharField("查询码摘要", max_length=64, editable=False)
    unit = models.ForeignKey("units.Unit", verbose_name="办理单位", on_delete=models.PROTECT,
                             related_name="applications")
    first_unit = models.ForeignKey("units.Unit", verbose_name="最初收到的单位", on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True)
    channel = models.CharField("申请方式", max_length=12, choices=Channel.choices, default=Channel.ONLINE)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")

    applicant_type = models.CharField("申请人类型", max_length=14, choices=ApplicantType.choices)
    organisation_kind = models.CharField("组织类别", max_length=20, choices=OrganisationKind.choices, blank=True)
    applicant_column = models.CharField("申请人情况(年报栏目)", max_length=20, choices=ApplicantColumn.choices)
    name = models.CharField("姓名或名称", max_length=100)
    work_unit = models.CharField("工作单位", max_length=100, blank=True)
    id_type = models.CharField("证件类型", max_length=20, choices=IdType.choices, blank=True)
    id_number = models.CharField("证件号码", max_length=40, blank=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    legal_representative = models.CharField("法定代表人", max_length=40, blank=True)
    contact_person = models.CharField("联系人", max_length=40, blank=True)
    phone = models.CharField("联系电话", max_length=30)
    address = models.CharField("通讯地址", max_length=200, blank=True)
    postcode = models.CharField("邮政编码", max_length=6, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    identity_proof = models.FileField("身份证明", upload_to="applications/identity/%Y/", blank=True)
    identity_proof_name = models.CharField("身份证明文件名", max_length=200, blank=True)

    description = models.TextField("所需信息的内容描述")
    document_number = models.CharField("文号", max_length=60, blank=True)
    index_number = models.CharField("索引号", max_length=40, blank=True)
    matched_document = models.ForeignKey("disclosure.Document", verbose_name="对应的已公开文件", null=True,
                                         blank=True, on_delete=models.SET_NULL, related_name="+")
    description_key = models.CharField("描述归一", max_length=200, blank=True, db_index=True,
                                       help_text="用于统计相同内容的申请。")
    carrier = models.CharField("信息载体", max_length=12, choices=Carrier.choices)
    delivery = models.CharField("获取方式", max_length=12, choices=Delivery.choices)

    status = models.CharField("状态", max_length=14, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField("提交时间")
    received_on = models.DateField("收到申请日期", null=True, blank=True,
                                   help_text="按条例第三十一条确定;网上申请为确认收到之日。")
    confirmed_at = models.DateTimeField("确认收到时间", null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")

    # 补正 (第30条): one notice, once.
    correction_items = models.TextField("需补正的内容", blank=True)
    correction_days = models.PositiveSmallIntegerField("补正期限(工作日)", null=True, blank=True)
    correction_requested_at = models.DateTimeField("补正告知时间", null=True, blank=True)
    corrected_at = models.DateTimeField("补正时间", null=True, blank=True)
    corrected_on = models.DateField("收到补正日期", null=True, blank=True)
    correction_text = models.TextField("补正内容", blank=True)

    # 延期 (第33条第二款): once, approved by the head of the disclosure office.
    extension_days = models.PositiveSmallIntegerField("延期工作日", null=True, blank=True)
    extension_reason = models.CharField("延期理由", max_length=300, blank=True)
    extension_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="延期批准人", null=True,
                                              blank=True, on_delete=models.PROTECT, related_name="+")
    extended_at = models.DateTimeField("延期时间", null=True, blank=True)

    # 答复 (第36、37条): one outcome, a leaf row of table 三.
    outcome = models.CharField("办理结果", max_length=24, choices=Outcome.choices, blank=True)
    proposed_outcome = models.CharField("拟办理结果", max_length=24, choices=Outcome.choices, blank=True,
                                        help_text="答复报送保密审查时拟定的结果;审查通过发出答复后成为办理结果。")
    reply_text = models.TextField("答复内容", blank=True)
    withheld = models.TextField("不予公开的内容及理由", blank=True)
    legal_basis = models.CharField("法律依据", max_length=200, blank=True)
    responsible_office = models.CharField("负责公开的机关", max_length=100, blank=True)
    responsible_contact = models.CharField("该机关联系方式", max_length=100, blank=True)
    disclosed_document = models.ForeignKey("disclosure.Document", verbose_name="公开的文件", null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+")
    remedies = models.TextField("救济途径", blank=True)
    reply_clearance = models.CharField("保密审查", max_length=10, choices=Clearance.choices, blank=True,
                                       default=Clearance.NOT_ASKED)
    reply_submitted_at = models.DateTimeField("答复报送保密审查时间", null=True, blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="答复人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    delivered_on = models.DateField("送达(交邮)日期", null=True, blank=True)
    delivery_note = models.CharField("送达记录", max_length=200, blank=True)

    # 督办 by the city office.
    supervised_at = models.DateTimeField("督办时间", null=True, blank=True)
    supervision_note = models.CharField("督办意见", max_length=300, blank=True)

    deadlines = GenericRelation("clock.Deadline", content_type_field="content_type", object_id_field="object_id")
    history = HistoricalRecords(excluded_fields=["query_code_hash"])

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["unit", "status", "submitted_at"], name="application_queue_idx"),
            models.Index(fields=["status", "submitted_at"], name="application_status_idx"),
            models.Index(fields=["unit", "received_on"], name="application_received_idx"),
            models.Index(fields=["unit", "replied_on"], name="application_replied_idx"),
            models.Index(fields=["matched_document"], name="application_match_idx",
                         condition=Q(matched_document__isnull=False)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="replied", replied_on__isnull=False) | (~Q(status="replied") & Q(outcome="")),
                name="application_replied_has_date"),
        ]

    def __str__(self):
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def identifier(self) -> str:
        """What counts applications per applicant (A5): the ID number or the credit code."""
        return self.credit_code if self.applicant_type == ApplicantType.ORGANISATION else self.id_number


class ApplicationSequence(models.Model):
    """The running number behind YSQ-<year>-<number>, one row per year (locked when a number is drawn)."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    last = models.PositiveIntegerField("已用到", default=0)

    class Meta:
        verbose_name = "申请编号序列"
        verbose_name_plural = "申请编号序列"


class StepKind(models.TextChoices):
    SUBMITTED = "submitted", "提交申请"
    REGISTERED = "registered", "登记申请"
    CONFIRMED = "confirmed", "确认收到"
    CORRECTION_REQUESTED = "correction_requested", "告知补正"
    CORRECTED = "corrected", "提交补正"
    EXTENDED = "extended", "延期答复"
    CONSULTATION_STARTED = "consultation_started", "征求第三方意见"
    CONSULTATION_ENDED = "consultation_ended", "第三方意见办结"
    FEE_NOTIFIED = "fee_notified", "收费通知"
    FEE_PAID = "fee_paid", "缴纳费用"
    TRANSFERRED = "transferred", "转交办理单位"
    SUPERVISED = "supervised", "督办"
    REPLY_SUBMITTED = "reply_submitted", "答复报送保密审查"
    REPLY_REFUSED = "reply_refused", "答复未通过保密审查"
    REPLIED = "replied", "答复"
    DELIVERED = "delivered", "送达"
    CLOSED = "closed", "终止办理"


class NoticeKind(models.TextChoices):
    RECEIPT = "receipt", "接收回执"
    CORRECTION = "correction", "补正告知书"
    EXTENSION = "extension", "延期答复告知书"
    CONSULTATION = "consultation", "征求意见书"
    FEE = "fee", "收费通知书"
    REPLY = "reply", "答复告知书"


class ApplicationStep(models.Model):
    """One step of the timeline the applicant and the office see; a notice issued with it, if any."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps",
                                    verbose_name="申请")
    kind = models.CharField("环节", max_length=24, choices=StepKind.choices)
    notice = models.CharField("文书", max_length=14, choices=NoticeKind.choices, blank=True)
    at = models.DateTimeField("时间")
    text = models.TextField("说明", blank=True)
    public = models.BooleanField("申请人可见", default=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", null=True, blank=True,
                           on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "办理环节"
        verbose_name_plural = "办理环节"
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["application", "at"], name="application_step_idx")]

    def __str__(self):
        return f"{self.application} {self.get_kind_display()}"


class FeeMethod(models.TextChoices):
    PER_APPLICATION = "per_application", "按件计收"
    PER_VOLUME = "per_volume", "按量计收"


class Fee(models.Model):
    """信息处理费 (第42条; 国办函〔2020〕109号): computed by the service, never typed."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="fee",
                                       verbose_name="申请")
    method = models.CharField("计收方式", max_length=16, choices=FeeMethod.choices)
    count = models.PositiveIntegerField("件数或页数")
    amount = models.DecimalField("金额(元)", max_digits=10, decimal_places=2)
    arithmetic = models.TextField("计算过程")
    notified_at = models.DateTimeField("通知时间")
    paid_on = models.DateField("缴费日期", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "信息处理费"
        verbose_name_plural = "信息处理费"
        indexes = [models.Index(fields=["paid_on"], name="application_fee_paid_idx")]

    def __str__(self):
        return f"{self.application} {self.amount}元"


class Consultation(models.Model):
    """征求意见书 (第32条): the third party and its opinion."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="consultations",
                                    verbose_name="申请")
    third_party = models.CharField("第三方", max_length=100)
    contact = models.CharField("第三方联系方式", max_length=100, blank=True)
    question = models.TextField("征求意见事项")
    sent_at = models.DateTimeField("发出时间")
    opinion = models.TextField("第三方意见", blank=True)
    answered_at = models.DateTimeField("收到意见时间", null=True, blank=True)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "第三方意见征求"
        verbose_name_plural = "第三方意见征求"
        ordering = ["sent_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["application"], condition=Q(closed_at__isnull=True),
                                               name="application_one_open_consultation")]

    def __str__(self):
        return f"{self.application} → {self.third_party}"


class ReplyAttachment(models.Model):
    """A file the reply provides (予以公开, 部分公开)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments",
                                    verbose_name="申请")
    file = models.FileField("文件", upload_to="applications/replies/%Y/")
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("类型", max_length=100)
    sha256 = models.CharField("校验值", max_length=64)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "答复附件"
        verbose_name_plural = "答复附件"
        ordering = ["pk"]

    def __str__(self):
        return self.original_name


class PersonalDataView(models.Model):
    """Who opened an applicant's full personal data, and when (the audit trail of the handler's detail page)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="personal_data_views",
                                    verbose_name="申请")
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="查看人", on_delete=models.PROTECT,
                               related_name="+")
    at = models.DateTimeField("查看时间", auto_now_add=True)

    class Meta:
        verbose_name = "申请人信息查看记录"
        verbose_name_plural = "申请人信息查看记录"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["application", "at"], name="application_pd_view_idx")]
