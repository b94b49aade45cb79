"""Input shapes and messages in Chinese. Rules are checked by the services, whose errors
come back onto these forms so that the user sees them next to what they typed."""

from django import forms

from tongchuan_portal.core.validation import BoundedDateField, BoundedDateTimeField
from tongchuan_portal.units.models import Unit

from .models import (
    DisclosureAttribute, DocumentClass, DocumentKind, FiveDisclosure, IssuedInNameOf, LegalBasis, ReturnReason, Topic,
)
from .text import text_to_body


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class DocumentForm(forms.Form):
    title = forms.CharField(label="公文标题", max_length=300, error_messages={"required": "请填写公文标题。"})
    document_number = forms.CharField(
        label="发文字号", max_length=40, required=False,
        help_text="如:铜政办发〔2016〕71号。输入 [2016]、(2016)、【2016】 均可,系统统一为〔2016〕。")
    kind = forms.ChoiceField(label="公文类型", choices=DocumentKind.choices, initial=DocumentKind.OTHER)
    issued_in_name_of = forms.ChoiceField(label="发文名义", choices=IssuedInNameOf.choices,
                                          initial=IssuedInNameOf.OWN_UNIT)
    area = forms.ChoiceField(label="五公开类别", choices=[("", "请选择")] + FiveDisclosure.choices,
                             error_messages={"required": "请选择五公开类别。"})
    topic = forms.ChoiceField(label="主题分类", choices=Topic.choices, initial=Topic.GENERAL)
    written_on = BoundedDateField(label="成文日期", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                 error_messages={"invalid": "请按“年-月-日”填写成文日期,如 2026-06-01。"})
    classification = forms.ChoiceField(
        label="文件类别", choices=DocumentClass.choices, initial=DocumentClass.OTHER, required=False,
        help_text="规章、行政规范性文件计入政府信息公开工作年度报告。")
    issued_on = BoundedDateField(label="制发日期", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text="规章、行政规范性文件须填写。",
                                 error_messages={"invalid": "请按“年-月-日”填写制发日期,如 2026-06-01。"})
    attribute = forms.ChoiceField(
        label="公开属性", choices=DisclosureAttribute.choices, widget=forms.RadioSelect,
        error_messages={"required": "请选择公开属性:主动公开、依申请公开或不予公开。"})
    legal_basis = forms.ChoiceField(label="不公开的法律依据", required=False,
                                    choices=[("", "请选择")] + LegalBasis.choices)
    attribute_reason = forms.CharField(
        label="不公开理由说明", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="拟依申请公开或不予公开的,须说明理由;代拟稿须说明公开属性建议的理由。")
    body = forms.CharField(label="正文", required=False, widget=forms.Textarea(attrs={"rows": 14}),
                           help_text="直接输入正文,段落之间换行即可。")
    co_issuers = forms.ModelMultipleChoiceField(
        label="联合发文机构", required=False, queryset=Unit.objects.filter(is_active=True),
        widget=forms.SelectMultiple(attrs={"size": 6}), help_text="联合发文时选择;按住 Ctrl(或 ⌘)可多选。")
    source = forms.CharField(label="来源", max_length=100, required=False)
    web_editor = forms.CharField(label="网络编辑", max_length=60, required=False)
    attachments = MultipleFileField(label="附件", required=False,
                                    help_text="可多选。支持 PDF、OFD、DOC/DOCX、XLS/XLSX、JPG、PNG,单个文件不超过 20 MB。")

    def __init__(self, *args, issuer: Unit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if issuer is not None:
            self.fields["co_issuers"].queryset = Unit.objects.filter(is_active=True).exclude(pk=issuer.pk)

    def clean_body(self) -> str:
        """The box holds plain text (see `text.body_to_text`); the service receives paragraphs of HTML."""
        return text_to_body(self.cleaned_data["body"])

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in {"document_number", "co_issuers", "attachments"}}
        return data


class SealDecisionForm(forms.Form):
    decision = forms.ChoiceField(label="审查结论", widget=forms.RadioSelect,
                                 choices=[("agreed", "同意不公开(加盖单位公章)"), ("disagreed", "不同意不公开")],
                                 error_messages={"required": "请选择审查结论。"})
    opinion = forms.CharField(label="审查意见", required=False, widget=forms.Textarea(attrs={"rows": 4}))


class ReturnForm(forms.Form):
    reasons = forms.ModelMultipleChoiceField(label="退文理由", required=False, to_field_name="code",
                                             queryset=ReturnReason.objects.filter(is_active=True),
                                             widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label="具体说明", required=False, widget=forms.Textarea(attrs={"rows": 4}))


class ConfidentialityForm(forms.Form):
    decision = forms.ChoiceField(label="保密审查结论", widget=forms.RadioSelect,
                                 choices=[("cleared", "通过,可以发布"), ("refused", "未通过,退回修改")],
                                 error_messages={"required": "请选择保密审查结论。"})
    opinion = forms.CharField(label="审查意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    publish_at = BoundedDateTimeField(
        label="定时发布(北京时间,可不填)", required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"invalid": "请按“年-月-日 时:分”填写发布时间。"})


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "请填写理由。"})


class MeetingForm(forms.Form):
    meeting = forms.CharField(label="审议通过的会议", max_length=120,
                              help_text="如:市政府第12次常务会议", error_messages={"required": "请填写会议名称。"})
    meeting_date = BoundedDateField(label="会议日期", widget=forms.DateInput(attrs={"type": "date"}),
                                   error_messages={"required": "请填写会议日期。", "invalid": "请按“年-月-日”填写会议日期。"})
    major_revisions = forms.BooleanField(label="有重大修改意见需要协调(10个工作日内印发)", required=False)
    confirm_overdue = forms.BooleanField(label="确认按会议日期登记(会议日期较早、印发时限已过的,将立即显示为超期)",
                                         required=False)


class CatalogEntryForm(forms.Form):
    area = forms.ChoiceField(label="五公开类别", choices=[("", "请选择")] + FiveDisclosure.choices,
                             error_messages={"required": "请选择五公开类别。"})
    subject = forms.CharField(label="公开主体", max_length=100, error_messages={"required": "请填写公开主体。"})
    content = forms.CharField(label="公开内容", max_length=300, error_messages={"required": "请填写公开内容。"})
    time_limit = forms.CharField(label="公开时限", max_length=100, initial="信息形成或变更之日起20个工作日内",
                                 error_messages={"required": "请填写公开时限。"})
    channel = forms.CharField(label="公开方式", max_length=100, initial="政府网站、政务新媒体",
                              error_messages={"required": "请填写公开方式。"})
    topic = forms.ChoiceField(label="主题分类", choices=[("", "不限")] + Topic.choices, required=False)
    documents = forms.ModelMultipleChoiceField(label="关联已公开信息", required=False, queryset=None,
                                               widget=forms.SelectMultiple(attrs={"size": 6}))

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import public_documents

        self.fields["documents"].queryset = public_documents().filter(issuer=unit).order_by("-published_at")
