"""网站监测 (W2) in the workspace: a unit's own findings; the city office every unit's, scores and trend."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import permissions, selectors
from .models import FindingState

PAGE_SIZE = 50


@login_required
@require_safe
def mine(request):
    units = list(permissions.visible_units(request.user).order_by("sort_order", "code"))
    if not units:
        raise Http404("您没有可查看的网站监测结果。")
    code = request.GET.get("unit", "")
    chosen = next((u for u in units if u.code == code), None)
    if code and chosen is None:
        raise Http404("没有找到该单位的监测结果。")  # another unit's findings: as if they did not exist
    state = request.GET.get("state", FindingState.OPEN)
    state = state if state in FindingState.values else FindingState.OPEN
    scope = [chosen.pk] if chosen else [u.pk for u in units]
    page = Paginator(selectors.findings_for_units(scope, state=state), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "findings": list(page.object_list), "units": units, "chosen": chosen, "state": state,
               "query": {"unit": chosen.code if chosen else "", "state": state},
               "states": FindingState.choices, "sees_all": permissions.sees_all(request.user)}
    if context["sees_all"]:
        runs = selectors.recent_runs()
        latest = runs[0].scores if runs else {}
        context["score_rows"] = [
            {"unit": u, "score": latest.get(u.code), "trend": [r.scores.get(u.code) for r in reversed(runs)]}
            for u in units if u.code in latest]
        context["runs"] = list(reversed(runs))
    return render(request, "monitoring/mine.html", context)
