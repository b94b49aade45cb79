"""Public pages of the annual report (A6, W4, W5): the 年报 list, each report, its PDF, CSV and XLSX."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from tongchuan_portal.core import params
from tongchuan_portal.units.models import Unit

from . import charts, exports, selectors
from .models import Report
from .presentation import report_context

PAGE_SIZE = 50


@require_safe
def report_list(request):
    """政府信息公开年报: published reports by year and unit, with the city-wide summary of the year."""
    years = selectors.published_years()
    year = params.year(request.GET)
    unit_code = params.text(request.GET, "unit", max_length=40)
    unit = Unit.objects.filter(code=unit_code).first() if unit_code else None
    reports = selectors.published_reports(year=year, unit_code=unit.code if unit else "")
    page = Paginator(reports, PAGE_SIZE).get_page(params.page(request.GET))
    summary_year = year or (years[0] if years else None)
    summary = [row for row in selectors.city_summary(summary_year) if row.published] if summary_year else []
    return render(request, "annual_report/public_list.html", {
        "page": page, "years": years, "year": year, "unit": unit, "summary_year": summary_year,
        "query": {"year": year or "", "unit": unit.code if unit else ""},
        "summary": summary, "chart": charts.on_time_chart(summary) if summary else None,
        "groups": selectors.tables.OUTCOME_GROUP_LABELS,
        "units": Unit.objects.filter(pk__in=Report.objects.filter(published_version__gt=0).values("unit_id"))
        .order_by("sort_order"),
    })


def _published(code: str, year: int, request):
    try:
        report = selectors.public_report(code, year)
    except Report.DoesNotExist:
        raise Http404("该单位尚未发布该年度报告。") from None
    versions = report.versions
    wanted = params.integer(request.GET, "version")
    snapshot = next((s for s in versions if s.version == wanted), versions[0])
    return report, snapshot, versions


def _context(report, snapshot, versions):
    previous = (Report.objects.filter(unit=report.unit, year=report.year - 1, published_version__gt=0)
                .prefetch_related(selectors.latest_snapshot_prefetch()).first())
    previous_data = previous.versions[0].data if previous else None
    context = report_context(report, snapshot.data, previous=previous_data)
    context.update({"snapshot": snapshot, "versions": versions, "previous": previous})
    return context


@require_safe
def report_detail(request, code, year):
    report, snapshot, versions = _published(code, year, request)
    return render(request, "annual_report/public_detail.html", _context(report, snapshot, versions))


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@require_safe
def report_pdf(request, code, year):
    report, snapshot, versions = _published(code, year, request)
    content = exports.pdf_bytes(_context(report, snapshot, versions), base_url=request.build_absolute_uri("/"))
    return _download(content, "application/pdf", f"{report.title}(第{snapshot.version}版).pdf")


@require_safe
def report_csv(request, code, year):
    report, snapshot, _ = _published(code, year, request)
    return _download(exports.csv_bytes(snapshot.data), "text/csv; charset=utf-8",
                     f"{report.title}(第{snapshot.version}版).csv")


@require_safe
def report_xlsx(request, code, year):
    report, snapshot, _ = _published(code, year, request)
    return _download(exports.xlsx_bytes(snapshot.data, title=report.title),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     f"{report.title}(第{snapshot.version}版).xlsx")
