"""The report's forms: input shape and Chinese messages only; the rules are in services."""

from django import forms

from tongchuan_portal.core.validation import BoundedDateField

from .models import AppealKind, AppealResult

COUNT_ERRORS = {"invalid": "请填写整数。", "min_value": "不能小于0。", "max_value": "数值过大。"}


def _count(label):
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=10_000_000,
                              error_messages=COUNT_ERRORS)


class EnteredRowsForm(forms.Form):
    """表二中本平台不掌握的数据,由本单位填报。"""

    licensing_count = _count("行政许可:本年处理决定数量")
    penalty_count = _count("行政处罚:本年处理决定数量")
    enforcement_count = _count("行政强制:本年处理决定数量")
    fees_amount_wan = forms.DecimalField(
        label="行政事业性收费:本年收费金额(万元)", required=False, min_value=0, max_digits=12, decimal_places=4,
        help_text="单位为万元,最多保留四位小数;没有收费的填0。",
        error_messages={"invalid": "请填写数字,如 12.5。", "min_value": "不能小于0。",
                        "max_decimal_places": "最多保留四位小数。", "max_digits": "数值过大。",
                        "max_whole_digits": "数值过大。"})


def _text(label, rows=4, help_text=""):
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}),
                           help_text=help_text)


class SectionsForm(forms.Form):
    overview_general = _text("一、总体情况(概述)", 4, "概述本年度政府信息公开工作总体情况。")
    overview_proactive = _text("(一)主动公开")
    overview_on_request = _text("(二)依申请公开")
    overview_management = _text("(三)政府信息管理")
    overview_platform = _text("(四)平台建设")
    overview_supervision = _text("(五)监督保障")
    problems = _text("五、存在的主要问题及改进情况", 5)
    other_matters = _text("六、其他需要报告的事项", 4, "本年度实际收取的信息处理费由平台根据收费记录自动填入,无需在此填写。")


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=300, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "请填写理由。", "max_length": "理由不能超过300字。"})


class AppealForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=[("", "请选择")] + AppealKind.choices,
                             error_messages={"required": "请选择类型。"})
    filed_on = BoundedDateField(label="申请(起诉)日期", widget=forms.DateInput(attrs={"type": "date"}),
                                error_messages={"required": "请填写申请(起诉)日期。",
                                                "invalid": "请按“年-月-日”填写日期,如 2026-03-01。"})
    result = forms.ChoiceField(label="结果", choices=AppealResult.choices, initial=AppealResult.PENDING)
    decided_on = BoundedDateField(label="审结日期", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                  help_text="已审结的必填。",
                                  error_messages={"invalid": "请按“年-月-日”填写日期,如 2026-03-01。"})
    application_number = forms.CharField(label="关联申请编号", max_length=20, required=False,
                                         help_text="针对某一申请答复提起的,填写申请编号,如 YSQ-2025-000123。")
    case_number = forms.CharField(label="案号", max_length=80, required=False)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
