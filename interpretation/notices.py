"""Who is told when an interpretation plan waits for its head and when it is approved (审定)."""

from __future__ import annotations

from django.urls import reverse

from tongchuan_portal.notifications.recipients import role_holders
from tongchuan_portal.notifications.services import moment_key, notify_event
from tongchuan_portal.units.models import Role


def plan_waiting(plan, *, by) -> None:
    document = plan.document
    notify_event(f"interpretation.plan_waiting:{plan.pk}:{moment_key(plan.approval_requested_at)}",
                 role_holders(plan.unit_id, Role.Code.UNIT_HEAD), by=by,
                 title=f"【待审定】《{document.title}》的解读方案",
                 body=f"《{document.title}》的解读方案和解读材料已编制完成,请审定。审定后方可随文件报送。",
                 url=reverse("interpretation:document", args=[document.pk]))


def plan_approved(plan, *, by) -> None:
    document = plan.document
    notify_event(f"interpretation.plan_approved:{plan.pk}:{moment_key(plan.approved_at)}",
                 [*role_holders(plan.unit_id, Role.Code.CLERK), plan.created_by_id], by=by,
                 title=f"【已审定】《{document.title}》的解读方案",
                 body=f"单位主要负责人已审定《{document.title}》的解读方案和解读材料,可以随文件报送。",
                 url=reverse("interpretation:document", args=[document.pk]))
