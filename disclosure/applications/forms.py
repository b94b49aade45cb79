"""Input shape and messages in Chinese (STYLE.md); the rules live in the services, whose errors the views show
on these forms (`core.forms.apply_service_error`)."""

from __future__ import annotations

from django import forms

from tongchuan_portal.units.models import Unit

from . import deadlines
from .models import ApplicantType, Carrier, Channel, Delivery, FeeMethod, IdType, OrganisationKind
from .outcomes import OUTCOME_GROUPS, Outcome

HAND_OUTCOMES = [
    (group.label, [(o.value, o.label) for o in rows if o not in (Outcome.NO_CORRECTION, Outcome.UNPAID)])
    for group, rows in OUTCOME_GROUPS.items()
]

APPLICANT_FIELDS = ("applicant_type", "organisation_kind", "name", "work_unit", "id_type", "id_number",
                    "credit_code", "legal_representative", "contact_person", "phone", "address", "postcode", "email")
REQUEST_FIELDS = ("description", "document_number", "index_number", "carrier", "delivery")


def _required(label: str) -> dict:
    return {"required": f"请填写{label}。"}


class HoneypotMixin(forms.Form):
    website = forms.CharField(label="网址(请勿填写)", required=False,
                              widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))


def active_units():
    return Unit.objects.filter(is_active=True).select_related("parent").order_by("sort_order", "code")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return f"{unit.parent.short_name} · {unit.name}" if unit.parent_id and unit.parent.parent_id else unit.name


class ApplicationFields(forms.Form):
    """第二十九条: who applies, what is wanted, and in what form."""

    applicant_type = forms.ChoiceField(label="申请人类型", choices=ApplicantType.choices, widget=forms.RadioSelect,
                                       initial=ApplicantType.PERSON,
                                       error_messages={"required": "请选择申请人类型。"})
    organisation_kind = forms.ChoiceField(label="组织类别(法人或者其他组织填写)", required=False,
                                          choices=[("", "请选择"), *OrganisationKind.choices])
    name = forms.CharField(label="姓名或名称", max_length=100, error_messages=_required("姓名或名称"))
    work_unit = forms.CharField(label="工作单位(公民选填)", max_length=100, required=False)
    id_type = forms.ChoiceField(label="证件类型(公民填写)", required=False, choices=[("", "请选择"), *IdType.choices],
                                initial=IdType.RESIDENT_ID)
    id_number = forms.CharField(label="证件号码(公民填写)", max_length=40, required=False,
                                help_text="居民身份证为18位,最后一位可能是X。")
    credit_code = forms.CharField(label="统一社会信用代码(法人或者其他组织填写)", max_length=18, required=False)
    legal_representative = forms.CharField(label="法定代表人", max_length=40, required=False)
    contact_person = forms.CharField(label="联系人(法人或者其他组织填写)", max_length=40, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, error_messages=_required("联系电话"))
    address = forms.CharField(label="通讯地址", max_length=200, required=False)
    postcode = forms.CharField(label="邮政编码", max_length=6, required=False)
    email = forms.EmailField(label="电子邮箱(填写后每一步办理情况都会发邮件告知)", required=False,
                             error_messages={"invalid": "请填写有效的电子邮箱地址。"})
    description = forms.CharField(label="所需信息的内容描述", max_length=3000, widget=forms.Textarea(attrs={"rows": 5}),
                                  error_messages=_required("所需信息的内容描述"),
                                  help_text="请尽量写明信息的名称、制作机关、时间等,便于查找。")
    document_number = forms.CharField(label="文号(选填)", max_length=60, required=False,
                                      help_text="如“铜政办发〔2026〕12号”。")
    index_number = forms.CharField(label="索引号(选填)", max_length=40, required=False)
    carrier = forms.ChoiceField(label="信息的载体形式", choices=Carrier.choices, widget=forms.RadioSelect,
                                initial=Carrier.ELECTRONIC, error_messages={"required": "请选择信息的载体形式。"})
    delivery = forms.ChoiceField(label="获取信息的方式", choices=Delivery.choices, widget=forms.RadioSelect,
                                 initial=Delivery.EMAIL, error_messages={"required": "请选择获取信息的方式。"})

    def applicant(self) -> dict:
        return {k: self.cleaned_data.get(k) or "" for k in APPLICANT_FIELDS}

    def request_fields(self) -> dict:
        return {k: self.cleaned_data.get(k) or "" for k in REQUEST_FIELDS}


class ApplicationForm(HoneypotMixin, ApplicationFields):
    unit = UnitChoiceField(label="受理申请的机关", queryset=Unit.objects.none(), empty_label="请选择",
                           error_messages={"required": "请选择受理申请的机关。",
                                           "invalid_choice": "请选择受理申请的机关。"})
    identity_proof = forms.FileField(label="身份证明(身份证件或营业执照的照片、扫描件)", required=False,
                                     help_text="PDF、JPG 或 PNG 文件,仅用于核实身份,不会公开。")
    field_order = ["unit", *APPLICANT_FIELDS, "identity_proof", *REQUEST_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = active_units()


class RegisterForm(ApplicationFields):
    channel = forms.ChoiceField(label="申请方式", choices=[c for c in Channel.choices if c[0] != Channel.ONLINE])
    received_on = forms.DateField(label="收到申请日期", required=False,
                                  help_text="当面、口头:提出之日;邮寄:签收之日;传真、电子邮件:确认之日。不填为今天。",
                                  widget=forms.DateInput(attrs={"type": "date"}),
                                  error_messages={"invalid": "请填写正确的日期。"})
    identity_proof = forms.FileField(label="身份证明(选填)", required=False)
    field_order = ["channel", "received_on", *APPLICANT_FIELDS, "identity_proof", *REQUEST_FIELDS]


class QueryForm(forms.Form):
    number = forms.CharField(label="申请编号", max_length=20, error_messages=_required("申请编号"),
                             help_text="如 YSQ-2026-000123。")
    code = forms.CharField(label="查询码", max_length=40, error_messages=_required("查询码"),
                           help_text="提交申请时显示的16位查询码。")


class CorrectionForm(forms.Form):
    text = forms.CharField(label="补正内容", max_length=3000, widget=forms.Textarea(attrs={"rows": 5}),
                           error_messages=_required("补正内容"))


class CorrectionRequestForm(forms.Form):
    items = forms.CharField(label="需要补正的内容(一次性全部列明)", max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 4}), error_messages=_required("需要补正的内容"))
    days = forms.TypedChoiceField(label="补正期限", coerce=int, initial=deadlines.CORRECTION_DEFAULT_DAYS,
                                  choices=[(d, f"{d}个工作日") for d in deadlines.CORRECTION_PERIODS])


class CorrectionRecordForm(CorrectionForm):
    received_on = forms.DateField(label="收到补正日期", widget=forms.DateInput(attrs={"type": "date"}),
                                  error_messages={"required": "请填写收到补正的日期。", "invalid": "请填写正确的日期。"})


class ExtensionForm(forms.Form):
    days = forms.IntegerField(label="延长工作日(最多20个)", min_value=1, max_value=deadlines.EXTENSION_MAX_DAYS,
                              initial=deadlines.EXTENSION_MAX_DAYS,
                              error_messages={"required": "请填写延长的工作日数。",
                                              "max_value": "延长的期限最长不得超过20个工作日。",
                                              "min_value": "请至少延长1个工作日。", "invalid": "请填写整数。"})
    reason = forms.CharField(label="延期理由", max_length=300, error_messages=_required("延期理由"))


class ConsultationForm(forms.Form):
    third_party = forms.CharField(label="第三方名称", max_length=100, error_messages=_required("第三方名称"))
    contact = forms.CharField(label="第三方联系方式", max_length=100, required=False)
    question = forms.CharField(label="征求意见的事项", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                               error_messages=_required("征求意见的事项"))


class OpinionForm(forms.Form):
    opinion = forms.CharField(label="第三方意见", max_length=3000, widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages=_required("第三方意见"))


class FeeForm(forms.Form):
    method = forms.ChoiceField(label="计收方式", choices=FeeMethod.choices, widget=forms.RadioSelect,
                               error_messages={"required": "请选择计收方式。"})
    pages = forms.IntegerField(label="页数(按量计收填写)", min_value=1, required=False,
                               error_messages={"min_value": "页数至少为1。", "invalid": "请填写整数。"})


class PaidForm(forms.Form):
    paid_on = forms.DateField(label="缴费日期", widget=forms.DateInput(attrs={"type": "date"}),
                              error_messages={"required": "请填写缴费日期。", "invalid": "请填写正确的日期。"})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class ReplyForm(forms.Form):
    outcome = forms.ChoiceField(label="办理结果", choices=[("", "请选择"), *HAND_OUTCOMES],
                                error_messages={"required": "请选择办理结果。"})
    reply_text = forms.CharField(label="答复内容", max_length=5000, required=False,
                                 widget=forms.Textarea(attrs={"rows": 5}))
    withheld = forms.CharField(label="不予公开的内容及理由(部分公开填写)", max_length=3000, required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    legal_basis = forms.CharField(label="法律依据", max_length=200, required=False,
                                  help_text="不予公开、不予处理的,写明所依据的条款。")
    responsible_office = forms.CharField(label="负责公开该信息的机关(本机关不掌握的填写)", max_length=100,
                                         required=False)
    responsible_contact = forms.CharField(label="该机关联系方式", max_length=100, required=False)
    disclosed_document = forms.IntegerField(label="已公开文件编号(选填)", required=False, min_value=1,
                                            help_text="提供已公开的文件时,填写其在本平台的编号。")
    attachments = MultipleFileField(label="提供的信息(附件)", required=False)
    remedies = forms.CharField(label="救济途径", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                               error_messages=_required("救济途径"))


class DeliverForm(forms.Form):
    delivered_on = forms.DateField(label="送达(交邮)日期", widget=forms.DateInput(attrs={"type": "date"}),
                                   error_messages={"required": "请填写日期。", "invalid": "请填写正确的日期。"})
    note = forms.CharField(label="送达情况", max_length=200, help_text="如“中国邮政挂号信 XA123456789CN”或“申请人当面签收”。",
                           error_messages=_required("送达情况"))


class TransferForm(forms.Form):
    unit = UnitChoiceField(label="转交给", queryset=Unit.objects.none(), error_messages={
        "required": "请选择办理单位。", "invalid_choice": "请选择办理单位。"})
    reason = forms.CharField(label="转交理由", max_length=300, error_messages=_required("转交理由"))

    def __init__(self, *args, exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = active_units()
        self.fields["unit"].queryset = units.exclude(pk=exclude) if exclude else units


class SuperviseForm(forms.Form):
    note = forms.CharField(label="督办意见", max_length=300, error_messages=_required("督办意见"))


class StaffSearchForm(forms.Form):
    q = forms.CharField(label="按编号、申请人或内容搜索", max_length=60, required=False)
