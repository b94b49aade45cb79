"""Input shapes and Chinese messages. Rules live in services; these only parse."""

from django import forms

from tongchuan_portal.core.validation import BoundedDateTimeField
from tongchuan_portal.units.models import Unit

from . import conf, deadlines, permissions
from .models import (
    DECIDING_KINDS,
    Adoption,
    Area,
    Channel,
    DecisionDraft,
    MeetingKind,
    MessageCategory,
    RegistrationCategory,
)

AREA_CHOICES = [("", "请选择")] + list(Area.choices)


class HoneypotMixin(forms.Form):
    """A field people never see or fill; bots that fill every field give themselves away."""

    website = forms.CharField(label="网址(请勿填写)", required=False,
                              widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class CommentForm(HoneypotMixin):
    section = forms.CharField(label="针对条款(选填)", max_length=100, required=False,
                              help_text="如“第三条”或“第二部分”,不填则视为对草案整体的意见。")
    body = forms.CharField(label="意见内容", max_length=conf.COMMENT_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 6}),
                           error_messages={"required": "请填写意见内容。",
                                           "max_length": f"意见内容不能超过{conf.COMMENT_MAX_CHARS}字。"})
    display_name = forms.CharField(label="署名(选填,不填则匿名)", max_length=40, required=False)
    contact = forms.CharField(label="联系电话或电子邮箱(选填,不公开)", max_length=100, required=False)


class MessageForm(HoneypotMixin):
    channel = forms.ChoiceField(label="留言渠道", choices=Channel.choices, widget=forms.RadioSelect)
    category = forms.ChoiceField(label="类别", choices=MessageCategory.choices)
    area = forms.ChoiceField(label="领域(选填)", choices=AREA_CHOICES, required=False)
    unit = forms.ModelChoiceField(label="办理单位(选填,不清楚可不选)", queryset=Unit.objects.none(), required=False,
                                  empty_label="不清楚,由市政府办公室转办",
                                  help_text="写给领导信箱的来信统一由市政府办公室办理。")
    title = forms.CharField(label="标题", max_length=100, error_messages={"required": "请填写标题。"})
    body = forms.CharField(label="留言内容", max_length=conf.MESSAGE_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 8}),
                           error_messages={"required": "请填写留言内容。"})
    name = forms.CharField(label="姓名(选填,不公开)", max_length=40, required=False)
    contact = forms.CharField(label="联系电话或电子邮箱(不公开)", max_length=100,
                              error_messages={"required": "请留下联系方式,以便答复。"})
    consent_to_publish = forms.BooleanField(label="同意在网站公开我的留言和答复(不公开姓名和联系方式)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True).order_by("sort_order", "code")


class QueryForm(forms.Form):
    code = forms.CharField(label="查询码", max_length=40, error_messages={"required": "请输入查询码。"})


class RegistrationForm(HoneypotMixin):
    name = forms.CharField(label="姓名", max_length=40, error_messages={"required": "请填写姓名。"})
    contact = forms.CharField(label="联系电话(不公开)", max_length=100, error_messages={"required": "请填写联系电话。"})
    organization = forms.CharField(label="工作单位或身份(选填)", max_length=100, required=False)
    category = forms.ChoiceField(label="报名类别", choices=RegistrationCategory.choices)
    wants_to_speak = forms.BooleanField(label="申请发言", required=False)
    statement = forms.CharField(label="发言要点或报名理由", required=False, widget=forms.Textarea(attrs={"rows": 4}))


class DraftForm(forms.Form):
    unit = forms.ModelChoiceField(label="起草单位", queryset=Unit.objects.none(), empty_label=None)
    title = forms.CharField(label="标题", max_length=200)
    area = forms.ChoiceField(label="领域", choices=AREA_CHOICES)
    deciding_meeting_kind = forms.ChoiceField(label="决策会议", choices=[(k.value, k.label) for k in DECIDING_KINDS])
    text = forms.CharField(label="草案全文", widget=forms.Textarea(attrs={"rows": 12}))
    basis = forms.CharField(label="决策依据", widget=forms.Textarea(attrs={"rows": 5}),
                            error_messages={"required": "请填写决策依据。"})

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()


class PublishForm(forms.Form):
    """公布草案 — the window's length, its wished start, and the confirmation the publication needs:
    once the confidentiality reviewer clears the draft it is public and cannot be withdrawn."""

    working_days = forms.IntegerField(
        label="征求意见工作日数", min_value=deadlines.COMMENT_WINDOW_MIN_DAYS, max_value=deadlines.COMMENT_WINDOW_MAX_DAYS,
        initial=10, widget=forms.NumberInput(attrs={"class": "input-days"}),
        help_text=f"不少于{deadlines.COMMENT_WINDOW_MIN_DAYS}个工作日,按国家法定节假日和调休安排计算。",
        error_messages={"required": "请填写征求意见的工作日数。", "invalid": "请填写整数工作日数。",
                        "min_value": f"征求意见期不得少于{deadlines.COMMENT_WINDOW_MIN_DAYS}个工作日。",
                        "max_value": f"征求意见期最长{deadlines.COMMENT_WINDOW_MAX_DAYS}个工作日。"})
    opens_at = BoundedDateTimeField(label="开始时间(选填,不填则审查通过后立即开始)", required=False,
                                   widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                   input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                                   error_messages={"invalid": "请按“年-月-日 时:分”填写开始时间。"})
    confirm = forms.BooleanField(
        label="我已核对征求意见期和截止时间。草案经保密审查通过后即向社会公布,公布后不能撤回。", required=False)

    def __init__(self, *args, preview: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.preview = preview

    def clean(self):
        cleaned = super().clean()
        if not self.preview and not cleaned.get("confirm"):
            self.add_error("confirm", "请先预览截止时间,核对无误后勾选确认,再报送。")
        return cleaned


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "请说明理由。"})


class DecideForm(forms.Form):
    note = forms.CharField(label="决策结果", widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "请填写决策结果。"})


class ActionForm(forms.Form):
    """Bulk actions take the chosen rows from checkboxes; this only carries the service's errors back."""


class GroupForm(forms.Form):
    title = forms.CharField(label="意见概述", max_length=300, error_messages={"required": "请填写意见概述。"})


class GroupDecisionForm(forms.Form):
    decision = forms.ChoiceField(label="采纳情况", choices=Adoption.choices)
    reason = forms.CharField(label="理由说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReportForm(forms.Form):
    summary = forms.CharField(label="采纳情况说明", widget=forms.Textarea(attrs={"rows": 5}),
                              error_messages={"required": "请填写采纳情况说明。"})


class MeetingForm(forms.Form):
    unit = forms.ModelChoiceField(label="主办单位", queryset=Unit.objects.none(), empty_label=None)
    kind = forms.ChoiceField(label="类型", choices=MeetingKind.choices)
    title = forms.CharField(label="名称", max_length=200)
    area = forms.ChoiceField(label="领域(选填)", choices=AREA_CHOICES, required=False)
    starts_at = BoundedDateTimeField(label="召开时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                    input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    place = forms.CharField(label="地点", max_length=200)
    description = forms.CharField(label="说明(选填)", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    legal_basis = forms.CharField(label="听证依据(听证会必填)", max_length=300, required=False)
    is_public = forms.BooleanField(label="公开举行", required=False)
    invite_stakeholders = forms.BooleanField(label="邀请利益相关方列席", required=False)
    invite_public_reps = forms.BooleanField(label="邀请公众代表列席", required=False)
    invite_experts = forms.BooleanField(label="邀请专家列席", required=False)
    invite_media = forms.BooleanField(label="邀请媒体列席", required=False)
    publish_text = forms.BooleanField(label="文字直播/报道", required=False)
    publish_pictures = forms.BooleanField(label="图片报道", required=False)
    publish_live_video = forms.BooleanField(label="视频直播", required=False)
    attendance_quota = forms.IntegerField(label="列席/报名名额(0 为不接受报名)", min_value=0, max_value=100_000,
                                          initial=0)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()


class TopicForm(forms.Form):
    """Offers only the drafts this meeting may put on its agenda (the service checks it again)."""

    title = forms.CharField(label="议题", max_length=200)
    draft = forms.ModelChoiceField(label="关联决策草案(选填)", required=False, queryset=DecisionDraft.objects.none(),
                                   empty_label="无", error_messages={"invalid_choice": "请从列表中选择决策草案。"})
    major_public_interest = forms.BooleanField(label="涉及重大公共利益", required=False)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["draft"].queryset = permissions.drafts_for_agenda(meeting).order_by("-pk")


class DocumentLinkForm(forms.Form):
    document = forms.ModelChoiceField(label="形成的公文", required=False, queryset=None, empty_label="不关联",
                                      error_messages={"invalid_choice": "请从列表中选择公文。"})

    def __init__(self, *args, draft, **kwargs):
        from .selectors import documents_for_draft

        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = documents_for_draft(draft)
        self.fields["document"].initial = draft.document_id


class RegistrationDecisionForm(forms.Form):
    """批准 or 不批准 one registration; not approving needs a reason (the service says so)."""

    registration = forms.IntegerField(min_value=1, max_value=2**31 - 1, error_messages={
        "required": "报名编号无法识别,请从报名列表中选择。", "invalid": "报名编号无法识别,请从报名列表中选择。",
        "min_value": "报名编号无法识别,请从报名列表中选择。", "max_value": "报名编号无法识别,请从报名列表中选择。"})
    reason = forms.CharField(label="不批准理由", max_length=200, required=False)


class AttendForm(forms.Form):
    confirmation_code = forms.CharField(label="入场确认码", max_length=20)


class ReplyForm(forms.Form):
    reply = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 6}),
                            error_messages={"required": "请填写答复内容。"})
    publish = forms.BooleanField(label="在网站公开留言和答复(仅限留言人同意公开的)", required=False)


class TransferForm(forms.Form):
    unit = forms.ModelChoiceField(label="转交单位", queryset=Unit.objects.none())
    reason = forms.CharField(label="转办说明", max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True).order_by("sort_order", "code")


class EvaluationForm(forms.Form):
    unit = forms.ModelChoiceField(label="委托单位", queryset=Unit.objects.none(), empty_label=None)
    title = forms.CharField(label="评估报告名称", max_length=200)
    policy_title = forms.CharField(label="被评估政策", max_length=200)
    evaluator = forms.CharField(label="评估机构", max_length=100)
    area = forms.ChoiceField(label="领域", choices=AREA_CHOICES)
    summary = forms.CharField(label="评估结论摘要", widget=forms.Textarea(attrs={"rows": 4}))
    report = forms.CharField(label="报告正文", widget=forms.Textarea(attrs={"rows": 10}))

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()
