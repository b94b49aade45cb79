"""Pages of 公众参与: parse → call a service or selector → render or redirect."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tongchuan_portal.clock import workdays
from tongchuan_portal.core import params
from tongchuan_portal.core.confidentiality import last_refusal
from tongchuan_portal.core.forms import apply_service_error
from tongchuan_portal.core.ratelimit import is_limited
from tongchuan_portal.units.permissions import units_with_role

from . import conf, forms, permissions, selectors, services
from .models import Area, Channel, CommentStatus, MeetingStatus, MessageStatus, OpinionGroup, Registration

logger = logging.getLogger(__name__)


# --- helpers -------------------------------------------------------------------------------------


def _filters(request) -> dict:
    return {"area": params.choice(request.GET, "area", Area), "unit": params.ident(request.GET, "unit")}


def _filter_context(request) -> dict:
    chosen = _filters(request)
    return {"areas": Area.choices, "filter_units": selectors.units_for_filter(), "chosen": chosen}


def _rate_limited(request, group: str, key, rate: str) -> bool:
    """Count this POST against the limit: in the shared cache, or in the database while it is down.

    A Redis outage neither silences the public nor switches the limits off
    (core/ratelimit.py).
    """
    return is_limited(request, group=f"participation:{group}", key=key, rate=rate, method="POST")


def _too_many(request, what: str):
    """HTTP 429 with a clear refusal in Chinese — never a 500."""
    return render(request, "participation/rate_limited.html", {"what": what}, status=429)


def _normalized_contact(value: str) -> str:
    return "".join((value or "").lower().split())


def working_days_left(period, now=None) -> int:
    """Counted working days still to run, by the official calendar.

    Today counts while it lasts, except on the opening day, which the window
    itself does not count (CLOCK7): a 7-day window shows 7 on its first day.
    """
    now = now or timezone.now()
    today, last = workdays.beijing_date(now), workdays.beijing_date(period.closes_at)
    if today > last:
        return 0
    counted_today = workdays.is_working_day(today) and today > workdays.beijing_date(period.opens_at)
    return workdays.working_days_between(today, last) + (1 if counted_today else 0)


def _get_or_404(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except ObjectDoesNotExist:
        raise Http404 from None


# --- 意见征集 (public) ----------------------------------------------------------------------------


@require_safe
def drafts(request):
    f = _filters(request)
    now = timezone.now()
    open_, closed = selectors.draft_list_public(area=f["area"], unit=f["unit"], now=now)
    for draft in open_:
        draft.days_left = working_days_left(draft.period, now)
    return render(request, "participation/drafts.html",
                  {"open_drafts": open_, "closed_drafts": closed, "tab": "drafts", **_filter_context(request)})


def _draft_page(request, draft, form=None, status=200):
    period = draft.period
    context = {"draft": draft, "period": period, "form": form or forms.CommentForm(), "tab": "drafts"}
    if period is not None:
        context["comments"] = list(selectors.comments_public(period))
        context["open"] = period.is_open_now
        context["days_left"] = working_days_left(period) if context["open"] else 0
        if period.report_published:
            context["groups"] = selectors.groups_with_counts(period)
    return render(request, "participation/draft_detail.html", context, status=status)


@require_safe
def draft_detail(request, pk):
    return _draft_page(request, _get_or_404(selectors.draft_get_public, pk))


@require_POST
def comment_submit(request, pk):
    draft = _get_or_404(selectors.draft_get_public, pk)
    if draft.period is None:
        raise Http404
    if _rate_limited(request, "comment-ip", "ip", conf.comment_rate_ip()):
        return _too_many(request, "意见")
    form = forms.CommentForm(request.POST)
    if form.is_valid():
        contact = _normalized_contact(form.cleaned_data["contact"])
        if contact and _rate_limited(request, "comment-contact", lambda group, req: contact,
                                     conf.comment_rate_contact()):
            return _too_many(request, "意见")
        if not form.is_spam():
            try:
                services.comment_submit(
                    period=draft.period, body=form.cleaned_data["body"], section=form.cleaned_data["section"],
                    display_name=form.cleaned_data["display_name"], contact=form.cleaned_data["contact"],
                    user=request.user)
            except ValidationError as exc:
                apply_service_error(form, exc)
                return _draft_page(request, draft, form, status=400)
        messages.success(request, "您的意见已提交,经审核后公开显示。感谢您的参与!")
        return redirect(reverse("participation:draft_detail", args=[pk]) + "#comments")
    return _draft_page(request, draft, form, status=400)


# --- 会议与活动 (public) --------------------------------------------------------------------------------


@require_safe
def meetings(request):
    f = _filters(request)
    events = {"events": True, "meetings": False}.get(request.GET.get("type", ""))
    upcoming, past = selectors.meeting_list_public(area=f["area"], unit=f["unit"], events=events)
    return render(request, "participation/meetings.html",
                  {"upcoming": upcoming, "past": past, "tab": "meetings", "type": request.GET.get("type", ""),
                   "extra_hidden": [("type", request.GET["type"])] if events is not None else [],
                   **_filter_context(request)})


def _meeting_page(request, meeting, form=None, status=200):
    now = timezone.now()
    can_register = (meeting.status == MeetingStatus.ANNOUNCED and meeting.attendance_quota > 0
                    and meeting.starts_at > now and meeting.taken < meeting.attendance_quota)
    return render(request, "participation/meeting_detail.html", {
        "meeting": meeting, "topics": list(meeting.topics.all()), "can_register": can_register,
        "places_left": max(meeting.attendance_quota - meeting.taken, 0), "tab": "meetings",
        "form": form or forms.RegistrationForm(),
    }, status=status)


@require_safe
def meeting_detail(request, pk):
    return _meeting_page(request, _get_or_404(selectors.meeting_get_public, pk))


@require_POST
def meeting_register(request, pk):
    meeting = _get_or_404(selectors.meeting_get_public, pk)
    if _rate_limited(request, "register-ip", "ip", conf.message_rate_ip()):
        return _too_many(request, "报名")
    form = forms.RegistrationForm(request.POST)
    if form.is_valid():
        if form.is_spam():
            return redirect("participation:meeting_detail", pk=pk)
        data = {k: v for k, v in form.cleaned_data.items() if k != "website"}
        try:
            _, code = services.registration_submit(meeting=meeting, user=request.user, **data)
        except ValidationError as exc:
            apply_service_error(form, exc)
        else:
            request.session["participation_new_code"] = {"code": code, "kind": "registration", "title": meeting.title}
            return redirect("participation:submitted")
    return _meeting_page(request, meeting, form, status=400)


@require_http_methods(["GET", "POST"])
def registration_query(request):
    form = forms.QueryForm(request.POST or None)
    registration = None
    if request.method == "POST":
        if _rate_limited(request, "query-ip", "ip", conf.query_rate_ip()):
            return _too_many(request, "查询")
        if form.is_valid():
            registration = selectors.registration_lookup(form.cleaned_data["code"])
            if registration is None:
                form.add_error("code", "没有找到与该查询码对应的报名,请核对后重新输入。")
    return render(request, "participation/registration_query.html",
                  {"form": form, "registration": registration, "tab": "meetings"})


# --- 留言 (public) ----------------------------------------------------------------------------------


@require_safe
def message_list(request):
    f = _filters(request)
    channel = request.GET.get("channel", "")
    channel = channel if channel in Channel.values else ""
    rows = selectors.message_list_public(area=f["area"], unit=f["unit"], channel=channel)
    return render(request, "participation/messages.html", {
        "messages_list": rows, "channel": channel, "channels": Channel.choices, "tab": "messages",
        "extra_hidden": [("channel", channel)] if channel else [],
        **_filter_context(request)})


@require_safe
def message_detail(request, pk):
    return render(request, "participation/message_detail.html",
                  {"message": _get_or_404(selectors.message_get_public, pk), "tab": "messages"})


@require_http_methods(["GET", "POST"])
def message_write(request):
    initial_channel = request.GET.get("channel", Channel.NETIZEN)
    form = forms.MessageForm(request.POST or None, initial={
        "channel": initial_channel if initial_channel in Channel.values else Channel.NETIZEN})
    if request.method == "POST":
        if _rate_limited(request, "message-ip", "ip", conf.message_rate_ip()):
            return _too_many(request, "留言")
        if form.is_valid():
            if form.is_spam():
                return redirect("participation:messages")
            data = {k: v for k, v in form.cleaned_data.items() if k != "website"}
            try:
                message, code = services.message_submit(user=request.user, **data)
            except ValidationError as exc:
                apply_service_error(form, exc)
            else:
                request.session["participation_new_code"] = {
                    "code": code, "kind": "message", "title": message.title, "unit": message.unit.name,
                    "channel": message.get_channel_display()}
                return redirect("participation:submitted")
    return render(request, "participation/message_write.html", {"form": form, "tab": "write"},
                  status=400 if form.errors else 200)


@require_safe
def submitted(request):
    """Shows a new query code once, after the redirect (so a reload does not resubmit)."""
    info = request.session.pop("participation_new_code", None)
    if info is None:
        return redirect("participation:message_query")
    return render(request, "participation/submitted.html", {"info": info, "tab": "write"})


@require_http_methods(["GET", "POST"])
def message_query(request):
    form = forms.QueryForm(request.POST or None)
    message = None
    deadline = None
    if request.method == "POST":
        if _rate_limited(request, "query-ip", "ip", conf.query_rate_ip()):
            return _too_many(request, "查询")
        if form.is_valid():
            message = selectors.message_lookup(form.cleaned_data["code"])
            if message is None:
                form.add_error("code", "没有找到与该查询码对应的留言,请核对后重新输入。")
            else:
                deadline = next((d for d in reversed(selectors.deadlines_of(message)) if d.state != "cancelled"), None)
    return render(request, "participation/message_query.html",
                  {"form": form, "message": message, "deadline": deadline, "tab": "query"})


# --- 第三方评估 (public) --------------------------------------------------------------------------------


@require_safe
def evaluations(request):
    f = _filters(request)
    return render(request, "participation/evaluations.html", {
        "evaluations": selectors.evaluation_list_public(area=f["area"], unit=f["unit"]), "tab": "evaluations",
        **_filter_context(request)})


@require_safe
def evaluation_detail(request, pk):
    from .models import Evaluation

    evaluation = _get_or_404(Evaluation.objects.filter(published_at__isnull=False).select_related("unit").get, pk=pk)
    return render(request, "participation/evaluation_detail.html", {"evaluation": evaluation, "tab": "evaluations"})


# --- staff ----------------------------------------------------------------------------------------------


def _staff_units(user):
    return units_with_role(user, *permissions.STAFF_ROLES).order_by("sort_order", "code")


def _require_staff(request):
    if not permissions.is_participation_staff(request.user):
        raise PermissionDenied("您不是公众参与工作人员。")


@login_required
@require_safe
def staff_home(request):
    _require_staff(request)
    return render(request, "participation/staff/home.html", {
        "drafts": list(selectors.draft_list_for_user(request.user)[:100]),
        "meetings": list(selectors.meeting_list_for_user(request.user)[:100]),
        "evaluations": list(selectors.evaluation_list_for_user(request.user)[:50]),
        "open_messages": selectors.messages_open_count(request.user),
        "flagged": selectors.messages_unanswered_for_months(
            visible=permissions.message_visible_to(request.user)).count(),
        "now": timezone.now(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def staff_draft_new(request):
    _require_staff(request)
    units = _staff_units(request.user)
    form = forms.DraftForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.draft_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, "草案已保存。")
            return redirect("participation:staff_draft", pk=draft.pk)
    return render(request, "participation/staff/draft_form.html", {"form": form},
                  status=400 if form.errors else 200)


DRAFT_ACTIONS = ("publish", "exempt", "decide", "show", "hide", "group", "assign", "group_decide", "report", "edit",
                 "link")


@login_required
@require_http_methods(["GET", "POST"])
def staff_draft(request, pk):
    draft = _get_or_404(selectors.draft_get_for_user, request.user, pk)
    bound = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in DRAFT_ACTIONS:
            raise Http404
        form, ok = _draft_action(request, draft, action)
        anchor = "comments" if action in ("show", "hide", "assign") else action
        if ok:
            return redirect(reverse("participation:staff_draft", args=[pk]) + f"#{anchor}")
        bound["comments" if anchor == "comments" else action] = form
    period = draft.period
    status_filter = request.GET.get("status", "")
    context = {
        "draft": draft, "period": period, "bound": bound,
        "publish_form": bound.get("publish") or forms.PublishForm(),
        "exempt_form": bound.get("exempt") or forms.ReasonForm(),
        "decide_form": bound.get("decide") or forms.DecideForm(),
        "group_form": bound.get("group") or forms.GroupForm(),
        "report_form": bound.get("report") or forms.ReportForm(initial={"summary": period.report_summary if period else ""}),
        "edit_form": bound.get("edit") or forms.DraftForm(units=_staff_units(request.user), initial={
            "unit": draft.unit_id, "title": draft.title, "area": draft.area, "text": draft.text, "basis": draft.basis,
            "deciding_meeting_kind": draft.deciding_meeting_kind}),
        "link_form": bound.get("link") or forms.DocumentLinkForm(draft=draft),
        "executive_adoption": selectors.draft_executive_adoption(draft),
        "comments_form": bound.get("comments"), "group_decide_form": bound.get("group_decide"),
        "group_decide_id": request.POST.get("group") if "group_decide" in bound else "",
        "can_decide": permissions.can_decide_draft(request.user, draft),
        "statuses": CommentStatus.choices, "status_filter": status_filter,
        "threshold": conf.concentrated_threshold(),
    }
    if period is not None:
        context["comments"] = list(selectors.comments_for_staff(period, status_filter))
        context["groups"] = selectors.groups_with_counts(period)
        context["ended"] = timezone.now() > period.closes_at
        context["deadlines"] = selectors.deadlines_of(period)
    # D7: a refusal's opinion goes back to the drafting unit on this page.
    context["draft_refusal"] = last_refusal(draft)
    context["report_refusal"] = last_refusal(period) if period is not None else None
    previewed = list(bound) == ["publish"] and getattr(bound["publish"], "window", None) is not None
    return render(request, "participation/staff/draft.html", context, status=400 if bound and not previewed else 200)


def _draft_action(request, draft, action):
    """One POST action on the staff draft page; returns (form, succeeded)."""
    post, by, period = request.POST, request.user, draft.period
    form_class = {"publish": forms.PublishForm, "exempt": forms.ReasonForm, "decide": forms.DecideForm,
                  "group": forms.GroupForm, "group_decide": forms.GroupDecisionForm, "report": forms.ReportForm,
                  "show": forms.ActionForm, "hide": forms.ActionForm, "assign": forms.ActionForm}.get(action)
    # Moderation and grouping take their inputs from checkboxes; the service checks them.
    if action == "edit":
        form = forms.DraftForm(post, units=_staff_units(by))
    elif action == "link":
        form = forms.DocumentLinkForm(post, draft=draft)
    elif action == "publish":
        form = forms.PublishForm(post, preview="preview" in post)
        if form.preview:  # 预览截止时间: compute and show, write nothing
            if form.is_valid():
                form.window = selectors.comment_window_preview(working_days=form.cleaned_data["working_days"],
                                                               opens_at=form.cleaned_data["opens_at"])
            return form, False
    else:
        form = form_class(post)
    if not form.is_valid():
        return form, False
    data = getattr(form, "cleaned_data", {})
    ids = params.ids(post, "comment", label="意见编号")
    try:
        if action == "edit":
            services.draft_update(draft=draft, by=by, **{k: v for k, v in data.items() if k != "unit"})
        elif action == "publish":
            services.draft_publish(draft=draft, working_days=data["working_days"], opens_at=data["opens_at"], by=by)
            messages.success(request, "草案已报送保密审查;审查通过后公布,征求意见期自公布时起算。")
        elif action == "exempt":
            services.draft_exempt(draft=draft, reason=data["reason"], by=by)
        elif action == "decide":
            services.draft_mark_decided(draft=draft, note=data["note"], by=by)
        elif action == "link":
            services.draft_link_document(draft=draft, document=data["document"], by=by)
            messages.success(request, "已保存形成的公文。")
        elif period is None:
            raise ValidationError("草案尚未征求意见。")
        elif action in ("show", "hide"):
            n = services.comments_moderate(period=period, comment_ids=ids, show=action == "show",
                                           reason=post.get("reason", ""), by=by)
            messages.success(request, f"已处理{n}条意见。")
        elif action == "group":
            services.opinion_group_create(period=period, title=data["title"], by=by)
        elif action == "assign":
            gid = post.get("group", "")
            if gid != "none" and params.parse_int(gid, min_value=1, max_value=params.MAX_ID) is None:
                raise ValidationError("请选择要归入的意见归类。")
            group = None if gid == "none" else _get_or_404(OpinionGroup.objects.get, pk=int(gid), period=period)
            n = services.comments_assign_group(period=period, comment_ids=ids, group=group, by=by)
            messages.success(request, f"已归类{n}条意见。")
        elif action == "group_decide":
            gid = post.get("group", "")
            group = _get_or_404(OpinionGroup.objects.get, pk=params.ident(post, "group", default=0), period=period)
            services.opinion_group_decide(group=group, decision=data["decision"], reason=data["reason"], by=by)
        elif action == "report":
            services.adoption_report_publish(period=period, summary=data["summary"], by=by)
            messages.success(request, "意见采纳情况已报送保密审查;审查通过后公布。")
    except ValidationError as exc:
        apply_service_error(form, exc)
        return form, False
    return form, True


# --- staff: messages --------------------------------------------------------------------------------------


@login_required
@require_safe
def staff_messages(request):
    _require_staff(request)
    status = request.GET.get("status", "")
    rows = selectors.message_list_for_user(request.user, status=status if status in MessageStatus.values else "",
                                           flagged=request.GET.get("flagged") == "1")
    return render(request, "participation/staff/messages.html", {
        "rows": rows, "statuses": MessageStatus.choices, "status": status, "flagged": request.GET.get("flagged") == "1",
        "now": timezone.now()})


@login_required
@require_http_methods(["GET", "POST"])
def staff_message(request, pk):
    message = _get_or_404(permissions.message_visible_to(request.user).select_related("unit").get, pk=pk)
    reply_form, transfer_form, invalid_form = forms.ReplyForm(), forms.TransferForm(), forms.ReasonForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "reply":
                reply_form = forms.ReplyForm(request.POST)
                if reply_form.is_valid():
                    services.message_reply(message=message, by=request.user, **reply_form.cleaned_data)
                    messages.success(request, "已答复。")
                    return redirect("participation:staff_message", pk=pk)
            elif action == "transfer":
                transfer_form = forms.TransferForm(request.POST)
                if transfer_form.is_valid():
                    services.message_transfer(message=message, by=request.user, **transfer_form.cleaned_data)
                    messages.success(request, "已转办。")
                    if permissions.message_visible_to(request.user).filter(pk=pk).exists():
                        return redirect("participation:staff_message", pk=pk)
                    return redirect("participation:staff_messages")
            elif action == "invalid":
                invalid_form = forms.ReasonForm(request.POST)
                if invalid_form.is_valid():
                    services.message_mark_invalid(message=message, by=request.user, **invalid_form.cleaned_data)
                    messages.success(request, "已标记为无效留言。")
                    return redirect("participation:staff_message", pk=pk)
            else:
                raise Http404
        except ValidationError as exc:
            apply_service_error({"reply": reply_form, "transfer": transfer_form, "invalid": invalid_form}[action], exc)
    deadlines = selectors.deadlines_of(message)
    return render(request, "participation/staff/message.html", {
        "message": message, "reply_form": reply_form, "transfer_form": transfer_form, "invalid_form": invalid_form,
        "deadlines": deadlines, "can_reply": permissions.can_reply_message(request.user, message),
        "can_route": permissions.can_route_message(request.user, message)},
        status=400 if request.method == "POST" else 200)


# --- staff: meetings ------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def staff_meeting_new(request):
    _require_staff(request)
    form = forms.MeetingForm(request.POST or None, units=_staff_units(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, "会议计划已保存。")
            return redirect("participation:staff_meeting", pk=meeting.pk)
    return render(request, "participation/staff/meeting_form.html", {"form": form},
                  status=400 if form.errors else 200)


MEETING_ACTIONS = ("topic", "announce", "held", "outcome", "approve", "reject", "attend", "cancel")


def _meeting_action_form(action: str, meeting, post):
    """The form an action's input is parsed and validated with, before anything is changed.

    Only cancelling (and not approving a registration, which the service checks) needs a reason.
    """
    if action == "topic":
        return forms.TopicForm(post, meeting=meeting)
    if action == "attend":
        return forms.AttendForm(post)
    if action == "cancel":
        return forms.ReasonForm(post)
    if action in ("approve", "reject"):
        return forms.RegistrationDecisionForm(post)
    return forms.ActionForm(post)


def _meeting_action(request, meeting, action: str, form) -> None:
    """Run one validated action; a service's ValidationError propagates to the caller."""
    by, post, data = request.user, request.POST, form.cleaned_data
    if action == "topic":
        services.meeting_topic_add(meeting=meeting, by=by, **data)
    elif action == "announce":
        services.meeting_announce(meeting=meeting, by=by)
    elif action == "held":
        services.meeting_mark_held(meeting=meeting, by=by)
    elif action == "cancel":
        services.meeting_cancel(meeting=meeting, reason=data["reason"], by=by)
    elif action == "outcome":
        results = {t.pk: (post.get(f"topic-{t.pk}") == "adopted", post.get(f"topic-{t.pk}-note", ""))
                   for t in meeting.topics.all() if post.get(f"topic-{t.pk}") in ("adopted", "rejected")}
        services.meeting_record_outcome(meeting=meeting, outcome=post.get("outcome", ""),
                                        minutes=post.get("minutes", ""), topic_results=results, by=by)
    elif action in ("approve", "reject"):
        registration = _get_or_404(Registration.objects.get, pk=data["registration"], meeting=meeting)
        services.registration_decide(registration=registration, approve=action == "approve",
                                     reason=data["reason"], by=by)
    elif action == "attend":
        services.registration_mark_attended(meeting=meeting, by=by, **data)
        messages.success(request, "已登记到场。")


@login_required
@require_http_methods(["GET", "POST"])
def staff_meeting(request, pk):
    meeting = _get_or_404(selectors.meeting_get_for_user, request.user, pk)
    topic_form, attend_form, error_form = forms.TopicForm(meeting=meeting), forms.AttendForm(), None
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in MEETING_ACTIONS:
            raise Http404
        error_form = _meeting_action_form(action, meeting, request.POST)
        if error_form.is_valid():
            try:
                _meeting_action(request, meeting, action, error_form)
            except ValidationError as exc:
                apply_service_error(error_form, exc)
            else:
                return redirect(reverse("participation:staff_meeting", args=[pk]) + f"#{action}")
        topic_form = error_form if action == "topic" else topic_form
        attend_form = error_form if action == "attend" else attend_form
    return render(request, "participation/staff/meeting.html", {
        "meeting": meeting, "topics": list(meeting.topics.select_related("draft__document")),
        "registrations": list(meeting.registrations.all()),
        "topic_form": topic_form, "attend_form": attend_form, "error_form": error_form,
        "now": timezone.now()}, status=400 if error_form is not None else 200)


# --- staff: evaluations -----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def staff_evaluation_new(request):
    _require_staff(request)
    form = forms.EvaluationForm(request.POST or None, units=_staff_units(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.evaluation_create(by=request.user, **form.cleaned_data)
            if request.POST.get("publish") == "1":
                services.evaluation_publish(evaluation=evaluation, by=request.user)
        except ValidationError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, "第三方评估已保存" + ("并公布。" if evaluation.published_at else "。"))
            return redirect("participation:staff_home")
    return render(request, "participation/staff/evaluation_form.html", {"form": form},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def staff_evaluation_publish(request, pk):
    _require_staff(request)
    evaluation = _get_or_404(selectors.evaluation_list_for_user(request.user).get, pk=pk)
    try:
        services.evaluation_publish(evaluation=evaluation, by=request.user)
        messages.success(request, "评估报告已公布。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("participation:staff_home")

