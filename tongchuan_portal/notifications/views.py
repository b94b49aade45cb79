from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tongchuan_portal.core import params

from .selectors import inbox_page
from .services import notifications_mark_read


@login_required
def inbox(request):
    page = inbox_page(request.user, request)
    return render(request, "notifications/inbox.html", {"notifications": page.items, "page": page})


@login_required
@require_POST
def mark_read(request):
    ids = params.ids(request.POST, "id", label="消息编号") or None
    count = notifications_mark_read(user=request.user, ids=ids)
    messages.success(request, f"已将 {count} 条消息标记为已读。")
    return redirect("notifications:inbox")
