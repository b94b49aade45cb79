"""Input shapes and messages in Chinese. Rules are checked by the services, whose errors come
back onto these forms so that people see them next to what they typed."""

from django import forms

from disclosure.models import Topic
from tongchuan_portal.core.validation import BoundedDateField

from .models import Expert, Focus, MaterialKind, PlanForm, SourceLevel

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# Which inputs each kind of material has (I3): the form shows only these.
KIND_FIELDS = {
    MaterialKind.ARTICLE: ["title", "summary", "focus", "body"],
    MaterialKind.QA: ["title", "summary", "focus"],
    MaterialKind.GRAPHIC: ["title", "summary", "focus", "image", "image_alt"],
    MaterialKind.INTERVIEW: ["title", "summary", "focus", "guests", "transcript", "media_url"],
    MaterialKind.EXPERT: ["title", "summary", "focus", "expert", "body"],
    MaterialKind.PRESS_RELEASE: ["title", "summary", "focus", "body"],
    MaterialKind.DATA: ["title", "summary", "focus", "table_caption", "table_text", "body"],
    MaterialKind.MEDIA: ["title", "summary", "focus", "media_url", "transcript"],
}


class InterpretationPlanForm(forms.Form):
    """解读方案 (I6)."""

    outline = forms.CharField(label="解读提纲", widget=forms.Textarea(attrs={"rows": 5}),
                              error_messages={"required": "请填写解读提纲。"},
                              help_text="围绕适用范围、执行标准、惠民举措、注意事项、关键词、新旧政策差异等。")
    channels = forms.CharField(label="发布渠道", widget=forms.Textarea(attrs={"rows": 2}),
                               error_messages={"required": "请填写发布渠道。"},
                               help_text="如:市政府网站政策解读栏目、政务微博微信、铜川日报。")
    timing = forms.CharField(label="时间安排", widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "请填写时间安排。"},
                             help_text="解读材料与文件同步发布;跟踪解读的时间安排。")
    background = forms.CharField(label="出台背景", widget=forms.Textarea(attrs={"rows": 4}),
                                 error_messages={"required": "请填写出台背景。"})
    data = forms.CharField(label="相关数据", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    # Declared last: the field is named `forms` and would shadow the module in this class body.
    forms = forms.MultipleChoiceField(label="解读形式", choices=PlanForm.choices, widget=forms.CheckboxSelectMultiple,
                                      error_messages={"required": "请至少选择一种解读形式。",
                                                      "invalid_choice": "解读形式无效,请从列表中选择。"})

    field_order = ["outline", "forms", "channels", "timing", "background", "data"]


class MaterialForm(forms.Form):
    """解读材料; the view removes the inputs that the chosen kind does not have."""

    title = forms.CharField(label="标题", max_length=200, error_messages={"required": "请填写标题。"})
    summary = forms.CharField(label="导语", max_length=300, required=False)
    focus = forms.MultipleChoiceField(label="解读要点", required=False, choices=Focus.choices,
                                      widget=forms.CheckboxSelectMultiple,
                                      error_messages={"invalid_choice": "解读要点无效,请从列表中选择。"})
    body = forms.CharField(label="正文", required=False, widget=forms.Textarea(attrs={"rows": 10}))
    expert = forms.ModelChoiceField(label="解读专家", required=False, queryset=Expert.objects.filter(is_active=True),
                                    empty_label="请选择专家库中的专家",
                                    error_messages={"invalid_choice": "请从专家库中选择专家。"})
    guests = forms.CharField(label="访谈嘉宾", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="每行一位:姓名、单位和职务。")
    transcript = forms.CharField(label="文字实录", required=False, widget=forms.Textarea(attrs={"rows": 10}))
    media_url = forms.URLField(label="音视频链接", required=False, assume_scheme="https",
                               error_messages={"invalid": "请填写有效的链接,如 https://…"})
    image = forms.FileField(label="图解图片", required=False, help_text="PNG 或 JPEG,不超过 10 MB。",
                            widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}))
    image_alt = forms.CharField(label="图片文字说明(必填)", required=False, widget=forms.Textarea(attrs={"rows": 5}),
                                help_text="完整描述图解中的文字和数据,供视障读者使用读屏软件阅读。")
    table_caption = forms.CharField(label="表格标题", max_length=200, required=False)
    table_text = forms.CharField(label="数据表", required=False, widget=forms.Textarea(attrs={"rows": 6}),
                                 help_text="每行一条,单元格用英文逗号或制表符分隔;第一行为表头。")

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        for name in list(self.fields):
            if name not in KIND_FIELDS[MaterialKind(kind)]:
                del self.fields[name]
        if kind == MaterialKind.DATA and "body" in self.fields:
            self.fields["body"].label = "数据说明"
            self.fields["body"].widget.attrs["rows"] = 4

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "image"}
        data["kind"] = self.kind
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "请填写理由。"})


class ExpertForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=40, error_messages={"required": "请填写专家姓名。"})
    title = forms.CharField(label="职称职务", max_length=60, error_messages={"required": "请填写职称或职务。"})
    affiliation = forms.CharField(label="工作单位", max_length=100, error_messages={"required": "请填写工作单位。"})
    sector = forms.ChoiceField(label="领域", choices=[("", "请选择")] + Topic.choices,
                               error_messages={"required": "请选择专家所属领域。"})
    specialties = forms.CharField(label="专业方向", max_length=200, error_messages={"required": "请填写专业方向。"})
    is_active = forms.BooleanField(label="在库(可选为解读专家)", required=False, initial=True)


class ReprintForm(forms.Form):
    title = forms.CharField(label="标题", max_length=300, error_messages={"required": "请填写标题。"})
    source = forms.CharField(label="来源", max_length=100, help_text="如:中国政府网、陕西省人民政府。",
                             error_messages={"required": "请填写来源。"})
    source_level = forms.ChoiceField(label="层级", choices=[("", "请选择")] + SourceLevel.choices,
                                     error_messages={"required": "请选择层级。"})
    original_url = forms.URLField(label="原文链接", assume_scheme="https",
                                  error_messages={"required": "请填写原文链接。", "invalid": "请填写有效的原文链接。"})
    original_number = forms.CharField(label="原文字号", max_length=60, required=False, help_text="如:国办发〔2016〕80号。")
    original_date = BoundedDateField(label="原文发布日期", widget=DATE_INPUT,
                                    error_messages={"required": "请填写原文发布日期。",
                                                    "invalid": "请按“年-月-日”填写日期。"})
    body = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 12}),
                           error_messages={"required": "请填写转载正文。"})


class ReprintNoteForm(forms.Form):
    noted_on = BoundedDateField(label="日期", widget=DATE_INPUT,
                               error_messages={"required": "请填写日期。", "invalid": "请按“年-月-日”填写日期。"})
    body = forms.CharField(label="贯彻落实情况", widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages={"required": "请填写贯彻落实情况。"})


class ColumnFilterForm(forms.Form):
    """The public column's filters: form, unit and year (all optional; bad input is ignored)."""

    kind = forms.ChoiceField(label="解读形式", required=False, choices=[("", "全部形式")] + MaterialKind.choices)
    unit = forms.TypedChoiceField(label="解读单位", required=False, coerce=int, empty_value=None)
    year = forms.TypedChoiceField(label="年份", required=False, coerce=int, empty_value=None)
    q = forms.CharField(label="关键词", required=False, max_length=50)

    def __init__(self, *args, units=(), years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "全部单位")] + [(u.pk, u.name) for u in units]
        self.fields["year"].choices = [("", "全部年份")] + [(y, f"{y}年") for y in years]
