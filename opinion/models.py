"""政务舆情 — public-opinion cases, their releases and how each was closed (O1–O5)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from tongchuan_portal.core.models import Clearance


class Source(models.TextChoices):
    MEDIA = "media", "媒体报道"
    ONLINE_POST = "online_post", "网络帖文"
    MESSAGE = "message", "网民留言"
    HOTLINE = "hotline", "热线电话"
    INSPECTION = "inspection", "督查发现"
    OTHER = "other", "其他"


class Category(models.TextChoices):
    """O2: the six focus categories."""

    CITY_DECISION = "city_decision", "涉及市委市政府重大决策部署及常务会议事项"
    PUBLIC_INTEREST = "public_interest", "涉及公众切身利益且影响较大"
    CREDIBILITY = "credibility", "引发媒体和公众关切、可能影响政府公信力"
    EMERGENCY = "emergency", "重大突发事件和自然灾害"
    PUBLIC_MORALS = "public_morals", "严重冲击社会道德底线"
    FALSE_INFO = "false_info", "虚假信息扰乱社会秩序、损害国家利益"


class SpecialTopic(models.TextChoices):
    """O2: special topics that draw attention of their own."""

    NONE = "none", "无"
    TWO_SESSIONS = "two_sessions", "两会"
    ECONOMIC_DATA = "economic_data", "经济数据发布"
    MAJOR_REFORM = "major_reform", "重大改革"
    MAJOR_INSPECTION = "major_inspection", "重大督查"
    MAJOR_EMERGENCY = "major_emergency", "重大突发事件"


class IncidentLevel(models.TextChoices):
    """O4: emergency levels; Ⅰ and Ⅱ run the 5-hour and 24-hour clocks, the rest the 48-hour one (O5)."""

    I = "1", "Ⅰ级(特别重大)"
    II = "2", "Ⅱ级(重大)"
    III = "3", "Ⅲ级(较大)"
    IV = "4", "Ⅳ级(一般)"
    NONE = "none", "非突发事件"


MAJOR_LEVELS = (IncidentLevel.I, IncidentLevel.II)


class Scope(models.TextChoices):
    """O1: what the case is about decides who answers for it."""

    CITY = "city", "市级政策或工作"
    DISTRICT = "district", "涉及单个区县"
    MULTI_DISTRICT = "multi_district", "涉及多个区县"


class SubjectArea(models.TextChoices):
    """The field a case belongs to; `routing.CITY_DEPARTMENT` maps each to its competent department (O1)."""

    EDUCATION = "education", "教育"
    PUBLIC_SECURITY = "public_security", "公安/治安"
    CIVIL_AFFAIRS = "civil_affairs", "民政"
    HOUSING = "housing", "住房城乡建设"
    TRANSPORT = "transport", "交通运输"
    ENVIRONMENT = "environment", "环境保护"
    HEALTH = "health", "卫生健康"
    FOOD_DRUG = "food_drug", "食品药品"
    EMPLOYMENT = "employment", "人社/就业"
    FINANCE = "finance", "财政"
    DEVELOPMENT = "development", "发展改革/价格"
    WORK_SAFETY = "work_safety", "安全生产"
    POVERTY = "poverty", "扶贫"
    LAND = "land", "国土资源"
    MARKET = "market", "工商/市场"
    QUALITY = "quality", "质量技术监督"
    COMMERCE = "commerce", "商务"
    INDUSTRY = "industry", "工业和信息化"
    TAX = "tax", "税务"
    JUSTICE = "justice", "司法"
    AUDIT = "audit", "审计"
    STATISTICS = "statistics", "统计"
    WATER = "water", "水务"
    AGRICULTURE = "agriculture", "农业"
    FORESTRY = "forestry", "林业"
    CULTURE = "culture", "文化广电新闻出版"
    OTHER = "other", "其他"


class Disposition(models.TextChoices):
    """O3: how a case is closed; each needs its published output (see `DISPOSITION_OUTPUT`)."""

    ADOPTED = "adopted", "合理建议予以采纳"
    SOLVED = "solved", "实际困难予以解决"
    INVESTIGATED = "investigated", "重大问题调查处理"
    CLARIFIED = "clarified", "误解疑虑予以澄清"
    CORRECTED = "corrected", "错误看法予以纠正"
    FALSE_INFO = "false_info", "虚假信息予以回应并移交线索"


# What each disposition must have published before the case may close (O3).
DISPOSITION_OUTPUT = {
    Disposition.ADOPTED: "公开采纳情况",
    Disposition.SOLVED: "公开解决结果",
    Disposition.INVESTIGATED: "公开调查处理结果",
    Disposition.CLARIFIED: "发布权威信息",
    Disposition.CORRECTED: "公开纠正说明",
    Disposition.FALSE_INFO: "发布回应,并向公安机关或网信部门移交线索",
}


class CaseStatus(models.TextChoices):
    OPEN = "open", "处置中"
    CLOSED = "closed", "已办结"


# The one map of allowed transitions (STYLE.md "Workflows").
CASE_TRANSITIONS = {
    CaseStatus.OPEN: {CaseStatus.CLOSED},
    CaseStatus.CLOSED: set(),
}


class OpinionCase(models.Model):
    """政务舆情 — one matter of public opinion the government must answer for (O1–O5)."""

    title = models.CharField("舆情标题", max_length=200)
    source = models.CharField("来源", max_length=20, choices=Source.choices)
    links = models.TextField("原始链接", blank=True, help_text="每行一个链接。")
    captured_text = models.TextField("原文摘录", blank=True)
    summary = models.TextField("舆情概要")
    first_seen_at = models.DateTimeField("首次发现时间")
    category = models.CharField("关注类别", max_length=24, choices=Category.choices)
    special_topic = models.CharField("专项主题", max_length=24, choices=SpecialTopic.choices, default=SpecialTopic.NONE)
    level = models.CharField("事件等级", max_length=8, choices=IncidentLevel.choices, default=IncidentLevel.NONE)
    scope = models.CharField("涉及范围", max_length=20, choices=Scope.choices)
    districts = models.ManyToManyField(
        "units.Unit", verbose_name="涉及区县", blank=True, related_name="opinion_cases_affecting"
    )
    subject_area = models.CharField("所属领域", max_length=24, choices=SubjectArea.choices)
    responsible_unit = models.ForeignKey(
        "units.Unit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="opinion_cases"
    )

    status = models.CharField("状态", max_length=12, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    disposition = models.CharField("处置方式", max_length=20, choices=Disposition.choices, blank=True)
    triage_note = models.TextField("研判意见", blank=True)
    triaged_at = models.DateTimeField("研判时间", null=True, blank=True)
    closing_note = models.TextField("办结说明", blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    recorded_at = models.DateTimeField("登记时间")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    # The earliest due moment of the case's running or missed clocks: the dashboard's order, kept by the
    # clock's change hook (`services.cases_next_due_refresh`) so sorting never reads the clocks. Derived,
    # so left out of the history; each clock's own history records every move.
    next_due_at = models.DateTimeField("最近截止时间", null=True, blank=True, editable=False)
    history = HistoricalRecords(m2m_fields=[districts], excluded_fields=["next_due_at"])

    class Meta:
        verbose_name = "政务舆情"
        verbose_name_plural = "政务舆情"
        ordering = ["-recorded_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-recorded_at"], name="opinion_case_status_idx"),
            models.Index(fields=["responsible_unit", "status"], name="opinion_case_unit_idx"),
            models.Index(fields=["level", "status"], name="opinion_case_level_idx"),
            models.Index(fields=["category", "status"], name="opinion_case_category_idx"),
            # The dashboard: the most pressing open clock first, then the newest. An ascending index keeps
            # NULLs last in PostgreSQL, as the dashboard orders (SQLite has no NULLS LAST in an index).
            models.Index(fields=["status", "next_due_at", "-recorded_at", "-id"], name="opinion_case_next_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | (Q(closed_at__isnull=False) & ~Q(disposition="")),
                name="opinion_case_closed_has_disposition",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("opinion:case", args=[self.pk])

    @property
    def is_major(self) -> bool:
        return self.level in MAJOR_LEVELS

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN

    @property
    def disposition_output(self) -> str:
        return DISPOSITION_OUTPUT.get(self.disposition, "")


class Channel(models.TextChoices):
    WEBSITE = "website", "政府网站"
    WEIBO = "weibo", "政务微博"
    WECHAT = "wechat", "政务微信"
    PRESS = "press", "新闻媒体"
    BRIEFING = "briefing", "新闻发布会"
    OTHER = "other", "其他渠道"


class Release(models.Model):
    """权威发布 — information the responsible unit published on a case (O4, O5, O3's outputs).

    The first release of a case meets its release clock (5 hours for Ⅰ/Ⅱ, 48 hours
    otherwise); later ones are logged as follow-ups. A release marked as the
    output of the case's disposition is what lets the case close (O3). Public
    releases make up the 回应关切 column; subject area and special topic are
    copied from the case so the column's filters use this table's own indexes.
    """

    class Kind(models.TextChoices):
        FIRST = "first", "首次发布"
        FOLLOW_UP = "follow_up", "后续发布"

    case = models.ForeignKey(OpinionCase, on_delete=models.PROTECT, related_name="releases", verbose_name="舆情")
    kind = models.CharField("发布类别", max_length=12, choices=Kind.choices)
    outcome_for = models.CharField(
        "处置结果公开", max_length=20, choices=Disposition.choices, blank=True,
        help_text="作为该处置方式要求公开的结果。",
    )
    title = models.CharField("标题", max_length=200)
    text = models.TextField("发布内容")
    channel = models.CharField("发布渠道", max_length=12, choices=Channel.choices)
    link = models.URLField("链接", max_length=500, blank=True)
    released_at = models.DateTimeField("发布时间")
    public = models.BooleanField("在“回应关切”栏目公开", default=False,
                                 help_text="保密审查通过后才在栏目公开。")
    # D7: a release asked for the 回应关切 column waits for 保密审查; `public` is set only on clearance.
    clearance = models.CharField("保密审查", max_length=10, choices=Clearance.choices, blank=True,
                                 default=Clearance.NOT_ASKED)
    submitted_at = models.DateTimeField("送保密审查时间", null=True, blank=True)
    cleared_at = models.DateTimeField("保密审查通过时间", null=True, blank=True)
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="发布单位")
    subject_area = models.CharField("所属领域", max_length=24, choices=SubjectArea.choices)
    special_topic = models.CharField("专项主题", max_length=24, choices=SpecialTopic.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="登记人")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "舆情回应发布"
        verbose_name_plural = "舆情回应发布"
        ordering = ["-released_at", "-id"]
        indexes = [
            models.Index(fields=["-released_at", "-id"], name="opinion_release_public_idx", condition=Q(public=True)),
            models.Index(fields=["subject_area", "-released_at"], name="opinion_release_area_idx",
                         condition=Q(public=True)),
            models.Index(fields=["special_topic", "-released_at"], name="opinion_release_topic_idx",
                         condition=Q(public=True)),
            models.Index(fields=["case", "released_at"], name="opinion_release_case_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(kind="first"), name="opinion_release_one_first"),
            # D7: nothing is public without confidentiality review.
            models.CheckConstraint(
                condition=Q(public=False) | (Q(cleared_at__isnull=False) & Q(clearance="cleared")),
                name="opinion_release_public_only_after_confidentiality_review"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("huiying:detail", args=[self.pk])

    @property
    def in_review(self) -> bool:
        return self.clearance == Clearance.PENDING


class PressConference(models.Model):
    """新闻发布会 — held within 24 hours for a Ⅰ or Ⅱ emergency (O4)."""

    case = models.ForeignKey(OpinionCase, on_delete=models.PROTECT, related_name="press_conferences",
                             verbose_name="舆情")
    held_at = models.DateTimeField("召开时间")
    place = models.CharField("地点", max_length=200)
    speakers = models.CharField("发布人", max_length=300)
    summary = models.TextField("发布要点", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="登记人")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "新闻发布会"
        verbose_name_plural = "新闻发布会"
        ordering = ["held_at", "id"]

    def __str__(self):
        return f"{self.case} · 新闻发布会"


class ClueTransfer(models.Model):
    """线索移交 — false information's clues handed to the police or the cyberspace authority (O3)."""

    class Body(models.TextChoices):
        POLICE = "police", "公安机关"
        CYBERSPACE = "cyberspace", "网信部门"

    case = models.ForeignKey(OpinionCase, on_delete=models.PROTECT, related_name="transfers", verbose_name="舆情")
    transferred_on = models.DateField("移交日期")
    receiving_body = models.CharField("接收机关", max_length=12, choices=Body.choices)
    reference = models.CharField("移交文号或编号", max_length=100)
    note = models.TextField("移交说明", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="登记人")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "线索移交"
        verbose_name_plural = "线索移交"
        ordering = ["transferred_on", "id"]

    def __str__(self):
        return f"{self.get_receiving_body_display()} {self.reference}"


class Feedback(models.Model):
    """反馈 — telling whoever raised the matter how it was handled (O3)."""

    class Channel(models.TextChoices):
        LETTER = "letter", "书面函件"
        EMAIL = "email", "电子邮件"
        REPLY_POST = "reply_post", "网上回帖"

    case = models.ForeignKey(OpinionCase, on_delete=models.PROTECT, related_name="feedback", verbose_name="舆情")
    channel = models.CharField("反馈方式", max_length=12, choices=Channel.choices)
    recipient = models.CharField("反馈对象", max_length=200)
    content = models.TextField("反馈内容")
    sent_at = models.DateTimeField("反馈时间")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="登记人")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "处置反馈"
        verbose_name_plural = "处置反馈"
        ordering = ["sent_at", "id"]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.recipient}"


class CaseEvent(models.Model):
    """处置记录 — the case's timeline: every event, who and when, in order."""

    class Kind(models.TextChoices):
        RECORDED = "recorded", "登记"
        ROUTED = "routed", "交办"
        REASSIGNED = "reassigned", "改派"
        TRIAGED = "triaged", "研判"
        RELEASE = "release", "发布"
        CLEARANCE = "clearance", "保密审查"
        PRESS_CONFERENCE = "press_conference", "新闻发布会"
        TRANSFER = "transfer", "线索移交"
        FEEDBACK = "feedback", "反馈"
        CLOCK_MISSED = "clock_missed", "逾期督办"
        CLOSED = "closed", "办结"

    case = models.ForeignKey(OpinionCase, on_delete=models.CASCADE, related_name="events", verbose_name="舆情")
    kind = models.CharField("事项", max_length=20, choices=Kind.choices)
    at = models.DateTimeField("发生时间")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name="办理人")
    text = models.TextField("说明")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "舆情处置记录"
        verbose_name_plural = "舆情处置记录"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="opinion_event_case_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}:{self.text[:40]}"
