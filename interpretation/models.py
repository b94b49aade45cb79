"""政策解读 — interpretation plans and materials released with their documents (I1–I11).

A plan (解读方案) belongs to one document and to its drafting (lead) unit; the
materials (解读材料, here `Interpretation`) follow it, one kind per form. Each
change of state goes through `services.py`; what the public sees is decided in
`selectors.py`, always on top of `disclosure.selectors.public_documents()`.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from disclosure.models import Topic


class PlanForm(models.TextChoices):
    """I3: the forms a plan may choose (解读形式)."""

    GRAPHIC = "graphic", "网上图解"
    ONLINE_INTERVIEW = "online_interview", "在线访谈"
    QA = "qa", "政策问答"
    EXPERT = "expert", "专家解读"
    PRESS_CONFERENCE = "press_conference", "新闻发布"
    MEDIA_INTERVIEW = "media_interview", "媒体专访"


class MaterialKind(models.TextChoices):
    """I3, I7: one kind of material per form; text, charts, data, audio and video as media."""

    ARTICLE = "article", "文字解读"
    QA = "qa", "政策问答"
    GRAPHIC = "graphic", "网上图解"
    INTERVIEW = "interview", "在线访谈"
    EXPERT = "expert", "专家解读"
    PRESS_RELEASE = "press_release", "新闻发布"
    DATA = "data", "图表数据"
    MEDIA = "media", "音视频解读"


# I7: materials follow the plan — each form the plan names needs a material of one of these kinds.
FORM_MATERIALS = {
    PlanForm.GRAPHIC: {MaterialKind.GRAPHIC},
    PlanForm.ONLINE_INTERVIEW: {MaterialKind.INTERVIEW},
    PlanForm.QA: {MaterialKind.QA},
    PlanForm.EXPERT: {MaterialKind.EXPERT},
    PlanForm.PRESS_CONFERENCE: {MaterialKind.PRESS_RELEASE},
    PlanForm.MEDIA_INTERVIEW: {MaterialKind.ARTICLE, MaterialKind.MEDIA},
}


class Focus(models.TextChoices):
    """I11: what an interpretation addresses (解读要点)."""

    SCOPE = "scope", "适用范围"
    STANDARDS = "standards", "执行标准"
    BENEFITS = "benefits", "惠民举措"
    CAUTIONS = "cautions", "注意事项"
    TERMS = "terms", "关键词解释"
    DIFFERENCES = "differences", "新旧政策差异"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "编制中"
    APPROVED = "approved", "已审定"


PLAN_TRANSITIONS = {
    PlanStatus.DRAFT: {PlanStatus.APPROVED},
    PlanStatus.APPROVED: {PlanStatus.DRAFT},  # reopened for revision: the approval lapses, on the record
}


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    APPROVED = "approved", "已审定"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


# The one map of allowed transitions (STYLE.md "Workflows").
TRANSITIONS = {
    Status.DRAFT: {Status.APPROVED},
    Status.APPROVED: {Status.DRAFT, Status.PUBLISHED},
    Status.PUBLISHED: {Status.WITHDRAWN},
    Status.WITHDRAWN: set(),
}


class InterpretationPlan(models.Model):
    """解读方案 (I6) — outline, forms, channels, timing, background and data of a document's interpretation.

    It belongs to the document's drafting unit (谁起草、谁解读, I2) and is approved
    (审定) by that unit's principal head, a recorded act with its time (I5).
    """

    document = models.OneToOneField("disclosure.Document", on_delete=models.CASCADE,
                                    related_name="interpretation_plan", verbose_name="公文")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="interpretation_plans",
                             verbose_name="解读牵头单位")
    outline = models.TextField("解读提纲")
    forms = models.JSONField("解读形式", default=list)
    channels = models.TextField("发布渠道")
    timing = models.TextField("时间安排")
    background = models.TextField("出台背景")
    data = models.TextField("相关数据", blank=True)
    status = models.CharField("状态", max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="审定人")
    approved_at = models.DateTimeField("审定时间", null=True, blank=True)
    approval_requested_at = models.DateTimeField("报请审定时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="编制人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    deadlines = GenericRelation("clock.Deadline")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "解读方案"
        verbose_name_plural = "解读方案"
        ordering = ["-updated_at"]
        permissions = [
            ("contribute_interpretationplan", "可提供解读材料"),
            ("approve_interpretationplan", "可审定解读方案和材料"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(approved_by__isnull=False) & Q(approved_at__isnull=False)),
                name="interpretation_plan_approval_is_recorded",
            ),
        ]
        indexes = [models.Index(fields=["unit", "status"], name="interp_plan_unit_status_idx")]

    def __str__(self):
        return f"《{self.document.title}》解读方案"

    @property
    def is_approved(self) -> bool:
        return self.status == PlanStatus.APPROVED

    def get_forms_display(self) -> list[str]:
        return [PlanForm(f).label for f in self.forms if f in PlanForm.values]


class InterpretationPlanUserObjectPermission(UserObjectPermissionBase):
    """Guardian grant (direct FK); grants keep their own history, so who could act when is on record."""

    content_object = models.ForeignKey(InterpretationPlan, on_delete=models.CASCADE, verbose_name="解读方案")
    history = HistoricalRecords()

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "解读方案用户权限"
        verbose_name_plural = "解读方案用户权限"


class InterpretationPlanGroupObjectPermission(GroupObjectPermissionBase):
    """A unit's grant on a plan (I2): lead unit — everything; co-issuers — view and contribute."""

    content_object = models.ForeignKey(InterpretationPlan, on_delete=models.CASCADE, verbose_name="解读方案")
    history = HistoricalRecords()

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = "解读方案用户组权限"
        verbose_name_plural = "解读方案用户组权限"


class Expert(models.Model):
    """解读专家 (I11) — the expert team, per sector, linkable to interpretations."""

    name = models.CharField("姓名", max_length=40)
    title = models.CharField("职称职务", max_length=60)
    affiliation = models.CharField("工作单位", max_length=100)
    sector = models.CharField("领域", max_length=32, choices=Topic.choices)
    specialties = models.CharField("专业方向", max_length=200)
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="联系单位")
    is_active = models.BooleanField("在库", default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="登记人")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "解读专家"
        verbose_name_plural = "解读专家"
        ordering = ["sector", "name", "pk"]
        indexes = [models.Index(fields=["sector", "is_active"], name="interp_expert_sector_idx")]

    def __str__(self):
        return f"{self.name}({self.affiliation}{self.title})"


def graphic_path(instance, filename):
    """Server-generated names: nothing the uploader typed reaches the file system."""
    return f"interpretation/{uuid.uuid4().hex}.{instance.image_type}"


class Interpretation(models.Model):
    """解读材料 — one interpretation of a document, of one kind (I3, I7), public with its document (I4, I8).

    `round` orders them against the document (I9): 1 for those released with the
    document, then 2, 3, … for each follow-up as it is published.
    """

    document = models.ForeignKey("disclosure.Document", on_delete=models.CASCADE, related_name="interpretations",
                                 verbose_name="解读的公文")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="interpretations",
                             verbose_name="解读牵头单位")
    contributor = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+",
                                    verbose_name="材料提供单位")
    kind = models.CharField("材料类型", max_length=16, choices=MaterialKind.choices)
    title = models.CharField("标题", max_length=200)
    summary = models.CharField("导语", max_length=300, blank=True)
    focus = models.JSONField("解读要点", default=list, blank=True)
    body = models.TextField("正文", blank=True)
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="interpretations", verbose_name="解读专家")
    guests = models.TextField("访谈嘉宾", blank=True, help_text="每行一位:姓名、单位和职务。")
    transcript = models.TextField("文字实录", blank=True)
    media_url = models.URLField("音视频链接", blank=True)
    image = models.FileField("图解图片", upload_to=graphic_path, blank=True, max_length=200)
    image_type = models.CharField("图片类型", max_length=4, blank=True)
    image_alt = models.TextField("图片文字说明", blank=True)
    table_caption = models.CharField("表格标题", max_length=200, blank=True)
    table_text = models.TextField("数据表", blank=True, help_text="每行一条,单元格用英文逗号或制表符分隔;第一行为表头。")

    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFT)
    round = models.PositiveSmallIntegerField("解读批次", null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="审定人")
    approved_at = models.DateTimeField("审定时间", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name="保密审查并发布人")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="撰写人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "解读材料"
        verbose_name_plural = "解读材料"
        ordering = ["document", "round", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(approved_by__isnull=False) & Q(approved_at__isnull=False)),
                name="interpretation_approval_is_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["published", "withdrawn"])
                | (Q(published_at__isnull=False) & Q(round__isnull=False)),
                name="interpretation_published_has_moment_and_round",
            ),
            # A graphic without its text alternative is unreadable for blind readers (W5).
            models.CheckConstraint(condition=~Q(kind="graphic") | ~Q(image_alt=""),
                                   name="interpretation_graphic_has_text_alternative"),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="interp_public_idx"),
            models.Index(fields=["kind", "status", "-published_at"], name="interp_kind_idx"),
            models.Index(fields=["unit", "status", "-published_at"], name="interp_unit_idx"),
            models.Index(fields=["document", "status", "round"], name="interp_document_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("interpretation:detail", args=[self.pk])

    def get_staff_url(self):
        return reverse("interpretation:material", args=[self.document_id, self.pk])

    @property
    def release_at(self):
        """When it became public: its own moment, or its scheduled document's (I8)."""
        return self.published_at or self.document.published_at

    def get_focus_display(self) -> list[str]:
        return [Focus(f).label for f in self.focus if f in Focus.values]

    def guest_lines(self) -> list[str]:
        return [line.strip() for line in self.guests.splitlines() if line.strip()]

    def table_rows(self) -> list[list[str]]:
        rows = []
        for line in self.table_text.splitlines():
            if line.strip():
                separator = "\t" if "\t" in line else ","
                rows.append([cell.strip() for cell in line.split(separator)])
        return rows


class QAPair(models.Model):
    """One question and its answer, in order (政策问答)."""

    interpretation = models.ForeignKey(Interpretation, on_delete=models.CASCADE, related_name="qa_pairs",
                                       verbose_name="解读材料")
    position = models.PositiveSmallIntegerField("序号")
    question = models.TextField("问")
    answer = models.TextField("答")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "问答"
        verbose_name_plural = "问答"
        ordering = ["interpretation", "position"]
        constraints = [
            models.UniqueConstraint(fields=["interpretation", "position"], name="qa_pair_position_unique"),
        ]

    def __str__(self):
        return self.question[:40]


class SourceLevel(models.TextChoices):
    CENTRAL = "central", "中央"
    PROVINCIAL = "provincial", "省级"
    SECTOR = "sector", "行业主管部门"


class ReprintStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


REPRINT_TRANSITIONS = {
    ReprintStatus.DRAFT: {ReprintStatus.PUBLISHED},
    ReprintStatus.PUBLISHED: {ReprintStatus.WITHDRAWN},
    ReprintStatus.WITHDRAWN: set(),
}


class Reprint(models.Model):
    """转载 (I1) — a central or provincial policy reprinted with its source, link, 文号 and date."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="reprints", verbose_name="转载单位")
    title = models.CharField("标题", max_length=300)
    source = models.CharField("来源", max_length=100, help_text="如:中国政府网、陕西省人民政府。")
    source_level = models.CharField("层级", max_length=12, choices=SourceLevel.choices)
    original_url = models.URLField("原文链接")
    original_number = models.CharField("原文字号", max_length=60, blank=True)
    original_date = models.DateField("原文发布日期")
    body = models.TextField("正文")
    status = models.CharField("状态", max_length=12, choices=ReprintStatus.choices, default=ReprintStatus.DRAFT)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name="保密审查并发布人")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="经办人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "政策转载"
        verbose_name_plural = "政策转载"
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(status="published") | Q(published_at__isnull=False),
                                   name="reprint_published_has_moment"),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="reprint_public_idx"),
            models.Index(fields=["unit", "status", "-published_at"], name="reprint_unit_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("interpretation:reprint", args=[self.pk])


class ReprintNote(models.Model):
    """贯彻落实情况 — a dated note on how the unit implements a reprinted policy (I1)."""

    reprint = models.ForeignKey(Reprint, on_delete=models.CASCADE, related_name="notes", verbose_name="转载")
    noted_on = models.DateField("日期")
    body = models.TextField("落实情况")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="填报人")
    created_at = models.DateTimeField("填报时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "贯彻落实情况"
        verbose_name_plural = "贯彻落实情况"
        ordering = ["reprint", "noted_on", "pk"]

    def __str__(self):
        return f"{self.reprint.title} {self.noted_on:%Y-%m-%d}"
