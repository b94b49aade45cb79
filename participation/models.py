"""公众参与 — decision drafts for comment, adoption reports, meetings, hearings, messages (M1–M5, P1–P5).

Models hold fields, statuses with their one transition map, constraints and
indexes. Every change of state goes through `services.py`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from tongchuan_portal.core.models import Clearance


class Area(models.TextChoices):
    """P1 — the areas in which major decisions take public participation."""

    ECONOMY = "economy", "经济发展"
    LIVELIHOOD = "livelihood", "社会民生"
    MARKET = "market", "市场监管"
    URBAN = "urban", "城市管理"
    TRAFFIC = "traffic", "交通执法"
    ENVIRONMENT = "environment", "环境保护"
    BENEFITS = "benefits", "惠民政策"


class MeetingKind(models.TextChoices):
    EXECUTIVE = "executive", "政府常务会议"
    SPECIAL = "special", "政府专题会议"
    UNIT_IMPORTANT = "unit_important", "部门重要会议"
    TELECONFERENCE = "teleconference", "电视电话会议"
    HEARING = "hearing", "听证会"
    OPEN_DAY = "open_day", "政府开放日"
    CITIZEN_VISIT = "citizen_visit", "公民代表走进政府"
    STUDENT_PLACEMENT = "student_placement", "大学生假期见习"


# The meetings that decide a draft (M2).
DECIDING_KINDS = (MeetingKind.EXECUTIVE, MeetingKind.SPECIAL, MeetingKind.UNIT_IMPORTANT)
# P5: open-government events that reuse the meetings' registration.
EVENT_KINDS = (MeetingKind.OPEN_DAY, MeetingKind.CITIZEN_VISIT, MeetingKind.STUDENT_PLACEMENT)


class DraftStatus(models.TextChoices):
    DRAFTING = "drafting", "起草中"
    CLEARANCE = "clearance", "待保密审查"
    CONSULTING = "consulting", "征求意见"
    EXEMPT = "exempt", "依法不予公开"
    DECIDED = "decided", "已决策"


DRAFT_TRANSITIONS = {
    # D7: a draft goes public only through 保密审查; a refusal sends it back to drafting.
    DraftStatus.DRAFTING: {DraftStatus.CLEARANCE, DraftStatus.EXEMPT},
    DraftStatus.CLEARANCE: {DraftStatus.CONSULTING, DraftStatus.DRAFTING},
    DraftStatus.CONSULTING: {DraftStatus.DECIDED},
    DraftStatus.EXEMPT: {DraftStatus.DECIDED},
    DraftStatus.DECIDED: set(),
}


class DecisionDraft(models.Model):
    """决策草案 — a major decision's draft and its basis, published for comment before the decision (M2)."""

    title = models.CharField("标题", max_length=200)
    text = models.TextField("草案全文")
    basis = models.TextField("决策依据")
    area = models.CharField("领域", max_length=20, choices=Area.choices)
    unit = models.ForeignKey("units.Unit", verbose_name="起草单位", on_delete=models.PROTECT,
                             related_name="decision_drafts")
    deciding_meeting_kind = models.CharField("决策会议", max_length=20, choices=[(k.value, k.label) for k in DECIDING_KINDS])
    status = models.CharField("状态", max_length=12, choices=DraftStatus.choices, default=DraftStatus.DRAFTING)
    exemption_reason = models.TextField("不予公开的法定理由", blank=True)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    # D7: what the unit asked for when it sent the draft to 保密审查; the window opens on clearance.
    requested_working_days = models.PositiveSmallIntegerField("拟征求意见工作日数", null=True, blank=True)
    requested_opens_at = models.DateTimeField("拟开始时间", null=True, blank=True)
    clearance_requested_at = models.DateTimeField("送保密审查时间", null=True, blank=True)
    confidentiality_cleared_at = models.DateTimeField("保密审查通过时间", null=True, blank=True)
    decided_at = models.DateTimeField("决策时间", null=True, blank=True)
    decision_note = models.TextField("决策结果", blank=True)
    # M6: the 公文 this draft becomes; an executive meeting adopting the draft starts its issue clock.
    document = models.ForeignKey("disclosure.Document", verbose_name="形成的公文", on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="decision_drafts")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="起草人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "决策草案"
        verbose_name_plural = "决策草案"
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="draft_public_idx"),
            models.Index(fields=["area", "status", "-published_at"], name="draft_area_idx"),
            models.Index(fields=["unit", "status", "-published_at"], name="draft_unit_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(basis=""), name="draft_basis_required"),
            models.CheckConstraint(condition=~Q(status="exempt") | ~Q(exemption_reason=""),
                                   name="draft_exemption_needs_reason"),
            # D7: nothing is public without confidentiality review.
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(confidentiality_cleared_at__isnull=False),
                name="draft_public_only_after_confidentiality_review"),
            models.CheckConstraint(
                condition=~Q(status="consulting") | Q(confidentiality_cleared_at__isnull=False),
                name="draft_consulting_only_after_confidentiality_review"),
            models.CheckConstraint(
                condition=~Q(status="clearance") | Q(requested_working_days__gte=7, clearance_requested_at__isnull=False),
                name="draft_clearance_has_request"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status in (DraftStatus.CONSULTING, DraftStatus.DECIDED) and self.published_at is not None


class PeriodStatus(models.TextChoices):
    OPEN = "open", "征求意见中"
    CLOSED = "closed", "已截止"


PERIOD_TRANSITIONS = {PeriodStatus.OPEN: {PeriodStatus.CLOSED}, PeriodStatus.CLOSED: set()}


class CommentPeriod(models.Model):
    """征求意见期 — at least 7 working days (M2), closed by the clock; its adoption report (M3, P3).

    `closes_at` is computed from the official calendar when the period is
    published and is the one moment every write path checks.
    """

    draft = models.ForeignKey(DecisionDraft, on_delete=models.PROTECT, related_name="periods", verbose_name="决策草案")
    working_days = models.PositiveSmallIntegerField("征求意见工作日数")
    opens_at = models.DateTimeField("开始时间")
    closes_at = models.DateTimeField("截止时间")
    provisional = models.BooleanField("截止时间暂定", default=False)
    status = models.CharField("状态", max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.OPEN)
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    report_summary = models.TextField("采纳情况说明", blank=True)
    report_published_at = models.DateTimeField("采纳情况公布时间", null=True, blank=True)
    report_published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                            related_name="+", verbose_name="采纳情况公布人")
    # D7: the adoption report is published only once 保密审查 clears it.
    report_clearance = models.CharField("采纳情况保密审查", max_length=10, choices=Clearance.choices, blank=True,
                                        default=Clearance.NOT_ASKED)
    report_submitted_at = models.DateTimeField("采纳情况送审时间", null=True, blank=True)
    report_cleared_at = models.DateTimeField("采纳情况保密审查通过时间", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "征求意见期"
        verbose_name_plural = "征求意见期"
        ordering = ["-opens_at"]
        indexes = [models.Index(fields=["closes_at"], name="period_closes_idx")]
        constraints = [
            models.UniqueConstraint(fields=["draft"], condition=Q(status="open"), name="period_one_open_per_draft"),
            models.CheckConstraint(condition=Q(working_days__gte=7), name="period_at_least_7_working_days"),
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="period_closes_after_open"),
            # D7: the adoption report is public only after confidentiality review.
            models.CheckConstraint(
                condition=Q(report_published_at__isnull=True) | (Q(report_cleared_at__isnull=False)
                                                                  & Q(report_clearance="cleared")),
                name="period_report_public_only_after_confidentiality_review"),
        ]

    def __str__(self):
        return f"{self.draft}(征求意见{self.working_days}个工作日)"

    def get_absolute_url(self) -> str:
        """Where staff handle it (the deadline pages link here)."""
        return reverse("participation:staff_draft", args=[self.draft_id])

    def accepts_comments_at(self, moment) -> bool:
        """The one test every write path uses (M2): from opening to the close, to the second."""
        return self.status == PeriodStatus.OPEN and self.opens_at <= moment <= self.closes_at

    @property
    def is_open_now(self) -> bool:
        return self.accepts_comments_at(timezone.now())

    @property
    def has_ended(self) -> bool:
        return self.status == PeriodStatus.CLOSED or timezone.now() > self.closes_at

    @property
    def report_published(self) -> bool:
        return self.report_published_at is not None

    @property
    def report_in_review(self) -> bool:
        return self.report_clearance == Clearance.PENDING


class CommentStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    VISIBLE = "visible", "已公开"
    HIDDEN = "hidden", "已屏蔽"


COMMENT_TRANSITIONS = {
    CommentStatus.PENDING: {CommentStatus.VISIBLE, CommentStatus.HIDDEN},
    CommentStatus.VISIBLE: {CommentStatus.HIDDEN},
    CommentStatus.HIDDEN: {CommentStatus.VISIBLE},
}


class Adoption(models.TextChoices):
    ADOPTED = "adopted", "采纳"
    PARTLY = "partly", "部分采纳"
    NOT_ADOPTED = "not_adopted", "未采纳"


class OpinionGroup(models.Model):
    """意见归类 — comments grouped into one opinion, and whether it was adopted (M3, P3)."""

    period = models.ForeignKey(CommentPeriod, on_delete=models.PROTECT, related_name="groups", verbose_name="征求意见期")
    title = models.CharField("意见概述", max_length=300)
    decision = models.CharField("采纳情况", max_length=12, choices=Adoption.choices, blank=True)
    reason = models.TextField("理由说明", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="归类人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "意见归类"
        verbose_name_plural = "意见归类"
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(decision="not_adopted") | ~Q(reason=""),
                                   name="group_not_adopted_needs_reason"),
        ]

    def __str__(self):
        return self.title


class Comment(models.Model):
    """意见 — a citizen's comment on a draft, with or without an account; the contact is never shown."""

    period = models.ForeignKey(CommentPeriod, on_delete=models.PROTECT, related_name="comments", verbose_name="征求意见期")
    section = models.CharField("针对条款", max_length=100, blank=True)
    body = models.TextField("意见内容")
    display_name = models.CharField("署名", max_length=40, blank=True, help_text="为空则匿名显示。")
    contact = models.CharField("联系方式(不公开)", max_length=100, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name="登录用户")
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)
    status = models.CharField("审核状态", max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING)
    hidden_reason = models.CharField("屏蔽原因", max_length=200, blank=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name="审核人")
    moderated_at = models.DateTimeField("审核时间", null=True, blank=True)
    group = models.ForeignKey(OpinionGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="comments",
                              verbose_name="所属意见归类")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "意见"
        verbose_name_plural = "意见"
        ordering = ["submitted_at", "pk"]
        indexes = [models.Index(fields=["period", "status", "submitted_at"], name="comment_period_status_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(status="hidden") | ~Q(hidden_reason=""),
                                   name="comment_hidden_needs_reason"),
        ]

    def __str__(self):
        return f"{self.public_name}:{self.body[:30]}"

    @property
    def public_name(self) -> str:
        return self.display_name or "匿名网友"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "拟召开(未公告)"
    ANNOUNCED = "announced", "已公告"
    HELD = "held", "已召开"
    CANCELLED = "cancelled", "已取消"


MEETING_TRANSITIONS = {
    MeetingStatus.PLANNED: {MeetingStatus.ANNOUNCED, MeetingStatus.HELD, MeetingStatus.CANCELLED},
    MeetingStatus.ANNOUNCED: {MeetingStatus.HELD, MeetingStatus.CANCELLED},
    MeetingStatus.HELD: set(),
    MeetingStatus.CANCELLED: set(),
}


class Meeting(models.Model):
    """会议 — a government meeting, hearing (P4) or open-government event (P5), with attendance (M1, M4, M5)."""

    unit = models.ForeignKey("units.Unit", verbose_name="主办单位", on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField("类型", max_length=20, choices=MeetingKind.choices)
    title = models.CharField("名称", max_length=200)
    area = models.CharField("领域", max_length=20, choices=Area.choices, blank=True)
    starts_at = models.DateTimeField("召开时间")
    place = models.CharField("地点", max_length=200)
    description = models.TextField("说明", blank=True)
    legal_basis = models.CharField("听证依据", max_length=300, blank=True,
                                   help_text="听证会必填:规定须听证的法律条款,如《行政许可法》第四十六条。")
    # M1, M5: stated for every meeting plan.
    is_public = models.BooleanField("公开举行", default=False)
    invite_stakeholders = models.BooleanField("邀请利益相关方列席", default=False)
    invite_public_reps = models.BooleanField("邀请公众代表列席", default=False)
    invite_experts = models.BooleanField("邀请专家列席", default=False)
    invite_media = models.BooleanField("邀请媒体列席", default=False)
    # M4: how it is made public.
    publish_text = models.BooleanField("文字直播/报道", default=False)
    publish_pictures = models.BooleanField("图片报道", default=False)
    publish_live_video = models.BooleanField("视频直播", default=False)
    attendance_quota = models.PositiveIntegerField("列席/报名名额", default=0)
    status = models.CharField("状态", max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    announced_at = models.DateTimeField("公告时间", null=True, blank=True)
    held_at = models.DateTimeField("召开登记时间", null=True, blank=True)
    outcome = models.TextField("会议结果", blank=True)
    minutes = models.TextField("会议纪要/听证笔录", blank=True)
    outcome_published_at = models.DateTimeField("结果公布时间", null=True, blank=True)
    cancel_reason = models.CharField("取消原因", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="创建人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "会议与活动"
        verbose_name_plural = "会议与活动"
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="meeting_public_idx"),
            models.Index(fields=["area", "status", "starts_at"], name="meeting_area_idx"),
            models.Index(fields=["unit", "status", "starts_at"], name="meeting_unit_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="hearing") | ~Q(legal_basis=""), name="hearing_needs_basis"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_event(self) -> bool:
        return self.kind in EVENT_KINDS

    @property
    def publicity_modes(self) -> list[str]:
        modes = [("publish_text", "文字"), ("publish_pictures", "图片"), ("publish_live_video", "视频直播")]
        return [label for name, label in modes if getattr(self, name)]

    @property
    def invited(self) -> list[str]:
        groups = [("invite_stakeholders", "利益相关方"), ("invite_public_reps", "公众代表"),
                  ("invite_experts", "专家"), ("invite_media", "媒体")]
        return [label for name, label in groups if getattr(self, name)]


class MeetingTopic(models.Model):
    """议题 — one item on a meeting's agenda; a draft consulted earlier brings its adoption summary (M5)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="topics", verbose_name="会议")
    title = models.CharField("议题", max_length=200)
    draft = models.ForeignKey(DecisionDraft, on_delete=models.PROTECT, null=True, blank=True, related_name="topics",
                              verbose_name="决策草案")
    major_public_interest = models.BooleanField("涉及重大公共利益", default=False)
    adoption_summary = models.TextField("征求意见及采纳情况", blank=True)
    adopted = models.BooleanField("会议审议通过", null=True, blank=True)
    outcome_note = models.CharField("审议结果说明", max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField("顺序", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "会议议题"
        verbose_name_plural = "会议议题"
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.title


class RegistrationCategory(models.TextChoices):
    PUBLIC_REP = "public_rep", "公众代表"
    STAKEHOLDER = "stakeholder", "利益相关方"
    EXPERT = "expert", "专家"
    MEDIA = "media", "媒体"
    CITIZEN = "citizen", "市民"
    STUDENT = "student", "在校大学生"


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "未批准"
    ATTENDED = "attended", "已到场"


REGISTRATION_TRANSITIONS = {
    RegistrationStatus.PENDING: {RegistrationStatus.APPROVED, RegistrationStatus.REJECTED},
    RegistrationStatus.APPROVED: {RegistrationStatus.ATTENDED},
    RegistrationStatus.REJECTED: set(),
    RegistrationStatus.ATTENDED: set(),
}


class Registration(models.Model):
    """列席/报名 — a citizen applies within the quota; staff approve; a code is checked at the door (M1)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="registrations", verbose_name="会议")
    name = models.CharField("姓名", max_length=40)
    contact = models.CharField("联系方式(不公开)", max_length=100)
    organization = models.CharField("单位或身份", max_length=100, blank=True)
    category = models.CharField("类别", max_length=20, choices=RegistrationCategory.choices)
    wants_to_speak = models.BooleanField("申请发言", default=False)
    statement = models.TextField("发言要点/报名理由", blank=True)
    status = models.CharField("状态", max_length=10, choices=RegistrationStatus.choices,
                              default=RegistrationStatus.PENDING)
    query_code_hash = models.CharField("查询码摘要", max_length=64, unique=True)
    confirmation_code = models.CharField("入场确认码", max_length=12, null=True, blank=True, unique=True)
    decision_reason = models.CharField("审核说明", max_length=200, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="审核人")
    attended_at = models.DateTimeField("到场时间", null=True, blank=True)
    submitted_at = models.DateTimeField("报名时间", default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "列席报名"
        verbose_name_plural = "列席报名"
        ordering = ["submitted_at", "pk"]
        indexes = [models.Index(fields=["meeting", "status"], name="registration_meeting_idx")]


class Evaluation(models.Model):
    """第三方评估 — an independent evaluation of how a policy was implemented, published (P5)."""

    unit = models.ForeignKey("units.Unit", verbose_name="委托单位", on_delete=models.PROTECT, related_name="evaluations")
    title = models.CharField("评估报告名称", max_length=200)
    policy_title = models.CharField("被评估政策", max_length=200)
    evaluator = models.CharField("评估机构", max_length=100)
    area = models.CharField("领域", max_length=20, choices=Area.choices)
    summary = models.TextField("评估结论摘要")
    report = models.TextField("报告正文")
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="录入人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "第三方评估"
        verbose_name_plural = "第三方评估"
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["-published_at"], name="evaluation_public_idx", condition=Q(published_at__isnull=False)),
            models.Index(fields=["area", "-published_at"], name="evaluation_area_idx"),
            models.Index(fields=["unit", "-published_at"], name="evaluation_unit_idx"),
        ]

    def __str__(self):
        return self.title


class Channel(models.TextChoices):
    NETIZEN = "netizen", "网民留言"
    LEADER_MAILBOX = "leader_mailbox", "领导信箱"


class MessageCategory(models.TextChoices):
    CONSULT = "consult", "咨询"
    SUGGEST = "suggest", "建议"
    COMPLAIN = "complain", "投诉"
    HELP = "help", "求助"
    OTHER = "other", "其他"


class MessageStatus(models.TextChoices):
    RECEIVED = "received", "办理中"
    REPLIED = "replied", "已答复"
    INVALID = "invalid", "无效留言"


MESSAGE_TRANSITIONS = {
    MessageStatus.RECEIVED: {MessageStatus.REPLIED, MessageStatus.INVALID},
    MessageStatus.REPLIED: set(),
    MessageStatus.INVALID: set(),
}


class Message(models.Model):
    """网民留言 / 领导信箱 — routed to a unit, answered on the clock, published with consent (P5, W2).

    The citizen follows it with a query code; only its SHA-256 digest is stored.
    """

    channel = models.CharField("渠道", max_length=20, choices=Channel.choices)
    category = models.CharField("类别", max_length=12, choices=MessageCategory.choices)
    area = models.CharField("领域", max_length=20, choices=Area.choices, blank=True)
    title = models.CharField("标题", max_length=100)
    body = models.TextField("内容")
    name = models.CharField("姓名(不公开)", max_length=40, blank=True)
    contact = models.CharField("联系方式(不公开)", max_length=100)
    consent_to_publish = models.BooleanField("同意公开", default=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name="登录用户")
    unit = models.ForeignKey("units.Unit", verbose_name="办理单位", on_delete=models.PROTECT, related_name="messages")
    query_code_hash = models.CharField("查询码摘要", max_length=64, unique=True)
    status = models.CharField("状态", max_length=10, choices=MessageStatus.choices, default=MessageStatus.RECEIVED)
    received_at = models.DateTimeField("收到时间", default=timezone.now)
    reply = models.TextField("答复内容", blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="答复人")
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    invalid_reason = models.CharField("无效原因", max_length=200, blank=True)
    unanswered_flagged_at = models.DateTimeField("超三个月未答复标记时间", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "留言"
        verbose_name_plural = "留言"
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["-published_at"], name="message_public_idx", condition=Q(published_at__isnull=False)),
            models.Index(fields=["unit", "-published_at"], name="message_unit_idx"),
            models.Index(fields=["area", "-published_at"], name="message_area_idx"),
            models.Index(fields=["channel", "-published_at"], name="message_channel_idx"),
            models.Index(fields=["status", "received_at"], name="message_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(published_at__isnull=True) | Q(consent_to_publish=True),
                                   name="message_published_only_with_consent"),
            models.CheckConstraint(condition=~Q(status="invalid") | ~Q(invalid_reason=""),
                                   name="message_invalid_needs_reason"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("participation:staff_message", args=[self.pk])
