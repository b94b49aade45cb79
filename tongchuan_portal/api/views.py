"""The open-data API (W3): read-only views over the public selectors; thin — parse, select, serialize."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from . import selectors, serializers
from .conditional import conditional
from .pagination import KeysetPagination

UNIT = OpenApiParameter("unit", OpenApiTypes.STR, description="单位代码(含所属单位),如 yzq")
Q = OpenApiParameter("q", OpenApiTypes.STR, description="关键词")


def not_found(request, *args, **kwargs):
    """Any other address under /api/v1/: the API's own JSON 404, never the site's HTML page."""
    from django.http import JsonResponse

    return JsonResponse({"detail": "没有这个接口地址。", "code": "not_found"}, status=404,
                        json_dumps_params={"ensure_ascii": False})


class PublicReadOnlyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List (keyset pages) and retrieve, GET only, no login; ETag and conditional GET on every answer."""

    pagination_class = KeysetPagination
    ordering: tuple[str, ...] = ("-id",)
    authentication_classes: list = []
    permission_classes: list = []

    lookup_value_regex = r"[^/]+"  # a malformed id is a JSON 404 from the view, not the site's HTML page

    def integer_param(self, name: str, schema: dict | None = None) -> int | None:
        """A documented integer query parameter: absent → None, anything but one integer (within the range
        its schema states, when given) → a clear 400."""
        from rest_framework.exceptions import ValidationError

        values = self.request.query_params.getlist(name)
        if not values:
            return None
        value = values[0]
        digits = value[1:] if value.startswith("-") else value
        if len(values) > 1 or not digits.isascii() or not digits.isdigit() or len(digits) > 18:
            raise ValidationError({name: "须为一个整数。"})
        if schema is not None and not schema["minimum"] <= int(value) <= schema["maximum"]:
            raise ValidationError({name: f"须为 {schema['minimum']} 至 {schema['maximum']} 之间的整数。"})
        return int(value)

    def year_param(self) -> int | None:
        """`year` within the range the schema states (YEAR); outside it a clear 400."""
        from rest_framework.exceptions import ValidationError

        year = self.integer_param("year")
        if year is not None and not YEAR["minimum"] <= year <= YEAR["maximum"]:
            raise ValidationError({"year": f"须为 {YEAR['minimum']} 至 {YEAR['maximum']} 之间的年份。"})
        return year

    def unit_scope(self):
        return selectors.scope_for(self.request.query_params.get("unit", ""))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return conditional(request, response)


def _docs(list_params=(), tag=""):
    return extend_schema_view(
        list=extend_schema(parameters=list(list_params), tags=[tag]),
        retrieve=extend_schema(tags=[tag]),
    )


@_docs([UNIT], "单位")
class UnitViewSet(PublicReadOnlyViewSet):
    """单位名录:市政府、市级部门、区县及其部门。"""

    serializer_class = serializers.UnitSerializer
    lookup_field = "code"
    ordering = ("id",)

    def get_queryset(self):
        qs = selectors.units_public()
        scope = self.unit_scope()
        return qs.filter(pk__in=scope) if scope is not None else qs


# A year as the schema states it: any four-digit year is accepted (outside 2000–2100 nothing matches),
# so a client that follows the schema never meets a 400 for an integer too long to be a year.
YEAR = {"type": "integer", "minimum": 1, "maximum": 9999}
# A row id as the schema states it: what `integer_param` reads (at most 18 digits), and positive.
ROW_ID = {"type": "integer", "minimum": 1, "maximum": 10 ** 18 - 1}


@_docs([
    UNIT,
    OpenApiParameter("area", OpenApiTypes.STR, description="五公开类别代码"),
    OpenApiParameter("topic", OpenApiTypes.STR, description="主题分类代码"),
    OpenApiParameter("year", YEAR, description="发布年份"),
    OpenApiParameter("validity", OpenApiTypes.STR, description="公文时效代码(valid / invalid / repealed)"),
    OpenApiParameter("number", OpenApiTypes.STR, description="发文字号,任意括号写法,如 铜政办发[2016]71号"),
    OpenApiParameter("index", OpenApiTypes.STR, description="索引号"),
    Q,
], "政府信息")
class DocumentViewSet(PublicReadOnlyViewSet):
    """主动公开的政府信息,最新在前;与“五公开”栏目和全文检索使用同一套筛选与检索。"""

    serializer_class = serializers.DocumentSerializer
    ordering = ("-published_at", "-id")

    def get_queryset(self):
        from disclosure import search, selectors as public

        qs = selectors.documents_public(units=self.unit_scope())
        if self.action != "list":
            return qs
        params = self.request.query_params
        year = self.year_param()
        filters = public.Filters.from_query({k: params.get(k, "") for k in ("area", "topic", "validity")})
        if year is not None and not 2000 <= year <= 2100:
            return qs.none()  # no document was published in that year
        filters.year = year
        qs = filters.apply(qs)
        index = params.get("index", "").strip()[:40]
        if index:
            qs = qs.filter(index_number=index)
        number_text = params.get("number", "").strip()[:100]
        if number_text:
            number = search.number_form(number_text)
            if not number:
                return qs.none()  # not a 文号: nothing matches (and the search below must not see an empty set)
            qs = qs.filter(number.q)
        text = search.parse(params.get("q", ""))
        if text.text:
            # The site search's own matching (文号/索引号 first, then full text); pages keep the date order.
            qs = qs.filter(pk__in=search.find(qs, text).ids)
        return qs


@_docs([OpenApiParameter("document", ROW_ID, description="所属公文编号")], "政府信息")
class AttachmentViewSet(PublicReadOnlyViewSet):
    """公开信息的附件:元数据与下载地址。"""

    serializer_class = serializers.AttachmentSerializer
    ordering = ("-id",)

    def get_queryset(self):
        qs = selectors.attachments_public()
        document = self.integer_param("document", ROW_ID)
        return qs.filter(document_id=document) if document is not None else qs


@_docs([UNIT, Q], "政策解读")
class InterpretationViewSet(PublicReadOnlyViewSet):
    """政策解读(与公文同步发布)。"""

    serializer_class = serializers.InterpretationSerializer
    ordering = ("-id",)

    def get_queryset(self):
        qs = selectors.interpretations_public(units=self.unit_scope())
        return selectors.keyword(qs, ("title", "summary", "body"), self.request.query_params.get("q", "")[:100])


@_docs([UNIT, Q], "公众参与")
class CommentPeriodViewSet(PublicReadOnlyViewSet):
    """决策草案征求意见及其采纳情况。"""

    serializer_class = serializers.CommentPeriodSerializer
    ordering = ("-opens_at", "-id")

    def get_queryset(self):
        qs = selectors.comment_periods_public(units=self.unit_scope())
        return selectors.keyword(qs, ("draft__title", "draft__text"), self.request.query_params.get("q", "")[:100])


@_docs([UNIT, Q], "公众参与")
class MeetingViewSet(PublicReadOnlyViewSet):
    """会议与活动公告。"""

    serializer_class = serializers.MeetingSerializer
    ordering = ("-starts_at", "-id")

    def get_queryset(self):
        qs = selectors.meetings_public(units=self.unit_scope())
        return selectors.keyword(qs, ("title", "description"), self.request.query_params.get("q", "")[:100])


@_docs([UNIT, Q], "回应关切")
class ReleaseViewSet(PublicReadOnlyViewSet):
    """回应关切:政务舆情回应与权威信息发布。"""

    serializer_class = serializers.ReleaseSerializer
    ordering = ("-released_at", "-id")

    def get_queryset(self):
        qs = selectors.releases_public(units=self.unit_scope())
        return selectors.keyword(qs, ("title", "text"), self.request.query_params.get("q", "")[:100])


@_docs([UNIT], "政府信息")
class CatalogViewSet(PublicReadOnlyViewSet):
    """各单位主动公开目录。"""

    serializer_class = serializers.CatalogSerializer
    ordering = ("-id",)

    def get_queryset(self):
        return selectors.catalogs_public(units=self.unit_scope())


@extend_schema_view(
    list=extend_schema(parameters=[UNIT, OpenApiParameter("year", YEAR, description="报告年度")],
                       tags=["政府信息"]),
    retrieve=extend_schema(tags=["政府信息"], responses=serializers.AnnualReportDetailSerializer),
)
class AnnualReportViewSet(PublicReadOnlyViewSet):
    """政府信息公开工作年度报告:已发布的报告;单项含当前发布版本的表二至表四与各部分正文(与报告网页同一发布版本)。"""

    serializer_class = serializers.AnnualReportSerializer
    ordering = ("-id",)

    def get_serializer_class(self):
        return serializers.AnnualReportDetailSerializer if self.action == "retrieve" else self.serializer_class

    def get_queryset(self):
        if self.action != "list":
            return selectors.annual_reports_public(with_data=True)
        year = self.year_param()
        if year is not None and not 2000 <= year <= 2100:
            return selectors.annual_reports_public().none()  # no report covers that year
        return selectors.annual_reports_public(units=self.unit_scope(), year=year)
