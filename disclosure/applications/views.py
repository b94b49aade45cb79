"""Pages of 依申请公开: parse → call a service or selector → render or redirect (STYLE.md)."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from disclosure.models import Document
from tongchuan_portal.core.forms import apply_service_error
from django.core.paginator import Paginator

from tongchuan_portal.core import params
from tongchuan_portal.core.ratelimit import is_limited
from tongchuan_portal.units.models import Unit

from . import conf, documents, forms, permissions, selectors, services
from .models import Application, ReplyAttachment, Status

logger = logging.getLogger(__name__)
SESSION_KEY = "applications_access"


def paginate(request, queryset, *, per_page: int):
    return Paginator(queryset, per_page).get_page(params.page(request.GET))


def _too_many(request, what: str):
    return render(request, "applications/rate_limited.html", {"what": what}, status=429)


def _limited(request, group: str, rate: str) -> bool:
    return is_limited(request, group=f"applications:{group}", key="ip", rate=rate, method="POST")


# --- public: 申请须知, the form, 申请查询, the status page ---------------------------------------------------


@require_safe
def index(request):
    """依申请公开 — 申请须知 in plain words, and the ways to apply."""
    return render(request, "applications/index.html", {"tab": "index"})


@require_http_methods(["GET", "POST"])
def apply(request):
    initial = {}
    code = request.GET.get("unit", "")
    if code:
        unit = Unit.objects.filter(code=code[:40], is_active=True).first()
        if unit is not None:
            initial["unit"] = unit.pk
    form = forms.ApplicationForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST":
        if _limited(request, "apply-ip", conf.apply_rate_ip()):
            return _too_many(request, "申请")
        if form.is_valid():
            if form.is_spam():
                return redirect("applications:index")
            try:
                application, code = services.application_submit(
                    unit=form.cleaned_data["unit"], applicant=form.applicant(), request=form.request_fields(),
                    identity_proof=form.cleaned_data.get("identity_proof"), by=request.user)
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                request.session["applications_new"] = {"number": application.number, "code": code,
                                                       "unit": application.unit.name}
                _grant(request, application)
                return redirect("applications:submitted")
    return render(request, "applications/apply.html", {"form": form, "tab": "apply"},
                  status=400 if form.errors else 200)


@require_safe
def submitted(request):
    """The number and 查询码, shown once after the redirect."""
    info = request.session.pop("applications_new", None)
    if info is None:
        return redirect("applications:query")
    return render(request, "applications/submitted.html", {"info": info, "tab": "apply"})


def _grant(request, application: Application) -> None:
    allowed = set(request.session.get(SESSION_KEY, []))
    allowed.add(application.pk)
    request.session[SESSION_KEY] = sorted(allowed)[-20:]


def _granted(request, number: str) -> Application:
    try:
        application = Application.objects.only("pk").get(number=number)
    except Application.DoesNotExist:
        raise Http404("没有找到该申请。") from None
    if application.pk not in request.session.get(SESSION_KEY, []):
        raise Http404("没有找到该申请。")
    return selectors.status_page(application.pk)


@require_http_methods(["GET", "POST"])
def query(request):
    """申请查询: number + 查询码 → the status page. A wrong pair reveals nothing; repeated tries are limited."""
    form = forms.QueryForm(request.POST or None)
    if request.method == "POST":
        if _limited(request, "query-ip", conf.query_rate_ip()):
            return _too_many(request, "查询")
        if form.is_valid():
            application = selectors.lookup(form.cleaned_data["number"], form.cleaned_data["code"])
            if application is None:
                form.add_error(None, "申请编号或查询码不正确,请核对后重新输入。")
            else:
                _grant(request, application)
                return redirect("applications:status", number=application.number)
    return render(request, "applications/query.html", {"form": form, "tab": "query"},
                  status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def status(request, number):
    application = _granted(request, number)
    form = forms.CorrectionForm(request.POST or None) if application.status == Status.CORRECTION else None
    if request.method == "POST":
        if form is None:
            raise Http404("该申请当前不需要补正。")
        if _limited(request, "correct-ip", conf.apply_rate_ip()):
            return _too_many(request, "补正")
        if form.is_valid():
            try:
                services.correction_submit(application=application, text=form.cleaned_data["text"])
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, "补正已提交,答复期限自今日起重新计算。")
                return redirect("applications:status", number=number)
    return render(request, "applications/status.html", {
        "application": application, "form": form, "tab": "query",
        "clocks": documents.clocks_for(application),
    }, status=400 if form is not None and form.errors else 200)


@require_safe
def reply_letter(request, number):
    """答复告知书, printable (and as PDF with ?format=pdf), for the applicant who opened the status page."""
    application = _granted(request, number)
    return _letter(request, application)


def _letter(request, application: Application, *, full_name: bool = False):
    if application.status != Status.REPLIED:
        raise Http404("尚未答复。")
    context = documents.reply_context(application, full_name=full_name)
    if request.GET.get("format") == "pdf":
        pdf = documents.reply_pdf(context)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{application.number}-reply.pdf"'
        return response
    return render(request, "applications/reply_letter.html", context)


def _file(row: ReplyAttachment):
    response = FileResponse(row.file.open("rb"), as_attachment=True, filename=row.original_name,
                            content_type=row.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def reply_file(request, number, pk):
    application = _granted(request, number)
    if application.status != Status.REPLIED:
        raise Http404("尚未答复。")
    row = next((a for a in application.attachments.all() if a.pk == pk), None)
    if row is None:
        raise Http404("附件不存在。")
    return _file(row)


@require_safe
def blank_form(request):
    """申请表 for post and in-person use: a printable page (and PDF)."""
    context = {"carriers": forms.Carrier.choices, "deliveries": forms.Delivery.choices,
               "id_types": forms.IdType.choices, "kinds": forms.OrganisationKind.choices}
    if request.GET.get("format") == "pdf":
        response = HttpResponse(documents.render_pdf("applications/blank_form.html", context),
                                content_type="application/pdf")
        response["Content-Disposition"] = 'attachment; filename="application-form.pdf"'
        return response
    return render(request, "applications/blank_form.html", context)


# --- staff ---------------------------------------------------------------------------------------------------


def _staff(request):
    if not permissions.is_applications_staff(request.user):
        raise Http404("没有找到该页面。")


def _visible(request, pk) -> Application:
    try:
        return selectors.staff_detail(pk, request.user)
    except ObjectDoesNotExist:
        raise Http404("没有找到该申请。") from None


@login_required
@require_safe
def staff_queue(request):
    _staff(request)
    status = request.GET.get("status", "")
    status = status if status in Status.values else ""
    search = forms.StaffSearchForm(request.GET or None)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    page = paginate(request, selectors.queue(request.user, status=status, q=q), per_page=conf.PAGE_SIZE)
    for row in page:
        row.urgency = selectors.urgency(row)
    return render(request, "applications/staff/queue.html", {
        "page": page, "status": status, "search": search, "tabs": selectors.QUEUE_TABS,
        "query": {"status": status, "q": q},
        "counts": selectors.queue_counts(request.user), "can_supervise": permissions.can_supervise(request.user),
        "can_register": permissions.handled_by(request.user).exists() or _registrable_units(request.user).exists(),
    })


def _registrable_units(user):
    from tongchuan_portal.units.permissions import units_with_role

    return units_with_role(user, *permissions.HANDLER_ROLES)


@login_required
@require_safe
def supervision(request):
    if not permissions.can_supervise(request.user):
        raise Http404("没有找到该页面。")
    page = paginate(request, selectors.supervision(request.user), per_page=conf.PAGE_SIZE)
    for row in page:
        row.urgency = selectors.urgency(row)
    return render(request, "applications/staff/supervision.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def staff_register(request):
    units = _registrable_units(request.user)
    if not units.exists():
        raise Http404("没有找到该页面。")
    form = forms.RegisterForm(request.POST or None, request.FILES or None)
    form.fields["unit"] = forms.UnitChoiceField(label="受理单位", queryset=units, initial=units.first(),
                                                error_messages={"required": "请选择受理单位。"})
    form.order_fields(["unit", *form.field_order])
    if request.method == "POST" and form.is_valid():
        try:
            application, code = services.application_register(
                unit=form.cleaned_data["unit"], channel=form.cleaned_data["channel"],
                received_on=form.cleaned_data.get("received_on"), applicant=form.applicant(),
                request=form.request_fields(), identity_proof=form.cleaned_data.get("identity_proof"), by=request.user)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            request.session["applications_new"] = {"number": application.number, "code": code,
                                                   "unit": application.unit.name, "staff": True}
            messages.success(request, f"已登记申请 {application.number}。请将申请编号和查询码告知申请人。")
            return redirect("applications:staff_registered", pk=application.pk)
    return render(request, "applications/staff/register.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_safe
def staff_registered(request, pk):
    application = _visible(request, pk)
    info = request.session.pop("applications_new", None)
    if info is None or info.get("number") != application.number:
        return redirect("applications:staff_detail", pk=pk)
    return render(request, "applications/staff/registered.html", {"info": info, "application": application})


ACTIONS = {
    # name: (form class, service call, success message)
    "confirm": (None, lambda a, d, u: services.application_confirm(application=a, by=u), "已确认收到,接收回执已发出。"),
    "correction": (forms.CorrectionRequestForm,
                   lambda a, d, u: services.correction_request(application=a, by=u, **d), "补正告知书已发出。"),
    "correction_record": (forms.CorrectionRecordForm,
                          lambda a, d, u: services.correction_submit(application=a, by=u, **d), "已记录补正。"),
    "extend": (forms.ExtensionForm, lambda a, d, u: services.extension_approve(application=a, by=u, **d),
               "已批准延期,延期答复告知书已发出。"),
    "consult": (forms.ConsultationForm, lambda a, d, u: services.consultation_start(application=a, by=u, **d),
                "征求意见书已发出,答复期限暂停计时。"),
    "opinion": (forms.OpinionForm, lambda a, d, u: services.consultation_record_opinion(application=a, by=u, **d),
                "已记录第三方意见,答复期限恢复计时。"),
    "fee": (forms.FeeForm, lambda a, d, u: services.fee_notify(application=a, by=u, **d), "收费通知书已发出。"),
    "paid": (forms.PaidForm, lambda a, d, u: services.fee_record_paid(application=a, by=u, **d), "已记录缴费。"),
    "deliver": (forms.DeliverForm, lambda a, d, u: services.reply_deliver(application=a, by=u, **d), "已记录送达。"),
    "supervise": (forms.SuperviseForm, lambda a, d, u: services.application_supervise(application=a, by=u, **d),
                  "已督办,并通知办理单位。"),
}


def _reply_call(application, data, user):
    document = None
    if data.get("disclosed_document"):
        document = Document.objects.filter(pk=data["disclosed_document"]).first()
        if document is None:
            raise ValidationError({"disclosed_document": "没有找到该编号的文件。"})
    fields = {k: v for k, v in data.items() if k not in ("disclosed_document",)}
    return services.reply_submit(application=application, disclosed_document=document, by=user, **fields)


def _detail_forms(application, user, bound: dict | None = None) -> dict:
    from .services.replies import LEGAL_BASIS

    bound = bound or {}
    built = {name: (bound.get(name) or cls()) for name, (cls, _call, _msg) in ACTIONS.items() if cls}
    built["reply"] = bound.get("reply") or forms.ReplyForm(initial={
        "remedies": application.remedies or services.default_remedies(application.unit),
        "outcome": application.proposed_outcome, "reply_text": application.reply_text,
        "withheld": application.withheld, "legal_basis": application.legal_basis,
        "responsible_office": application.responsible_office,
        "responsible_contact": application.responsible_contact})
    built["transfer"] = bound.get("transfer") or forms.TransferForm(exclude=application.unit_id)
    built["legal_basis"] = {k: v for k, v in LEGAL_BASIS.items()}
    return built


@login_required
@require_http_methods(["GET", "POST"])
def staff_detail(request, pk):
    application = _visible(request, pk)
    full = permissions.can_see_personal_data(request.user, application)
    bound = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "reply":
                form = forms.ReplyForm(request.POST, request.FILES)
                bound["reply"] = form
                if form.is_valid():
                    done = _reply_call(application, form.cleaned_data, request.user)
                    messages.success(request, "答复已报送本单位保密审查,审查通过后发出。"
                                     if done.status != Status.REPLIED else "已答复,并告知申请人。")
                    return redirect("applications:staff_detail", pk=pk)
            elif action == "transfer":
                form = forms.TransferForm(request.POST, exclude=application.unit_id)
                bound["transfer"] = form
                if form.is_valid():
                    services.application_transfer(application=application, by=request.user, **form.cleaned_data)
                    messages.success(request, "已转交。")
                    if permissions.visible_to(request.user).filter(pk=pk).exists():
                        return redirect("applications:staff_detail", pk=pk)
                    return redirect("applications:queue")
            elif action in ACTIONS:
                cls, call, done = ACTIONS[action]
                form = cls(request.POST) if cls else None
                if form is not None:
                    bound[action] = form
                if form is None or form.is_valid():
                    call(application, form.cleaned_data if form is not None else {}, request.user)
                    messages.success(request, done)
                    return redirect("applications:staff_detail", pk=pk)
            else:
                raise Http404("没有该操作。")
        except PermissionDenied:
            raise Http404("没有找到该申请。") from None
        except ValidationError as error:
            if form is not None:
                apply_service_error(form, error)
            else:
                messages.error(request, ";".join(error.messages))
                return redirect("applications:staff_detail", pk=pk)
        application = _visible(request, pk)
    if full:
        services.personal_data_viewed(application=application, by=request.user)
    context = {
        "application": application, "full": full, "clocks": documents.clocks_for(application),
        "can_handle": permissions.can_handle(request.user, application),
        "can_extend": permissions.can_approve_extension(request.user, application),
        "can_supervise": permissions.can_supervise(request.user),
        "can_clear": permissions.can_clear_reply(request.user, application),
        "matched_public": documents.matched_public(application),
        **_detail_forms(application, request.user, bound),
    }
    return render(request, "applications/staff/detail.html", context, status=400 if bound else 200)


@login_required
@require_safe
def staff_letter(request, pk):
    application = _visible(request, pk)
    return _letter(request, application, full_name=permissions.can_see_personal_data(request.user, application))


@login_required
@require_safe
def staff_file(request, pk, file_pk):
    application = _visible(request, pk)
    row = next((a for a in application.attachments.all() if a.pk == file_pk), None)
    if row is None:
        raise Http404("附件不存在。")
    return _file(row)


@login_required
@require_safe
def staff_identity_proof(request, pk):
    application = _visible(request, pk)
    if not permissions.can_see_personal_data(request.user, application) or not application.identity_proof:
        raise Http404("没有身份证明。")
    services.personal_data_viewed(application=application, by=request.user)
    response = FileResponse(application.identity_proof.open("rb"), as_attachment=True,
                            filename=application.identity_proof_name or "identity")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def clear_reply(request, pk):
    """保密审查 of a reply (D7): the reviewer reads exactly what it discloses, then decides."""
    from tongchuan_portal.core.confidentiality import clearance_page

    try:
        application = permissions.replies_awaiting_clearance(request.user).select_related("unit").get(pk=pk)
    except Application.DoesNotExist:
        raise Http404("没有找到待您保密审查的该事项。") from None

    def decide(*, cleared, opinion):
        services.reply_clearance_decide(application=application, cleared=cleared, opinion=opinion, by=request.user)

    files = ", ".join(a.original_name for a in application.attachments.all()) or "无"
    return clearance_page(
        request, title=f"政府信息公开申请 {application.number} 的答复", kind="依申请公开答复",
        facts=[("办理单位", application.unit.name), ("申请内容", application.description[:200]),
               ("附件", files)],
        shown_text=services.shown_text(application), decide=decide, done="保密审查通过,答复已发出。",
        back_url=reverse("applications:staff_detail", args=[pk]))
