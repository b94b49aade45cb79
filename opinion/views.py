"""Staff pages (dashboard, case pages) and the public 回应关切 column."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tongchuan_portal.clock.services import fmt
from tongchuan_portal.core.confidentiality import clearance_page, last_refusal
from tongchuan_portal.core.forms import apply_service_error
from tongchuan_portal.core.models import Clearance
from tongchuan_portal.core import params
from tongchuan_portal.core.paging import STAFF_PAGE_SIZE
from tongchuan_portal.units.selectors import site_scope

from . import services
from .forms import (
    CaseForm,
    CloseForm,
    FeedbackForm,
    PressConferenceForm,
    ReassignForm,
    ReleaseForm,
    ReleaseRevisionForm,
    TransferForm,
    TriageForm,
)
from .models import Category, IncidentLevel, OpinionCase, Release, SpecialTopic, SubjectArea
from .permissions import Abilities, can_record, can_see_dashboard, visible_to
from .selectors import (
    ColumnFilters,
    DashboardFilters,
    assignable_units,
    case_for_user,
    cases_for_dashboard,
    clocks_for,
    release_for_clearance,
    release_public,
    release_years,
    releases_public,
)

STATUS_CHOICES = [("open", "处置中"), ("closed", "已办结"), ("all", "全部")]


def _int(value) -> int | None:
    return params.parse_int(value, min_value=1, max_value=params.MAX_ID)


def _choice(value, choices) -> str:
    return value if value in choices.values else ""


@login_required
@require_safe
def dashboard(request):
    """舆情工作台 — live cases with the time left on every clock, filterable by level, unit and category."""
    if not can_see_dashboard(request.user):
        raise PermissionDenied("舆情工作台仅供舆情工作人员、市政府办公室和市委宣传部使用。")
    status = request.GET.get("status", "open")
    filters = DashboardFilters(
        status=status if status in dict(STATUS_CHOICES) else "open",
        level=_choice(request.GET.get("level"), IncidentLevel),
        unit=_int(request.GET.get("unit")),
        category=_choice(request.GET.get("category"), Category),
    )
    page = Paginator(cases_for_dashboard(request.user, filters), STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    clocks = clocks_for(list(page.object_list), now)
    rows = [(case, clocks.get(case.pk, [])) for case in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "opinion/dashboard.html", {
        "rows": rows, "page": page, "filters": filters, "now": now, "query": query.urlencode(),
        "status_choices": STATUS_CHOICES, "levels": IncidentLevel.choices, "categories": Category.choices,
        "units": assignable_units(), "can_record": can_record(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request):
    """登记舆情 — any opinion officer records; the case is then routed to its responsible unit (O1)."""
    if not can_record(request.user):
        raise PermissionDenied("只有舆情工作人员可以登记舆情。")
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_record(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            unit = case.responsible_unit.name
            if visible_to(request.user).filter(pk=case.pk).exists():
                messages.success(request, f"舆情已登记,交{unit}办理;已通知市政府办公室和市委宣传部。")
                return redirect(case)
            messages.success(request, f"舆情“{case.title}”已登记并交{unit}办理,后续由责任单位处置。")
            return redirect("opinion:dashboard")
    return render(request, "opinion/case_form.html", {"form": form}, status=400 if form.errors else 200)


def _visible_case(request, pk) -> OpinionCase:
    try:
        return case_for_user(request.user, pk)
    except OpinionCase.DoesNotExist:
        raise Http404("没有找到该舆情。") from None


FORMS = {
    "triage": TriageForm, "release": ReleaseForm, "press": PressConferenceForm, "transfer": TransferForm,
    "feedback": FeedbackForm, "close": CloseForm, "reassign": ReassignForm,
}


def _render_case(request, case, bound=None, status=200):
    abilities = Abilities(request.user, case)
    forms = {name: cls(prefix=name) for name, cls in FORMS.items()}
    if bound is not None:
        forms[bound[0]] = bound[1]
    clocks = clocks_for([case]).get(case.pk, [])
    revising = bound[1] if bound and bound[0] == "resubmit" else None
    for release in case.releases.all():  # D7: a refusal's opinion, and the form to revise, on the release
        if release.clearance == Clearance.REFUSED:
            release.refusal = last_refusal(release)
            release.revision_form = (revising if revising is not None and revising.release_pk == release.pk
                                     else ReleaseRevisionForm(prefix=f"revise{release.pk}", initial={
                                         "title": release.title, "text": release.text, "link": release.link}))
    return render(request, "opinion/case_detail.html", {
        "case": case, "clocks": clocks, "abilities": abilities, "forms": forms, "open_form": bound[0] if bound else "",
        "missing": services.missing_for_close(case) if abilities.handle else [],
    }, status=status)


@login_required
@require_safe
def case_detail(request, pk):
    return _render_case(request, _visible_case(request, pk))


ACTIONS = {
    "triage": (services.case_triage, "已记录研判意见。"),
    "release": (services.release_record, "已登记发布。"),
    "press": (services.press_conference_record, "已登记新闻发布会。"),
    "transfer": (services.transfer_record, "已登记线索移交。"),
    "feedback": (services.feedback_record, "已登记处置反馈。"),
    "close": (services.case_close, "舆情已办结。"),
    "reassign": (services.case_reassign, "舆情已改派。"),
}


@login_required
@require_POST
def case_action(request, pk, action):
    """Each action on a case: parse its form, call its service; errors show on the page with the input kept."""
    if action not in ACTIONS:
        raise Http404
    case = _visible_case(request, pk)
    form = FORMS[action](request.POST, prefix=action)
    service, done = ACTIONS[action]
    if form.is_valid():
        try:
            service(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, done)
            return redirect(case)
    return _render_case(request, _visible_case(request, pk), bound=(action, form), status=400)


# --- 保密审查 of releases (D7) --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def release_clearance(request, pk):
    """The confidentiality reviewer reads the release as the column will show it, then decides."""
    try:
        release = release_for_clearance(request.user, pk)
    except Release.DoesNotExist:
        raise Http404("没有找到待您保密审查的该发布。") from None
    facts = [("舆情", release.case.title), ("发布单位", release.unit.name),
             ("登记时间", fmt(release.recorded_at)), ("送审时间", fmt(release.submitted_at))]
    return clearance_page(
        request, title=release.title, kind="舆情回应", facts=facts, shown_text=services.release_shown_text(release),
        decide=lambda **decision: services.release_clearance_decide(release=release, by=request.user, **decision),
        done="保密审查已通过,已在“回应关切”栏目公开。")


@login_required
@require_POST
def release_resubmit(request, pk):
    """The responsible unit revises a refused release and sends it back to 保密审查."""
    try:
        release = Release.objects.select_related("case").get(pk=pk, case__in=visible_to(request.user))
    except Release.DoesNotExist:
        raise Http404("没有找到该发布。") from None
    form = ReleaseRevisionForm(request.POST, prefix=f"revise{release.pk}")
    form.release_pk = release.pk
    if form.is_valid():
        try:
            services.release_resubmit(release=release, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, "已修改并重新送保密审查。")
            return redirect(release.case)
    return _render_case(request, _visible_case(request, release.case_id), bound=("resubmit", form), status=400)


# --- the public 回应关切 column -------------------------------------------------------------------


@require_safe
def column(request):
    """回应关切 — the government's published responses, by date and topic."""
    year = params.year(request.GET)
    site, units = site_scope(request.GET)
    filters = ColumnFilters(
        year=year, month=params.month(request.GET) if year else None,
        area=_choice(request.GET.get("area"), SubjectArea), topic=_choice(request.GET.get("topic"), SpecialTopic),
        units=units,
    )
    if filters.month and not 1 <= filters.month <= 12:
        filters.month = None
    page = Paginator(releases_public(filters), 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "opinion/column.html", {
        "page": page, "filters": filters, "years": release_years(), "months": range(1, 13),
        "areas": SubjectArea.choices, "topics": [c for c in SpecialTopic.choices if c[0] != SpecialTopic.NONE],
        "query": query.urlencode(), "staff_link": can_see_dashboard(request.user), "site": site,
    })


@require_safe
def column_detail(request, pk):
    try:
        release = release_public(pk)
    except Release.DoesNotExist:
        raise Http404("没有找到该条回应。") from None
    return render(request, "opinion/column_detail.html", {"release": release})
