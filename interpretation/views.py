"""Thin views: parse, call a service or selector, render or redirect."""

from itertools import zip_longest

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from disclosure.models import Document
from tongchuan_portal.core import params
from tongchuan_portal.core.forms import apply_service_error
from tongchuan_portal.units.selectors import site_scope
from tongchuan_portal.units.models import Role
from tongchuan_portal.units.permissions import holds_role, units_with_role

from . import permissions, selectors, services
from .files import CONTENT_TYPES
from .forms import (
    ColumnFilterForm, ExpertForm, InterpretationPlanForm, MaterialForm, ReasonForm, ReprintForm, ReprintNoteForm,
)
from .models import Expert, Interpretation, MaterialKind, Reprint

PAGE_SIZE = 20
FIRST_YEAR = 2016  # 铜政办发〔2016〕71号, the oldest item the portal carries


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _document(request, pk) -> Document:
    try:
        return selectors.document_for_staff(request.user, pk)
    except Document.DoesNotExist:
        raise Http404("公文不存在或您无权查看。") from None


def _plan(request, document: Document):
    plan = getattr(document, "interpretation_plan", None)
    if plan is None:
        raise Http404("该公文尚无解读方案。")
    return plan


def _material(document: Document, pk) -> Interpretation:
    for material in document.interpretations.all():
        if material.pk == pk:
            return material
    raise Http404("解读材料不存在。")


# --- public ---------------------------------------------------------------------------------------------


def column(request):
    """政策解读 column: by form, unit and year; works without JavaScript."""
    years = range(timezone.localdate().year, FIRST_YEAR - 1, -1)
    form = ColumnFilterForm(request.GET or None, units=selectors.column_units(), years=years)
    form.is_valid()
    filters = getattr(form, "cleaned_data", {})  # whatever was valid; bad input is ignored
    site, units = site_scope(request.GET)
    qs = selectors.column(kind=filters.get("kind") or "", unit_id=filters.get("unit"), year=filters.get("year"),
                          query=(filters.get("q") or "").strip(), units=units)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "interpretation/column.html", {
        "form": form, "page": page, "interpretations": list(page.object_list), "query": query.urlencode(),
        "kinds": MaterialKind.choices, "current_kind": filters.get("kind") or "", "site": site,
    })


def detail(request, pk):
    try:
        interpretation = selectors.interpretation_public(pk)
    except Interpretation.DoesNotExist:
        raise Http404("该解读不存在或已撤回。") from None
    return render(request, "interpretation/detail.html", {
        "interpretation": interpretation, "document": interpretation.document,
        "siblings": selectors.siblings_public(interpretation),
    })


def image(request, pk):
    """A graphic: public with its interpretation; otherwise only for staff who may see it."""
    material = Interpretation.objects.filter(pk=pk).exclude(image="").first()
    if material is None:
        raise Http404("图片不存在。")
    if not selectors.is_public(material):
        if not permissions.visible_to(request.user).filter(pk=material.pk).exists():
            raise Http404("图片不存在。")
    response = FileResponse(material.image.open("rb"), content_type=CONTENT_TYPES[material.image_type])
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def reprints(request):
    page = Paginator(selectors.reprints_public(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "interpretation/reprints.html", {"page": page, "reprints": list(page.object_list)})


def reprint(request, pk):
    try:
        item = selectors.reprint_public(pk)
    except Reprint.DoesNotExist:
        raise Http404("该转载不存在或已撤回。") from None
    return render(request, "interpretation/reprint.html", {"reprint": item})


def experts(request):
    return render(request, "interpretation/experts.html", {"experts": list(selectors.experts_public())})


# --- staff: documents, plans, materials ---------------------------------------------------------------------


@login_required
def work(request):
    user = request.user
    return render(request, "interpretation/work.html", {
        "documents": list(selectors.documents_for_user(user)[:200]),
        "plans_to_approve": list(selectors.plans_awaiting_approval(user)[:200]),
        "follow_ups": list(selectors.follow_ups_awaiting_release(user)[:200]),
        "is_clerk": holds_role(user, Role.Code.CLERK),
    })


@login_required
def document(request, pk):
    doc = _document(request, pk)
    user = request.user
    plan = getattr(doc, "interpretation_plan", None)
    materials = list(doc.interpretations.all())
    return render(request, "interpretation/document.html", {
        "document": doc, "plan": plan, "materials": materials,
        "problems": services.readiness_problems(doc) if services.needs_interpretation(doc) else [],
        "needs_interpretation": services.needs_interpretation(doc),
        "can_create_plan": permissions.can_create_plan(user, doc),
        "can_edit_plan": plan is not None and plan.status == "draft" and permissions.can_edit_plan(user, plan),
        "can_approve_plan": plan is not None and permissions.can_approve_plan(user, plan),
        "can_reopen_plan": plan is not None and permissions.can_reopen_plan(user, plan),
        "can_contribute": plan is not None and permissions.can_contribute(user, plan),
        "editable": {m.pk for m in materials if permissions.can_edit_material(user, m)},
        "approvable": {m.pk for m in materials if permissions.can_approve_material(user, m)},
        "withdrawable": {m.pk for m in materials if permissions.can_withdraw(user, m)},
        "can_publish_follow_up": plan is not None and any(m.status == "approved" for m in materials)
        and permissions.can_publish_follow_up(user, doc),
        "document_public": _document_public(doc),
        "kinds": MaterialKind.choices,
        "history": plan.history.select_related("history_user").order_by("-history_date")[:20] if plan else [],
    })


def _document_public(doc: Document) -> bool:
    from disclosure.permissions import is_public

    return is_public(doc)


@login_required
def plan_edit(request, pk):
    doc = _document(request, pk)
    plan = getattr(doc, "interpretation_plan", None)
    if plan is None and not permissions.can_create_plan(request.user, doc):
        raise PermissionDenied("只有公文起草单位的经办人可以编制解读方案。")
    if plan is not None and not permissions.can_edit_plan(request.user, plan):
        raise PermissionDenied("只有公文起草单位的经办人可以修改解读方案。")
    initial = {} if plan is None else {f: getattr(plan, f) for f in services.PLAN_FIELDS}
    form = InterpretationPlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if plan is None:
                services.plan_create(document=doc, by=request.user, data=form.cleaned_data)
            else:
                services.plan_update(plan=plan, by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, "解读方案已保存。")
            return redirect("interpretation:document", doc.pk)
    return render(request, "interpretation/plan_form.html", {"form": form, "document": doc, "plan": plan})


@login_required
@require_POST
def plan_approve(request, pk):
    doc = _document(request, pk)
    try:
        services.plan_approve(plan=_plan(request, doc), by=request.user)
        messages.success(request, "已审定解读方案和解读材料。")
    except ValidationError as error:
        _errors(request, error)
    return redirect("interpretation:document", doc.pk)


@login_required
@require_POST
def plan_request_approval(request, pk):
    """报负责人审定 — the head is told through the inbox and the 工作台."""
    doc = _document(request, pk)
    try:
        services.plan_request_approval(plan=_plan(request, doc), by=request.user)
        messages.success(request, "已报请单位主要负责人审定,负责人将收到通知。")
    except ValidationError as error:
        _errors(request, error)
    return redirect("interpretation:document", doc.pk)


@login_required
@require_POST
def plan_reopen(request, pk):
    doc = _document(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "撤回审定必须说明理由。")
        return redirect("interpretation:document", doc.pk)
    try:
        services.plan_reopen(plan=_plan(request, doc), by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, "已撤回审定,可以修改解读方案和材料。")
    except ValidationError as error:
        _errors(request, error)
    return redirect("interpretation:document", doc.pk)


def _pairs(request) -> list[tuple[str, str]]:
    """The Q&A rows as posted; a question without its answer (or the reverse) is kept for the service to refuse."""
    return list(zip_longest(params.texts(request.POST, "question"), params.texts(request.POST, "answer"), fillvalue=""))


def _pair_rows(pairs) -> list[tuple[int, str, str]]:
    rows = list(pairs) + [("", "")] * 2
    while len(rows) < 3:
        rows.append(("", ""))
    return [(i, q, a) for i, (q, a) in enumerate(rows, start=1)]


@login_required
def material_new(request, pk):
    doc = _document(request, pk)
    plan = _plan(request, doc)
    if not permissions.can_contribute(request.user, plan):
        raise PermissionDenied("只有起草单位或联合发文单位的经办人可以提供解读材料。")
    kind = request.POST.get("kind") or request.GET.get("kind", "")
    if kind not in MaterialKind.values:
        return render(request, "interpretation/material_kind.html", {"document": doc, "plan": plan,
                                                                    "kinds": MaterialKind.choices})
    form = MaterialForm(request.POST or None, request.FILES or None, kind=kind)
    pairs = _pairs(request) if request.method == "POST" else []
    if request.method == "POST" and form.is_valid():
        try:
            material = services.material_create(plan=plan, by=request.user, data=form.service_data(),
                                                qa_pairs=pairs, image=form.cleaned_data.get("image"))
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, f"已保存解读材料“{material.title}”。")
            return redirect("interpretation:document", doc.pk)
    return render(request, "interpretation/material_form.html", {
        "form": form, "document": doc, "kind": MaterialKind(kind), "pair_rows": _pair_rows(pairs),
        "had_file": request.method == "POST" and bool(request.FILES)})


@login_required
def material_edit(request, pk, material_pk):
    doc = _document(request, pk)
    material = _material(doc, material_pk)
    if not permissions.can_edit_material(request.user, material):
        raise PermissionDenied("您不能修改该解读材料。")
    initial = {f: getattr(material, f) for f in services.MATERIAL_FIELDS if f != "kind"}
    form = MaterialForm(request.POST or None, request.FILES or None, kind=material.kind, initial=initial)
    pairs = _pairs(request) if request.method == "POST" else [(p.question, p.answer) for p in material.qa_pairs.all()]
    if request.method == "POST" and form.is_valid():
        try:
            services.material_update(interpretation=material, by=request.user, data=form.service_data(),
                                     qa_pairs=pairs if material.kind == MaterialKind.QA else None,
                                     image=form.cleaned_data.get("image"))
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, "解读材料已保存。")
            return redirect("interpretation:document", doc.pk)
    return render(request, "interpretation/material_form.html", {
        "form": form, "document": doc, "material": material, "kind": MaterialKind(material.kind),
        "pair_rows": _pair_rows(pairs), "had_file": request.method == "POST" and bool(request.FILES)})


@login_required
@require_POST
def material_approve(request, pk, material_pk):
    doc = _document(request, pk)
    try:
        services.material_approve(interpretation=_material(doc, material_pk), by=request.user)
        messages.success(request, "已审定解读材料。")
    except ValidationError as error:
        _errors(request, error)
    return redirect("interpretation:document", doc.pk)


@login_required
@require_POST
def material_delete(request, pk, material_pk):
    doc = _document(request, pk)
    material = _material(doc, material_pk)
    services.material_delete(interpretation=material, by=request.user)
    messages.success(request, f"已删除解读材料“{material.title}”。")
    return redirect("interpretation:document", doc.pk)


@login_required
@require_POST
def material_withdraw(request, pk, material_pk):
    doc = _document(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "撤回必须说明理由。")
        return redirect("interpretation:document", doc.pk)
    try:
        services.interpretation_withdraw(interpretation=_material(doc, material_pk), by=request.user,
                                         reason=form.cleaned_data["reason"])
        messages.success(request, "已撤回该解读。")
    except ValidationError as error:
        _errors(request, error)
    return redirect("interpretation:document", doc.pk)


@login_required
@require_POST
def follow_up_publish(request, pk):
    doc = _document(request, pk)
    try:
        released = services.follow_up_publish(document=doc, by=request.user)
        messages.success(request, f"已发布{len(released)}篇解读材料。")
    except ValidationError as error:
        _errors(request, error)
    return redirect("interpretation:document", doc.pk)


# --- staff: experts and reprints ----------------------------------------------------------------------------


@login_required
def staff_experts(request):
    if not permissions.can_manage_experts(request.user):
        raise PermissionDenied("只有各单位经办人或负责人可以管理解读专家库。")
    units = list(units_with_role(request.user, Role.Code.CLERK, Role.Code.UNIT_HEAD))
    form = ExpertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.expert_create(by=request.user, unit=units[0], data=form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, f"已登记专家{form.cleaned_data['name']}。")
            return redirect("interpretation:staff_experts")
    return render(request, "interpretation/staff_experts.html", {
        "form": form, "experts": list(selectors.experts_for_staff()), "my_units": {u.pk for u in units}})


@login_required
def staff_expert(request, pk):
    expert = Expert.objects.select_related("unit").filter(pk=pk).first()
    if expert is None or not units_with_role(request.user, Role.Code.CLERK, Role.Code.UNIT_HEAD).filter(
            pk=expert.unit_id).exists():
        raise Http404("专家不存在或不由本单位登记。")
    initial = {k: getattr(expert, k) for k in ("name", "title", "affiliation", "sector", "specialties", "is_active")}
    form = ExpertForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.expert_update(expert=expert, by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, "专家信息已保存。")
            return redirect("interpretation:staff_experts")
    return render(request, "interpretation/staff_expert.html", {"form": form, "expert": expert})


@login_required
def staff_reprints(request):
    units = list(units_with_role(request.user, Role.Code.CLERK))
    return render(request, "interpretation/staff_reprints.html", {
        "reprints": list(selectors.reprints_for_user(request.user)[:200]), "can_file": bool(units)})


@login_required
def reprint_new(request):
    units = list(units_with_role(request.user, Role.Code.CLERK))
    if not units:
        raise PermissionDenied("只有经办人可以转载政策文件。")
    form = ReprintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.reprint_create(by=request.user, unit=units[0], data=form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, "转载已保存,待本单位保密审查后发布。")
            return redirect("interpretation:staff_reprint", item.pk)
    return render(request, "interpretation/reprint_form.html", {"form": form})


@login_required
def staff_reprint(request, pk):
    try:
        item = selectors.reprint_for_staff(request.user, pk)
    except Reprint.DoesNotExist:
        raise Http404("转载不存在或您无权查看。") from None
    user = request.user
    form = ReprintForm(request.POST or None, initial={k: getattr(item, k) for k in services.REPRINT_FIELDS}) \
        if permissions.can_edit_reprint(user, item) else None
    note_form = ReprintNoteForm(request.POST if request.POST.get("action") == "note" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "save" and form is not None and form.is_valid():
                services.reprint_update(reprint=item, by=user, data=form.cleaned_data)
                messages.success(request, "转载已保存。")
                return redirect("interpretation:staff_reprint", item.pk)
            if action == "publish":
                services.reprint_publish(reprint=item, by=user)
                messages.success(request, "保密审查通过,转载已发布。")
                return redirect("interpretation:staff_reprint", item.pk)
            if action == "withdraw":
                services.reprint_withdraw(reprint=item, by=user, reason=request.POST.get("reason", ""))
                messages.success(request, "转载已撤回。")
                return redirect("interpretation:staff_reprint", item.pk)
            if action == "note" and note_form.is_valid():
                services.reprint_note_add(reprint=item, by=user, noted_on=note_form.cleaned_data["noted_on"],
                                          body=note_form.cleaned_data["body"])
                messages.success(request, "已填报贯彻落实情况。")
                return redirect("interpretation:staff_reprint", item.pk)
        except ValidationError as error:
            target = note_form if action == "note" else form
            if target is not None:
                apply_service_error(target, error)
            else:
                _errors(request, error)
    return render(request, "interpretation/staff_reprint.html", {
        "reprint": item, "form": form, "note_form": note_form,
        "can_publish": permissions.can_publish_reprint(user, item),
        "can_note": permissions.can_note_reprint(user, item),
        "can_withdraw": permissions.can_withdraw_reprint(user, item),
    })
