"""Who is told when an interpretation plan waits for its head, when it is approved (审定), and when a
follow-up on a published document waits for 保密审查."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

from disclosure.models import Status as DocumentStatus
from tongchuan_portal.notifications.recipients import role_holders
from tongchuan_portal.notifications.services import moment_key, notify_event
from tongchuan_portal.units.models import Role

from . import permissions

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def plan_waiting(plan, *, by: User) -> None:
    document = plan.document
    notify_event(f"interpretation.plan_waiting:{plan.pk}:{moment_key(plan.approval_requested_at)}",
                 role_holders(plan.unit_id, Role.Code.UNIT_HEAD), by=by,
                 title=f"【待审定】《{document.title}》的解读方案",
                 body=f"《{document.title}》的解读方案和解读材料已编制完成,请审定。审定后方可随文件报送。",
                 url=reverse("interpretation:document", args=[document.pk]))


def plan_approved(plan, *, by: User) -> None:
    document = plan.document
    notify_event(f"interpretation.plan_approved:{plan.pk}:{moment_key(plan.approved_at)}",
                 [*role_holders(plan.unit_id, Role.Code.CLERK), plan.created_by_id], by=by,
                 title=f"【已审定】《{document.title}》的解读方案",
                 body=f"单位主要负责人已审定《{document.title}》的解读方案和解读材料,可以随文件报送。",
                 url=reverse("interpretation:document", args=[document.pk]))


def follow_up_waiting(material, *, by: User) -> None:
    """A material approved for an already published document waits for the publishing unit's 保密审查."""
    document = material.document
    if document.status != DocumentStatus.PUBLISHED:
        return  # approved before publication, it is cleared together with the document
    notify_event(f"interpretation.follow_up_waiting:{material.pk}:{moment_key(material.approved_at)}",
                 role_holders(permissions.publishing_unit_id(document), Role.Code.CONFIDENTIALITY_REVIEWER), by=by,
                 title=f"【待保密审查】《{document.title}》的跟踪解读《{material.title}》",
                 body=f"已发布的《{document.title}》有经审定的跟踪解读,请保密审查后发布。",
                 url=reverse("interpretation:document", args=[document.pk]))
