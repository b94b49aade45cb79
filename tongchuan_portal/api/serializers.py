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
