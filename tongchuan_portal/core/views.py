from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from tongchuan_portal.units.selectors import memberships_for_user, unit_directory

from .context_processors import FONT_SIZES
from .health import health_report, health_summary, may_see_details
from .selectors import workspace_todos


@require_safe
def home(request):
    from disclosure.selectors import public_documents

    latest = list(public_documents().select_related("issuer").only(
        "id", "title", "published_at", "area", "issuer__short_name").order_by("-published_at", "-pk")[:8])
    return render(request, "core/home.html", {"directory": unit_directory(), "latest": latest})


@login_required
def workspace(request):
    """工作台 — what waits for the staff member in every app (counts and links), their units and roles."""
    memberships = list(memberships_for_user(request.user))
    roles = {role.code for m in memberships for role in m.roles.all()}
    todos = workspace_todos(request.user, roles) if memberships else []
    return render(request, "core/workspace.html", {"memberships": memberships, "roles": roles, "todos": todos})


@never_cache
@require_safe
def healthz(request):
    report = health_report()
    body = report if may_see_details(request) else health_summary(report)
    return JsonResponse(body, status=200 if report["ok"] else 503, json_dumps_params={"ensure_ascii": False})


@require_safe
def font_size(request, size):
    """字体大小 — works without JavaScript: a cookie, then back to where the reader was."""
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    if size in FONT_SIZES:
        response.set_cookie("font_size", size, max_age=365 * 24 * 3600, samesite="Lax")
    return response


def locked_out(request, original_response=None, credentials=None):
    """登录已锁定 — django-axes' lockout answer (429), in the site's own page."""
    from django.conf import settings

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html",
                  {"cooloff_minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT}, status=429)
