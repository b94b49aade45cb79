"""The replies waiting for 保密审查 (D7), as rows of the one queue (`register_confidentiality_section`)."""


from tongchuan_portal.core.confidentiality import QueueRow, refusal_counts
from tongchuan_portal.units.models import Role
from tongchuan_portal.units.permissions import holds_role

from .models import Application
from .permissions import replies_awaiting_clearance
from tongchuan_portal.core.cached_urls import id_url

QUEUE_LIMIT = 200


def queue_section(user) -> dict | None:
    """Two queries whatever the number of replies waiting."""
    if not holds_role(user, Role.Code.CONFIDENTIALITY_REVIEWER):
        return None
    rows = list(replies_awaiting_clearance(user).select_related("unit").order_by("reply_submitted_at", "pk")
                [:QUEUE_LIMIT])
    refusals = refusal_counts(Application, [a.pk for a in rows])
    return {"key": "applications", "title": "依申请公开答复", "empty": "目前没有待保密审查的依申请公开答复。",
            "rows": [QueueRow(title=f"政府信息公开申请 {a.number} 的答复", kind="依申请公开答复",
                              unit=a.unit.short_name, since=a.reply_submitted_at,
                              url=id_url("applications:clear_reply", a.pk), refusals=refusals.get(a.pk, 0))
                     for a in rows]}
