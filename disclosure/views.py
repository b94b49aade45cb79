"""Thin views: parse, call a service or selector, render or redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_POST

from tongchuan_portal.core import paging, params
from tongchuan_portal.core.forms import apply_service_error
from tongchuan_portal.units.models import Role, Unit
from tongchuan_portal.units.permissions import units_with_role

from . import clearance, permissions, selectors, services
from .files import CONTENT_TYPES
from .forms import ConfidentialityForm, DocumentForm, MeetingForm, ReasonForm, ReturnForm, SealDecisionForm
from .changes import changes_since_last_submission
from .integrations import confidentiality_sections, review_sections, staff_document_sections
from .models import Attachment, Document, SealReview, Status
from .text import body_is_rich, body_to_text


def _document(request, pk) -> Document:
    try:
        return selectors.document_for_staff(request.user, pk)
    except Document.DoesNotExist:
        raise Http404("公文不存在或您无权查看。") from None


def _errors(request, error: ValidationError) -> None:
    """Each message once; one that names where to do the work (params link, link_text) links there."""
    if hasattr(error, "error_dict"):
        for message in error.messages:
            messages.error(request, message)
        return
    for item in error.error_list:
        params = item.params if isinstance(item.params, dict) else {}
        if params.get("link"):
            messages.error(request, format_html('{} <a href="{}">{}</a>', item.message, params["link"],
                                                params.get("link_text") or "前往办理"))
        else:
            messages.error(request, next(iter(item)))


@login_required
def my_documents(request):
    status = request.GET.get("status", "")
    if status not in Status.values:
        status = ""
    page = paging.from_request(selectors.documents_for_user(request.user, status=status), request,
                               moment="updated_at", descending=True)
    return render(request, "disclosure/my_documents.html", {
        "documents": page.items, "page": page, "page_query": {"status": status}, "status": status,
        "statuses": Status.choices,
        "clerk_units": list(units_with_role(request.user, Role.Code.CLERK)),
    })


@login_required
def document_create(request):
    units = list(units_with_role(request.user, Role.Code.CLERK))
    if not units:
        raise PermissionDenied("您不是任何单位的经办人,不能起草公文。")
    issuer = next((u for u in units if str(u.pk) == request.POST.get("issuer", request.GET.get("unit", ""))), units[0])
    form = DocumentForm(request.POST or None, request.FILES or None, issuer=issuer)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_create(
                by=request.user, issuer=issuer, data=form.service_data(),
                number_text=form.cleaned_data["document_number"], co_issuers=form.cleaned_data["co_issuers"],
                files=form.cleaned_data["attachments"])
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, "草稿已保存。")
            return redirect("disclosure:staff_detail", document.pk)
    if request.method == "POST" and request.FILES and form.errors:
        messages.warning(request, "出于安全原因,浏览器不会保留已选择的附件,请在修正后重新选择。")
    return render(request, "disclosure/document_form.html", {"form": form, "issuer": issuer, "units": units})


@login_required
def document_edit(request, pk):
    document = _document(request, pk)
    if not permissions.can_edit(request.user, document):
        raise PermissionDenied("只有本单位经办人可以修改草稿或被退回的公文。")
    initial = {
        "title": document.title, "document_number": document.document_number or document.number_proposal,
        "kind": document.kind,
        "issued_in_name_of": document.issued_in_name_of, "area": document.area, "topic": document.topic,
        "written_on": document.written_on, "classification": document.classification,
        "issued_on": document.issued_on, "attribute": document.attribute, "legal_basis": document.legal_basis,
        "attribute_reason": document.attribute_reason, "body": body_to_text(document.body),
        "co_issuers": list(document.co_issuers.all()), "source": document.source, "web_editor": document.web_editor,
    }
    form = DocumentForm(request.POST or None, request.FILES or None, initial=initial, issuer=document.issuer)
    if body_is_rich(document.body):
        form.fields["body"].help_text = "本文含表格、列表或加粗等格式;在此修改保存后只保留段落。"
    if request.method == "POST" and form.is_valid():
        try:
            services.document_update(
                document=document, by=request.user, data=form.service_data(),
                number_text=form.cleaned_data["document_number"], co_issuers=form.cleaned_data["co_issuers"],
                files=form.cleaned_data["attachments"])
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, "修改已保存。")
            return redirect("disclosure:staff_detail", document.pk)
    return render(request, "disclosure/document_form.html", {"form": form, "document": document,
                                                             "issuer": document.issuer})


@login_required
def document_detail(request, pk):
    document = _document(request, pk)
    user = request.user
    return render(request, "disclosure/document_detail.html", {
        "document": document,
        "sealed_review": services.sealed_review_for(document),
        "can_edit": permissions.can_edit(user, document),
        "can_review": permissions.can_review_submission(user, document),
        "can_confidentiality": permissions.can_confidentiality_review(user, document),
        "can_withdraw": permissions.can_withdraw(user, document),
        "can_record_meeting": permissions.can_record_meeting_adoption(user, document),
        "staff_sections": staff_document_sections(document, user),
        "pending_seal": next((r for r in document.seal_reviews.all() if r.decision == SealReview.Decision.PENDING),
                             None),
        "history": document.history.select_related("history_user").order_by("-history_date")[:30],
        "meeting_form": MeetingForm(),
        "withdraw_form": ReasonForm(),
    })


@login_required
@require_POST
def request_seal_review(request, pk):
    document = _document(request, pk)
    try:
        services.seal_review_request(document=document, by=request.user)
        messages.success(request, "已送本单位政务公开工作机构审查。")
    except ValidationError as error:
        _errors(request, error)
    return redirect("disclosure:staff_detail", pk)


@login_required
@require_POST
def submit(request, pk):
    document = _document(request, pk)
    try:
        document = services.document_submit(document=document, by=request.user)
        target = "市政府办公室" if document.goes_to_city_office else "本单位负责人"
        messages.success(request, f"已报送{target}审核。")
    except ValidationError as error:
        _errors(request, error)
    return redirect("disclosure:staff_detail", pk)


@login_required
@require_http_methods(["GET", "POST"])
def attachment_delete(request, pk, attachment_pk):
    """删除附件 asks first: the GET (or a POST without `confirm`) shows what will be deleted."""
    document = _document(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, document=document)
    if not permissions.can_edit(request.user, document):
        raise PermissionDenied("只有本单位经办人可以删除草稿的附件。")
    if request.method == "GET" or request.POST.get("confirm") != "1":
        return render(request, "disclosure/attachment_delete.html", {"document": document, "attachment": attachment})
    services.attachment_remove(attachment=attachment, by=request.user)
    messages.success(request, f"已删除附件“{attachment.original_name}”。")
    return redirect("disclosure:staff_edit", pk)


@login_required
@require_POST
def withdraw(request, pk):
    document = _document(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "撤回必须说明理由。")
        return redirect("disclosure:staff_detail", pk)
    try:
        services.document_withdraw(document=document, reason=form.cleaned_data["reason"], by=request.user)
        messages.success(request, "已从公开页面撤回。")
    except ValidationError as error:
        _errors(request, error)
    return redirect("disclosure:staff_detail", pk)


@login_required
@require_POST
def record_meeting(request, pk):
    document = _document(request, pk)
    form = MeetingForm(request.POST)
    if form.is_valid():
        try:
            services.document_record_meeting_adoption(
                document=document, by=request.user, meeting=form.cleaned_data["meeting"],
                meeting_date=form.cleaned_data["meeting_date"], major_revisions=form.cleaned_data["major_revisions"],
                confirm_overdue=form.cleaned_data["confirm_overdue"])
            messages.success(request, "已登记会议审议情况,会后印发时限开始计时。")
        except ValidationError as error:
            _errors(request, error)
        except PermissionDenied as error:
            messages.error(request, str(error))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("disclosure:staff_detail", pk)


# --- review queues ---------------------------------------------------------------------------------


@login_required
def review_queue(request):
    page = paging.from_request(selectors.review_queue(request.user), request, moment="submitted_at")
    return render(request, "disclosure/review_queue.html", {"documents": page.items, "page": page,
                                                            "now": timezone.now()})


@login_required
def review(request, pk):
    document = _document(request, pk)
    if not permissions.can_review_submission(request.user, document):
        raise PermissionDenied("您无权审核该公文。")
    form = ReturnForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept":
                number = request.POST.get("document_number")
                services.document_accept(document=document, by=request.user,
                                         number_text=number[:40] if number is not None else None)
                messages.success(request, f"已审核通过《{document.title}》。")
                return redirect("disclosure:review_queue")
            if action == "return" and form.is_valid():
                services.document_return(document=document, by=request.user,
                                         reasons=[r.code for r in form.cleaned_data["reasons"]],
                                         note=form.cleaned_data["note"])
                messages.success(request, f"已退文《{document.title}》。")
                return redirect("disclosure:review_queue")
        except ValidationError as error:
            apply_service_error(form, error)
    return render(request, "disclosure/review.html", {
        "document": document, "form": form, "sealed_review": services.sealed_review_for(document),
        "number": (request.POST.get("document_number", "")[:40] if request.method == "POST"
                   else services.suggested_number(document)) if document.issued_in_city_name else "",
        "sections": review_sections(document),
        "returns": list(document.returns.all()),
        "changes": changes_since_last_submission(document),
    })


@login_required
def returns_report(request):
    if not permissions.is_city_office_staff(request.user):
        raise PermissionDenied("退文统计仅供市政府办公室查看。")
    year = params.year(request.GET)
    return render(request, "disclosure/returns_report.html", {"rows": selectors.returns_report(year=year),
                                                              "year": year})


@login_required
def seal_queue(request):
    page = paging.from_request(selectors.seal_review_queue(request.user), request, moment="requested_at")
    return render(request, "disclosure/seal_queue.html", {"reviews": page.items, "page": page, "now": timezone.now()})


def _seal_review(request, pk) -> SealReview:
    review = get_object_or_404(SealReview.objects.select_related("document", "document__issuer", "unit",
                                                                 "requested_by", "reviewer"), pk=pk)
    if not selectors.visible_to(request.user).filter(pk=review.document_id).exists():
        raise Http404("审查记录不存在或您无权查看。")
    return review


@login_required
def seal_decide(request, pk):
    review = _seal_review(request, pk)
    if not permissions.can_decide_seal_review(request.user, review):
        raise PermissionDenied("只有本单位政务公开工作机构可以审查。")
    form = SealDecisionForm(request.POST if request.method == "POST" else None)  # an empty POST is still a POST
    if request.method == "POST" and form.is_valid():
        try:
            services.seal_review_decide(review=review, agreed=form.cleaned_data["decision"] == "agreed",
                                        opinion=form.cleaned_data["opinion"], by=request.user)
            messages.success(request, "审查意见已加盖单位公章。")
            return redirect("disclosure:seal_print", review.pk)
        except ValidationError as error:
            apply_service_error(form, error)
    return render(request, "disclosure/seal_decide.html", {"review": review, "form": form})


@login_required
def seal_print(request, pk):
    """审查意见 with the unit seal, printable: it travels with the submission (D3)."""
    review = _seal_review(request, pk)
    return render(request, "disclosure/seal_print.html", {"review": review, "print_mode": True})


@login_required
def confidentiality_queue(request):
    """保密审查 — documents, and the sections other apps add (decision drafts, adoption reports, releases)."""
    page = paging.from_request(selectors.confidentiality_queue(request.user), request, moment="accepted_at")
    return render(request, "disclosure/confidentiality_queue.html", {
        "documents": page.items, "page": page, "now": timezone.now(),
        "sections": confidentiality_sections(request.user)})


@login_required
def confidentiality_review(request, pk):
    document = _document(request, pk)
    if not permissions.can_confidentiality_review(request.user, document):
        raise PermissionDenied("您无权对该公文进行保密审查。")
    form = ConfidentialityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.confidentiality_decide(
                document=document, by=request.user, cleared=form.cleaned_data["decision"] == "cleared",
                opinion=form.cleaned_data["opinion"], publish_at=form.cleaned_data["publish_at"],
                seen=request.POST.get("seen", "")[:64])
            messages.success(request, "保密审查已完成。" + ("公文已发布。" if document.status == Status.PUBLISHED else ""))
            return redirect("disclosure:confidentiality_queue")
        except ValidationError as error:
            apply_service_error(form, error)
    sections = clearance.sections_for(document)
    items = clearance.clearance_items(document, sections)
    return render(request, "disclosure/confidentiality_review.html", {
        "document": document, "form": form, "sections": sections, "items": items,
        "seen": clearance.combined_digest(items)})


# --- files and the public page ----------------------------------------------------------------------


def attachment_download(request, pk):
    """Public when its document is public; otherwise only for staff who may see the document."""
    attachment = get_object_or_404(Attachment.objects.select_related("document"), pk=pk)
    document = attachment.document
    if not permissions.is_public(document):
        if not request.user.is_authenticated or not permissions.visible_to(request.user).filter(
                pk=document.pk).exists():
            raise Http404("附件不存在。")
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
                            content_type=CONTENT_TYPES[attachment.file_type])
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def seal_image(request, pk):
    """A unit's seal image, only for staff who can see a review it sealed."""
    review = _seal_review(request, pk)
    if review.decision != SealReview.Decision.AGREED or not review.unit.seal_image:
        raise Http404("没有印章图样。")
    response = FileResponse(review.unit.seal_image.open("rb"), content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- D10 catalog and D12 self-check (the transparency office's workspace) ------------------------


def _office_unit(request, role_codes) -> tuple[Unit, list[Unit]]:
    units = list(units_with_role(request.user, *role_codes))
    if not units:
        raise PermissionDenied("您不是任何单位的政务公开工作机构人员。")
    chosen = request.GET.get("unit") or request.POST.get("unit")
    return next((u for u in units if str(u.pk) == chosen), units[0]), units


@login_required
def catalog_manage(request):
    from .forms import CatalogEntryForm

    unit, units = _office_unit(request, [Role.Code.TRANSPARENCY_OFFICE])
    form = CatalogEntryForm(request.POST or None, unit=unit)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "publish":
                services.catalog_publish(unit=unit, by=request.user)
                messages.success(request, "主动公开目录已公布。")
                return redirect(f"{request.path}?unit={unit.pk}")
            if form.is_valid():
                services.catalog_entry_save(unit=unit, by=request.user, data=form.cleaned_data,
                                            document_ids=[d.pk for d in form.cleaned_data["documents"]])
                messages.success(request, "目录条目已保存。")
                return redirect(f"{request.path}?unit={unit.pk}")
        except ValidationError as error:
            apply_service_error(form, error)
    catalog = selectors.catalog_for_office(unit)
    return render(request, "disclosure/catalog_manage.html", {"unit": unit, "units": units, "catalog": catalog,
                                                              "form": form})


@login_required
def self_check(request):
    from .models import SelfCheckItem

    unit, units = _office_unit(request, [Role.Code.TRANSPARENCY_OFFICE, Role.Code.UNIT_HEAD])
    check = selectors.latest_self_check(unit)
    if request.method == "POST" and check is not None:
        try:
            if request.POST.get("action") == "complete":
                services.self_check_complete(check=check, summary=request.POST.get("summary", ""), by=request.user)
                messages.success(request, "年度自查已完成,结果已在本单位目录页面公开。")
            else:
                item = get_object_or_404(SelfCheckItem, self_check=check,
                                         pk=params.ident(request.POST, "item", required=True, label="自查事项编号"))
                services.self_check_decide(item=item, decision=request.POST.get("decision", ""),
                                           reason=request.POST.get("reason", ""), by=request.user)
                messages.success(request, f"已对《{item.document.title}》作出自查结论。")
        except ValidationError as error:
            _errors(request, error)
        return redirect(f"{request.path}?unit={unit.pk}")
    from .hooks import repeated_requests

    return render(request, "disclosure/self_check.html", {
        "unit": unit, "units": units, "check": check, "decisions": SelfCheckItem.Decision.choices[1:],
        "repeated": repeated_requests(unit, check.year) if check is not None else [],
    })
