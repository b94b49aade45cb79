from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from tongchuan_portal.core import paging
from tongchuan_portal.core.paging import bounded_count
from tongchuan_portal.units.permissions import is_city_office_reviewer

from .models import DeadlineState
from .permissions import visible_to
from .explained import explanations_html
from .selectors import deadlines_for_user, deadlines_with_failed_action, explain, rule_texts, urgency

FAILED_SHOWN = 50
PAGE_SIZE = 20  # each row carries its full explanation


@login_required
def my_deadlines(request):
    """我的时限 — by due moment (the overdue come first), a keyset page at a time, each shown row with
    how it was computed (for the page's rows only, stored until the deadline or the calendar moves)."""
    now = timezone.now()
    page = paging.from_request(deadlines_for_user(request.user), request, moment="due_at", size=PAGE_SIZE)
    explanations = explanations_html(page.items)
    rows = [(d, rule_texts(d)[0], explanations[d.pk], urgency(d, now)) for d in page]
    overdue = [r for r in rows if r[3] == "overdue"]
    upcoming = [r for r in rows if r[3] != "overdue"]
    return render(request, "clock/my_deadlines.html", {
        "overdue": overdue, "upcoming": upcoming, "now": now, "page": page,
        "total": bounded_count(deadlines_for_user(request.user)),
        "failed_actions": list(deadlines_with_failed_action(request.user)[:FAILED_SHOWN]),
    })


@login_required
def deadline_detail(request, pk):
    deadline = get_object_or_404(
        visible_to(request.user).select_related("unit", "content_type").prefetch_related(
            "pauses__paused_by", "pauses__resumed_by", "extensions__extended_by"),
        pk=pk,
    )
    history = list(deadline.history.select_related("history_user").order_by("-history_date")[:50])
    target = deadline.target
    target_url = target.get_absolute_url() if target is not None and hasattr(target, "get_absolute_url") else ""
    return render(request, "clock/deadline_detail.html", {
        "deadline": deadline, "explanation": explain(deadline), "urgency": urgency(deadline),
        "history": history, "target_url": target_url, "open_states": [DeadlineState.RUNNING, DeadlineState.PAUSED],
        "show_action_failure": is_city_office_reviewer(request.user) and deadline.action_attempts > 0,
    })
