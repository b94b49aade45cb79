"""Staff pages of the annual report: parse → service or selector → render or redirect (A6)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from tongchuan_portal.clock.selectors import explain
from tongchuan_portal.core import params
from tongchuan_portal.core.confidentiality import clearances_for
from tongchuan_portal.core.forms import apply_service_error
from tongchuan_portal.units.models import Unit
from tongchuan_portal.units.permissions import units_with_role

from . import charts, permissions, selectors, services
from .forms import AppealForm, EnteredRowsForm, ReasonForm, SectionsForm
from .models import ENTERED_FIELDS, SECTION_FIELDS, AppealRecord, Report
from .presentation import report_context


def _report(request, pk) -> Report:
    """The report if the user may see it; otherwise 404, as for a report that does not exist."""
    try:
        report = Report.objects.select_related("unit", "approved_by", "entered_by", "sections_by").get(pk=pk)
    except Report.DoesNotExist:
        raise Http404("年度报告不存在。") from None
    if not permissions.can_view(request.user, report):
        raise Http404("年度报告不存在。")
    return report


@login_required
def my_reports(request):
    """我的年度报告: the user's units' reports, and a way to open one for a year."""
    reports = list(selectors.reports_for_user(request.user)[:100])
    units = [u for u in units_with_role(request.user, *permissions.STAFF_ROLES).order_by("sort_order")
             if u.special != "city_office"]
    this_year = timezone.localdate().year
    return render(request, "annual_report/my_reports.html", {
        "reports": reports, "units": units, "years": list(range(this_year, this_year - 5, -1)),
        "default_year": this_year - 1, "can_summary": permissions.can_see_city_summary(request.user),
    })


@login_required
@require_POST
def open_report(request):
    unit_id = params.integer(request.POST, "unit")
    year = params.year(request.POST)
    unit = Unit.objects.filter(pk=unit_id).first() if unit_id else None
    if unit is None or year is None or not permissions.can_record_appeal(request.user, unit):
        raise Http404("单位不存在。")
    try:
        report = services.report_open(unit=unit, year=year, by=request.user)
    except ValidationError as error:
        messages.error(request, ";".join(error.messages))
        return redirect("annual_report:mine")
    return redirect(report.get_absolute_url())


def _detail(request, report, *, rows_form=None, sections_form=None, reason_form=None, status=200):
    # A draft is recomputed on every view; a published report shows its frozen snapshot.
    data = (report.snapshots.order_by("-version").first().data if report.status == "published"
            else selectors.compute(report))
    context = report_context(report, data)
    deadline = report.deadlines.order_by("-started_at").first()
    context.update({
        "rows_form": rows_form or EnteredRowsForm(initial={f: getattr(report, f) for f in ENTERED_FIELDS}),
        "sections_form": sections_form or SectionsForm(initial={f: getattr(report, f) for f in SECTION_FIELDS}),
        "reason_form": reason_form or ReasonForm(),
        "missing": selectors.missing_entries(report),
        "can_edit": permissions.can_edit(request.user, report) and report.is_editable,
        "can_submit": permissions.can_edit(request.user, report) and report.status == "draft",
        "can_approve": permissions.can_approve(request.user, report) and report.status == "head_review",
        "can_correct": permissions.can_edit(request.user, report) and report.status == "published",
        "can_clear": permissions.can_clear(request.user, report) and report.status == "confidentiality",
        "deadline": deadline, "explanation": explain(deadline) if deadline else None,
        "history": list(report.history.select_related("history_user").order_by("-history_date")[:30]),
        "versions": list(report.snapshots.select_related("published_by").order_by("-version")),
        "clearances": list(clearances_for(report)[:10]),
        "live": report.status != "published",
    })
    return render(request, "annual_report/staff_detail.html", context, status=status)


@login_required
def report_detail(request, pk):
    return _detail(request, _report(request, pk))


def _act(request, report, call, done: str, *, form_key: str | None = None, form=None):
    try:
        call()
    except PermissionDenied:
        raise Http404("年度报告不存在。") from None
    except ValidationError as error:
        if form is not None:
            apply_service_error(form, error)
            return _detail(request, report, status=400, **{form_key: form})
        for message in error.messages:
            messages.error(request, message)
        return redirect(report.get_absolute_url())
    messages.success(request, done)
    return redirect(report.get_absolute_url())


@login_required
@require_POST
def enter_rows(request, pk):
    report = _report(request, pk)
    form = EnteredRowsForm(request.POST)
    if not form.is_valid():
        return _detail(request, report, rows_form=form, status=400)
    return _act(request, report, lambda: services.report_enter_rows(report=report, data=form.cleaned_data,
                                                                     by=request.user),
                "表二数据已保存。", form_key="rows_form", form=form)


@login_required
@require_POST
def write_sections(request, pk):
    report = _report(request, pk)
    form = SectionsForm(request.POST)
    if not form.is_valid():
        return _detail(request, report, sections_form=form, status=400)
    return _act(request, report, lambda: services.report_write_sections(report=report, data=form.cleaned_data,
                                                                         by=request.user),
                "报告正文已保存。", form_key="sections_form", form=form)


@login_required
@require_POST
def submit(request, pk):
    report = _report(request, pk)
    return _act(request, report, lambda: services.report_submit(report=report, by=request.user),
                "已报送单位负责人审定。")


@login_required
@require_POST
def approve(request, pk):
    report = _report(request, pk)
    return _act(request, report, lambda: services.report_approve(report=report, by=request.user),
                "已审定,送保密审查。")


@login_required
@require_POST
def return_report(request, pk):
    report = _report(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _detail(request, report, reason_form=form, status=400)
    return _act(request, report, lambda: services.report_return(report=report, reason=form.cleaned_data["reason"],
                                                                 by=request.user),
                "已退回修改。", form_key="reason_form", form=form)


@login_required
@require_POST
def correct(request, pk):
    report = _report(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _detail(request, report, reason_form=form, status=400)
    return _act(request, report, lambda: services.report_correct(report=report, reason=form.cleaned_data["reason"],
                                                                  by=request.user),
                "已发起更正:修改后须重新审定和保密审查,发布为新版本;原版本仍然公开。", form_key="reason_form", form=form)


@login_required
@require_http_methods(["GET", "POST"])
def appeals(request):
    """行政复议、行政诉讼情况: the unit's records (table 四) and the form to add one."""
    units = list(units_with_role(request.user, *permissions.STAFF_ROLES).order_by("sort_order"))
    if not units:
        raise Http404("页面不存在。")
    unit_id = params.integer(request.POST if request.method == "POST" else request.GET, "unit")
    unit = next((u for u in units if u.pk == unit_id), None) if unit_id else units[0]
    if unit is None:
        raise Http404("单位不存在。")
    form = AppealForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.appeal_record_create(unit=unit, data=form.cleaned_data, by=request.user)
            except PermissionDenied:
                raise Http404("单位不存在。") from None
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, "已录入。")
                return redirect(f"{request.path}?unit={unit.pk}")
        status = 400
    records = list(AppealRecord.objects.filter(unit=unit).select_related("entered_by").order_by("-filed_on", "-pk")[:200])
    return render(request, "annual_report/appeals.html", {"units": units, "unit": unit, "form": form,
                                                           "records": records}, status=status)


@login_required
def city_summary(request):
    """全市汇总 for the city office: every unit, received, answered, on time, overdue, outcomes."""
    if not permissions.can_see_city_summary(request.user):
        raise Http404("页面不存在。")
    year = params.year(request.GET) or timezone.localdate().year - 1
    summary = selectors.city_summary(year)
    return render(request, "annual_report/city_summary.html", {
        "year": year, "summary": summary, "chart": charts.on_time_chart(summary),
        "groups": selectors.tables.OUTCOME_GROUP_LABELS, "staff": True,
    })
