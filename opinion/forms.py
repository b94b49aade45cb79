"""Input shapes for the opinion pages; the rules themselves live in services.py."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from tongchuan_portal.core.validation import BoundedDateField, BoundedDateTimeField

from .models import (
    Category,
    Channel,
    ClueTransfer,
    Disposition,
    Feedback,
    IncidentLevel,
    Scope,
    Source,
    SpecialTopic,
    SubjectArea,
)
from .selectors import assignable_units, districts

DT_FORMAT = "%Y-%m-%dT%H:%M"
REQUIRED = "此项为必填项。"


def _dt_field(label: str, **kwargs) -> BoundedDateTimeField:
    return BoundedDateTimeField(
        label=label, input_formats=[DT_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DT_FORMAT),
        error_messages={"required": REQUIRED, "invalid": "请按“年-月-日 时:分”填写时间。"}, **kwargs,
    )


def _now_local():
    return timezone.localtime().replace(second=0, microsecond=0)


class ChineseForm(forms.Form):
    """Every field's required message in Chinese."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = REQUIRED
            if isinstance(field, forms.ChoiceField):
                field.error_messages["invalid_choice"] = "请从列表中选择。"


class DistrictChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.short_name


class CaseForm(ChineseForm):
    title = forms.CharField(label="舆情标题", max_length=200)
    source = forms.ChoiceField(label="来源", choices=Source.choices)
    first_seen_at = _dt_field("首次发现时间")
    summary = forms.CharField(label="舆情概要", widget=forms.Textarea(attrs={"rows": 4}))
    links = forms.CharField(label="原始链接(每行一个)", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    captured_text = forms.CharField(label="原文摘录", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    category = forms.ChoiceField(label="关注类别", choices=Category.choices)
    special_topic = forms.ChoiceField(label="专项主题", choices=SpecialTopic.choices, initial=SpecialTopic.NONE)
    level = forms.ChoiceField(label="事件等级", choices=IncidentLevel.choices, initial=IncidentLevel.NONE,
                              help_text="Ⅰ级、Ⅱ级须5小时内发布权威信息、24小时内召开新闻发布会;其他舆情须48小时内回应。")
    scope = forms.ChoiceField(label="涉及范围", choices=Scope.choices, widget=forms.RadioSelect)
    districts = DistrictChoiceField(label="涉及区县", queryset=districts(), required=False,
                                    widget=forms.CheckboxSelectMultiple)
    subject_area = forms.ChoiceField(label="所属领域", choices=SubjectArea.choices,
                                     help_text="系统据此和涉及范围确定责任单位。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_seen_at"].initial = _now_local

    def clean_links(self):
        lines = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        validator = forms.URLField(assume_scheme="https", error_messages={"invalid": "链接格式不正确:{}"})
        cleaned = []
        for line in lines:
            try:
                cleaned.append(validator.clean(line))
            except ValidationError:
                raise ValidationError(f"链接格式不正确:{line}") from None
        return "\n".join(cleaned)


class TriageForm(ChineseForm):
    disposition = forms.ChoiceField(label="处置方式", choices=Disposition.choices, widget=forms.RadioSelect)
    note = forms.CharField(label="研判意见", widget=forms.Textarea(attrs={"rows": 3}))


class ReleaseForm(ChineseForm):
    title = forms.CharField(label="发布标题", max_length=200)
    text = forms.CharField(label="发布内容", widget=forms.Textarea(attrs={"rows": 5}))
    channel = forms.ChoiceField(label="发布渠道", choices=Channel.choices)
    link = forms.URLField(label="链接", required=False, max_length=500, assume_scheme="https",
                          error_messages={"invalid": "请填写完整的网址,如 https://www.tongchuan.gov.cn/…"})
    released_at = _dt_field("发布时间")
    outcome = forms.BooleanField(label="这是处置方式要求公开的结果", required=False)
    public = forms.BooleanField(label="在“回应关切”栏目公开", required=False, initial=True,
                                help_text="经保密审查通过后在栏目公开。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["released_at"].initial = _now_local


class ReleaseRevisionForm(ChineseForm):
    """A release refused by 保密审查, revised for another review (D7)."""

    title = forms.CharField(label="发布标题", max_length=200)
    text = forms.CharField(label="发布内容", widget=forms.Textarea(attrs={"rows": 5}))
    link = forms.URLField(label="链接", required=False, max_length=500, assume_scheme="https",
                          error_messages={"invalid": "请填写完整的网址,如 https://www.tongchuan.gov.cn/…"})


class PressConferenceForm(ChineseForm):
    held_at = _dt_field("召开时间")
    place = forms.CharField(label="地点", max_length=200)
    speakers = forms.CharField(label="发布人", max_length=300, help_text="姓名和职务,多人用顿号分隔。")
    summary = forms.CharField(label="发布要点", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_at"].initial = _now_local


class TransferForm(ChineseForm):
    transferred_on = BoundedDateField(label="移交日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                     input_formats=["%Y-%m-%d"],
                                     error_messages={"invalid": "请按“年-月-日”填写日期。"})
    receiving_body = forms.ChoiceField(label="接收机关", choices=ClueTransfer.Body.choices)
    reference = forms.CharField(label="移交文号或编号", max_length=100)
    note = forms.CharField(label="移交说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["transferred_on"].initial = timezone.localdate


class FeedbackForm(ChineseForm):
    channel = forms.ChoiceField(label="反馈方式", choices=Feedback.Channel.choices)
    recipient = forms.CharField(label="反馈对象", max_length=200, help_text="如来信人、网民昵称、媒体名称。")
    content = forms.CharField(label="反馈内容", widget=forms.Textarea(attrs={"rows": 3}))
    sent_at = _dt_field("反馈时间")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sent_at"].initial = _now_local


class CloseForm(ChineseForm):
    note = forms.CharField(label="办结说明", widget=forms.Textarea(attrs={"rows": 2}))


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ReassignForm(ChineseForm):
    unit = UnitChoiceField(label="新的责任单位", queryset=assignable_units(), empty_label="请选择")
    reason = forms.CharField(label="改派理由", widget=forms.Textarea(attrs={"rows": 2}))
