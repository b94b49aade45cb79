"""Stable field names of the open-data API (W3); each field is named, none is personal.

Dates and moments are ISO 8601 with the Beijing offset; `url` fields are absolute on SITE_BASE_URL.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tongchuan_portal.core.siteurl import site_url


class UnitRefSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="单位代码")
    name = serializers.CharField(help_text="全称")
    short_name = serializers.CharField(help_text="简称")


class UnitSerializer(UnitRefSerializer):
    kind = serializers.CharField(help_text="类别代码")
    kind_label = serializers.CharField(source="get_kind_display", help_text="类别")
    parent = serializers.SerializerMethodField(help_text="上级单位代码")
    section_url = serializers.SerializerMethodField(help_text="单位子站地址")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_parent(self, obj):
        return obj.parent.code if obj.parent_id else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_section_url(self, obj):
        from django.urls import reverse

        return site_url(reverse("sections:unit", args=[obj.code]))


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    document = serializers.IntegerField(source="document_id", help_text="所属公文编号")
    name = serializers.CharField(source="original_name", help_text="文件名")
    file_type = serializers.CharField(help_text="类型")
    size = serializers.IntegerField(help_text="大小(字节)")
    sha256 = serializers.CharField()
    uploaded_at = serializers.DateTimeField()
    download_url = serializers.SerializerMethodField(help_text="下载地址")

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, obj):
        from django.urls import reverse

        return site_url(reverse("disclosure:attachment", args=[obj.pk]))


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField(help_text="标题")
    document_number = serializers.CharField(help_text="发文字号,如 铜政办发〔2016〕71号")
    index_number = serializers.CharField(help_text="索引号")
    issuer = UnitRefSerializer(source="issuing_body", help_text="发文机构")
    drafting_unit = UnitRefSerializer(source="issuer", help_text="起草单位")
    area = serializers.CharField(help_text="五公开类别代码")
    area_label = serializers.CharField(source="get_area_display")
    topic = serializers.CharField(help_text="主题分类代码")
    topic_label = serializers.CharField(source="get_topic_display")
    validity = serializers.CharField(help_text="公文时效代码")
    validity_label = serializers.CharField(source="get_validity_display")
    written_on = serializers.DateField(allow_null=True, help_text="成文日期")
    published_at = serializers.DateTimeField(help_text="发布日期")
    source = serializers.CharField(help_text="来源")
    body = serializers.CharField(help_text="正文(已清理的HTML)")
    attachments = AttachmentSerializer(many=True)
    url = serializers.SerializerMethodField(help_text="网页地址")

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        return site_url(obj.get_public_url())


class InterpretationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField(help_text="解读形式代码")
    kind_label = serializers.CharField(source="get_kind_display")
    summary = serializers.CharField()
    body = serializers.CharField()
    unit = UnitRefSerializer()
    document = serializers.IntegerField(source="document_id", help_text="所解读的公文编号")
    released_at = serializers.DateTimeField(source="release_at")
    media_url = serializers.CharField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        return site_url(obj.get_absolute_url())


class AdoptionGroupSerializer(serializers.Serializer):
    title = serializers.CharField(help_text="意见概述")
    decision = serializers.CharField(help_text="采纳情况代码")
    decision_label = serializers.CharField(source="get_decision_display")
    reason = serializers.CharField(help_text="理由说明")


class AdoptionReportSerializer(serializers.Serializer):
    summary = serializers.CharField(source="report_summary")
    published_at = serializers.DateTimeField(source="report_published_at")
    groups = AdoptionGroupSerializer(many=True)


class CommentPeriodSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    draft_id = serializers.IntegerField(help_text="决策草案编号")
    title = serializers.CharField(source="draft.title")
    unit = UnitRefSerializer(source="draft.unit")
    area = serializers.CharField(source="draft.area")
    text = serializers.CharField(source="draft.text", help_text="草案全文")
    basis = serializers.CharField(source="draft.basis", help_text="决策依据")
    working_days = serializers.IntegerField()
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    provisional = serializers.BooleanField(help_text="截止时间暂定")
    status = serializers.CharField()
    adoption_report = serializers.SerializerMethodField(help_text="采纳情况(公布后)")
    url = serializers.SerializerMethodField()

    @extend_schema_field(AdoptionReportSerializer(allow_null=True))
    def get_adoption_report(self, obj):
        if obj.report_published_at is None:
            return None
        return AdoptionReportSerializer(obj).data

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        from django.urls import reverse

        return site_url(reverse("participation:draft_detail", args=[obj.draft_id]))


class MeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    unit = UnitRefSerializer()
    area = serializers.CharField()
    starts_at = serializers.DateTimeField()
    place = serializers.CharField()
    description = serializers.CharField()
    is_public = serializers.BooleanField()
    status = serializers.CharField()
    outcome = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_outcome(self, obj):
        return obj.outcome if obj.outcome_published_at else ""

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        from django.urls import reverse

        return site_url(reverse("participation:meeting_detail", args=[obj.pk]))


class ReleaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    text = serializers.CharField()
    channel = serializers.CharField()
    link = serializers.CharField()
    released_at = serializers.DateTimeField()
    unit = UnitRefSerializer()
    subject_area = serializers.CharField()
    special_topic = serializers.CharField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        from django.urls import reverse

        return site_url(reverse("huiying:detail", args=[obj.pk]))


class CatalogEntrySerializer(serializers.Serializer):
    area = serializers.CharField()
    subject = serializers.CharField(help_text="公开主体")
    content = serializers.CharField(help_text="公开内容")
    time_limit = serializers.CharField(help_text="公开时限")
    channel = serializers.CharField(help_text="公开方式")
    documents = serializers.SerializerMethodField(help_text="对应的公开信息编号")

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_documents(self, obj):
        return [d.pk for d in obj.public_items]


class CatalogSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    unit = UnitRefSerializer()
    published_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    entries = CatalogEntrySerializer(many=True)


# --- annual reports (A6): the published snapshot's tables as data ------------------------------------------
#
# Nothing here computes a number: every value is read from the frozen snapshot the report's page, PDF, CSV and
# XLSX render (`ReportSnapshot.data`), reshaped with the row and column keys and labels of `annual_report.tables`.


def _annual_tables():
    from disclosure.annual_report import tables

    return tables


def _values_serializer(name: str, labels: dict[str, str]):
    """A serializer naming each column key of a table row, so the schema documents every key."""
    fields = {key: serializers.IntegerField(help_text=label) for key, label in labels.items()}
    return type(name, (serializers.Serializer,), fields)


def _table3_columns() -> dict[str, str]:
    t = _annual_tables()
    return {c: t.COLUMN_LABELS[c] for c in t.ALL_COLUMNS}


def _table4_columns() -> dict[str, str]:
    t = _annual_tables()
    return {r: t.RESULT_LABELS[r] for r in t.RESULTS}


class AnnualColumnSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="栏目代码(稳定)")
    label = serializers.CharField(help_text="栏目名称")


class Table3RowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="行代码(稳定):new 本年新收、carried 上年结转、各办理结果、total 总计、"
                                          "carry_forward 结转下年度")
    label = serializers.CharField(help_text="行名称(国家模板)")
    group = serializers.CharField(allow_null=True, help_text="办理结果类别代码(非办理结果行为 null)")
    group_label = serializers.CharField(allow_null=True, help_text="办理结果类别")
    values = _values_serializer("AnnualTable3Values", _table3_columns())(help_text="各申请人类别的件数")


class Table3Serializer(serializers.Serializer):
    columns = AnnualColumnSerializer(many=True, help_text="申请人情况各列(自然人、法人或其他组织五类、总计)")
    rows = Table3RowSerializer(many=True)


class Table4RowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="类型代码(稳定):reconsideration 行政复议、direct_suit 未经复议直接起诉、"
                                          "suit_after 复议后起诉")
    label = serializers.CharField(help_text="类型")
    values = _values_serializer("AnnualTable4Values", _table4_columns())(help_text="各结果的件数")


class Table4Serializer(serializers.Serializer):
    columns = AnnualColumnSerializer(many=True, help_text="结果维持、结果纠正、其他结果、尚未审结、总计")
    rows = Table4RowSerializer(many=True)


class DocumentCountsSerializer(serializers.Serializer):
    issued = serializers.IntegerField(help_text="本年制发件数")
    repealed = serializers.IntegerField(help_text="本年废止件数")
    in_force = serializers.IntegerField(help_text="现行有效件数")


class Table2Serializer(serializers.Serializer):
    regulation = DocumentCountsSerializer(help_text="规章(第二十条第(一)项)")
    normative = DocumentCountsSerializer(help_text="行政规范性文件(第二十条第(一)项)")
    licensing = serializers.IntegerField(allow_null=True, help_text="行政许可本年处理决定数量(第二十条第(五)项)")
    penalty = serializers.IntegerField(allow_null=True, help_text="行政处罚本年处理决定数量(第二十条第(六)项)")
    enforcement = serializers.IntegerField(allow_null=True, help_text="行政强制本年处理决定数量(第二十条第(六)项)")
    fees_wan = serializers.CharField(allow_null=True, source="fees_wan_text",
                                     help_text="行政事业性收费本年收费金额(万元,十进制字符串,第二十条第(八)项)")


def _section_fields():
    from disclosure.annual_report.models import SECTION_FIELDS, Report

    return {name: serializers.CharField(help_text=str(Report._meta.get_field(name).verbose_name))
            for name in SECTION_FIELDS}


AnnualSectionsSerializer = type("AnnualSectionsSerializer", (serializers.Serializer,), _section_fields())


class AnnualLinksSerializer(serializers.Serializer):
    html = serializers.URLField(help_text="报告网页")
    pdf = serializers.URLField(help_text="PDF")
    csv = serializers.URLField(help_text="数据(CSV)")
    xlsx = serializers.URLField(help_text="数据(Excel)")


class AnnualVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="版本号(1 为首次发布,更正后递增)")
    published_at = serializers.DateTimeField(source="taken_at", help_text="该版本发布时间")
    note = serializers.CharField(source="reason", help_text="发布说明(首次发布或更正理由)")


def _annual_links(report) -> dict:
    from django.urls import reverse

    args = [report.unit.code, report.year]
    return {kind: site_url(reverse(f"annual_report:{name}", args=args))
            for kind, name in (("html", "public_detail"), ("pdf", "pdf"), ("csv", "csv"), ("xlsx", "xlsx"))}


class AnnualReportSerializer(serializers.Serializer):
    """One published annual report in a list: who, which year, which version, where to read it."""

    id = serializers.IntegerField()
    title = serializers.CharField(help_text="报告名称")
    unit = UnitRefSerializer(help_text="报告单位")
    year = serializers.IntegerField(help_text="报告年度")
    version = serializers.IntegerField(source="published_version", help_text="当前发布版本")
    published_at = serializers.SerializerMethodField(help_text="当前版本发布时间")
    first_published_at = serializers.DateTimeField(help_text="首次发布时间")
    links = serializers.SerializerMethodField(help_text="网页、PDF、CSV、Excel 地址(当前版本)")

    @extend_schema_field(serializers.DateTimeField())
    def get_published_at(self, obj):
        return serializers.DateTimeField().to_representation(obj.versions[0].taken_at)

    @extend_schema_field(AnnualLinksSerializer)
    def get_links(self, obj):
        return _annual_links(obj)


def snapshot_as_data(data: dict) -> dict:
    """The frozen snapshot's tables with stable keys (no number is recomputed)."""
    from disclosure.applications.outcomes import GROUP_OF

    t = _annual_tables()
    table3 = data["table3"]
    table4 = data["table4"]
    return {
        "table2": {**data["table2"], "fees_wan_text": data["table2"].get("fees_wan")},
        "table3": {
            "columns": [{"key": c, "label": t.COLUMN_LABELS[c]} for c in t.ALL_COLUMNS],
            "rows": [{"key": row, "label": t.ROW_LABELS[row],
                      "group": GROUP_OF[row].value if row in GROUP_OF else None,
                      "group_label": GROUP_OF[row].label if row in GROUP_OF else None,
                      "values": {c: table3[row][c] for c in t.ALL_COLUMNS}} for row in t.TABLE3_ROWS],
        },
        "table4": {
            "columns": [{"key": r, "label": t.RESULT_LABELS[r]} for r in t.RESULTS],
            "rows": [{"key": k, "label": t.AppealKind(k).label, "values": {r: table4[k][r] for r in t.RESULTS}}
                     for k in t.KINDS],
        },
        "sections": data["sections"],
    }


class AnnualReportDetailSerializer(AnnualReportSerializer):
    """One published annual report: its current published version's tables 二–四 and sections as data,
    read from the same frozen snapshot as the report's page, PDF, CSV and XLSX."""

    note = serializers.SerializerMethodField(help_text="当前版本的发布说明(首次发布或更正理由)")
    versions = AnnualVersionSerializer(many=True, help_text="已发布的各版本,最新在前")
    table2 = serializers.SerializerMethodField(help_text="二、主动公开政府信息情况")
    table3 = serializers.SerializerMethodField(help_text="三、收到和处理政府信息公开申请情况(单位:件)")
    table4 = serializers.SerializerMethodField(help_text="四、政府信息公开行政复议、行政诉讼情况(单位:件)")
    fees_collected = serializers.SerializerMethodField(help_text="本年实际收取的信息处理费(元,十进制字符串)")
    sections = serializers.SerializerMethodField(help_text="一、五、六 各部分正文(纯文本)")

    def _tables_of(self, obj) -> dict:
        cached = getattr(obj, "_api_data", None)
        if cached is None:
            cached = obj._api_data = snapshot_as_data(obj.versions[0].data)
        return cached

    @extend_schema_field(OpenApiTypes.STR)
    def get_note(self, obj):
        return obj.versions[0].reason

    @extend_schema_field(Table2Serializer)
    def get_table2(self, obj):
        return Table2Serializer(self._tables_of(obj)["table2"]).data

    @extend_schema_field(Table3Serializer)
    def get_table3(self, obj):
        return Table3Serializer(self._tables_of(obj)["table3"]).data

    @extend_schema_field(Table4Serializer)
    def get_table4(self, obj):
        return Table4Serializer(self._tables_of(obj)["table4"]).data

    @extend_schema_field(OpenApiTypes.STR)
    def get_fees_collected(self, obj):
        return obj.versions[0].data["fees_collected"]

    @extend_schema_field(AnnualSectionsSerializer)
    def get_sections(self, obj):
        return AnnualSectionsSerializer(self._tables_of(obj)["sections"]).data
