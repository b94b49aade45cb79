"""Release with the document (I4, I8), follow-ups and their clock (I9), withdrawal, and what the
document's reviewers see of the interpretation (the review and clearance sections, D7, I5).

Disclosure never imports this module: it calls these through the hooks registered in `apps.py`.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from disclosure.models import Document
from tongchuan_portal.clock.models import DeadlineState
from tongchuan_portal.clock.selectors import deadline_of
from tongchuan_portal.clock.services import deadline_cancel, deadline_meet, deadline_start
from tongchuan_portal.core.workflow import move, save_with_history

from .. import deadlines, permissions
from ..models import TRANSITIONS, Interpretation, InterpretationPlan, PlanStatus, Status
from ._common import lock_material
from .plans import coverage_problems, needs_interpretation

if TYPE_CHECKING:
    from django.contrib.auth.models import User

#: A follow-up clock still counting (a missed one is met by a late follow-up, never restarted).
STARTED = (DeadlineState.RUNNING, DeadlineState.PAUSED)


def _next_round(document: Document) -> int:
    last = document.interpretations.filter(round__isnull=False).aggregate(last=Max("round"))["last"]
    return (last or 0) + 1


def _release(materials: list[Interpretation], *, by: User, at: datetime, round_number: int,
             reason: str) -> None:
    from disclosure.pagecache import bump_public_version

    bump_public_version()  # the document's public page lists its interpretations
    for material in materials:
        move(material, Status.PUBLISHED, TRANSITIONS, what="解读材料")
        material.published_at, material.published_by, material.round = at, by, round_number
        save_with_history(material, by=by, reason=reason,
                          fields=["status", "published_at", "published_by", "round", "updated_at"])


def _follow_up_clock(plan: InterpretationPlan, *, by: User, started_at: datetime, round_number: int) -> None:
    """I9: the first release starts the follow-up clock; a follow-up release meets it."""
    if round_number == 1:
        if deadline_of(plan, deadlines.FOLLOW_UP, states=STARTED) is None:
            deadline_start(rule=deadlines.FOLLOW_UP, target=plan, unit=plan.unit, by=by, started_at=started_at,
                           subject=f"《{plan.document.title}》跟踪解读")
        return
    deadline = deadline_of(plan, deadlines.FOLLOW_UP)  # running or paused first, else missed
    if deadline is not None:
        deadline_meet(deadline=deadline, by=by, at=started_at, note=f"已发布第{round_number}次解读")


def _to_release(plan: InterpretationPlan | None, document: Document, *, lock: bool = False) -> list[Interpretation]:
    """What goes public with the document: the approved materials of an approved plan (I4, I8)."""
    if plan is None or plan.status != PlanStatus.APPROVED:
        return []
    qs = Interpretation.objects.filter(document=document, status=Status.APPROVED)
    if lock:
        return list(qs.select_for_update().order_by("pk"))
    return list(qs.select_related("expert").prefetch_related("qa_pairs").order_by("pk"))


def material_digest(material: Interpretation) -> str:
    """The content the public will see of one material: text, Q&A, image and its alternative text, links."""
    from disclosure.clearance import digest_of

    return digest_of(material.kind, material.title, material.summary, material.focus, material.body,
                     material.expert_id, material.guests, material.transcript, material.media_url,
                     material.image.name, material.image_alt, material.table_caption, material.table_text,
                     [(p.position, p.question, p.answer) for p in material.qa_pairs.all()])


def clearance_section(document: Document):
    """Registered with `disclosure.hooks`: the materials the document's publication releases (D7, I8),
    for 保密审查 to see and its clearance to record, one item per material with its version."""
    from disclosure.clearance import ClearanceItem, ClearanceSection, _latest_history_ids

    plan = InterpretationPlan.objects.filter(document=document).first()
    materials = _to_release(plan, document)
    if not materials:
        return None
    versions = _latest_history_ids(Interpretation, [m.pk for m in materials])
    items = [ClearanceItem(kind="interpretation", pk=m.pk, label=f"解读材料《{m.title}》({m.get_kind_display()})",
                           digest=material_digest(m), history_id=versions.get(m.pk)) for m in materials]
    return ClearanceSection(title="随文发布的政策解读", template="interpretation/_clearance.html", items=items,
                            context={"materials": materials, "plan": plan})


def review_section(document: Document) -> dict | None:
    """Registered with `disclosure.integrations`: the plan and materials the reviewer of a submission sees,
    or their absence (缺少解读方案或解读材料 is a return reason, I5)."""
    plan = InterpretationPlan.objects.select_related("approved_by").filter(document=document).first()
    materials = list(Interpretation.objects.filter(document=document).exclude(status=Status.WITHDRAWN)
                     .select_related("expert", "contributor", "approved_by").prefetch_related("qa_pairs")
                     .order_by("round", "pk")) if plan is not None else []
    required = needs_interpretation(document)
    if plan is None and not required:
        return None
    if plan is None:
        problems = ["尚未编制解读方案。"]
    else:
        approved = [m for m in materials if m.status in (Status.APPROVED, Status.PUBLISHED)]
        problems = [] if plan.status == PlanStatus.APPROVED else ["解读方案尚未经本单位主要负责人审定。"]
        problems += coverage_problems(plan, approved) if approved else ["尚无经审定的解读材料。"]
    return {"template": "interpretation/_review.html", "plan": plan, "materials": materials,
            "problems": problems if required else [], "required": required}


@transaction.atomic
def publish_with_document(document: Document, *, by: User) -> list[Interpretation]:
    """Registered with `disclosure.hooks`: runs inside the publishing transaction (I4, I8).

    The approved materials become public in the same transaction and with the same timestamp as
    the document; the follow-up clock starts (I9).
    """
    plan = InterpretationPlan.objects.select_for_update().filter(document=document).first()
    materials = _to_release(plan, document, lock=True)
    if not materials:
        return []
    round_number = _next_round(document)
    _release(materials, by=by, at=document.published_at, round_number=round_number,
             reason="随公文同步发布")
    _follow_up_clock(plan, by=by, started_at=document.published_at, round_number=round_number)
    return materials


@transaction.atomic
def follow_up_publish(*, document: Document, by: User) -> list[Interpretation]:
    """I9: release the approved follow-up materials of a public document as its next round, after the
    publishing unit's confidentiality review (D7)."""
    plan = InterpretationPlan.objects.select_for_update().filter(document=document).first()
    if plan is None:
        raise ValidationError("该公文没有解读方案。")
    if not permissions.can_publish_follow_up(by, document):
        raise PermissionDenied("只有发布单位的保密审查人员可以在公文公开后发布跟踪解读。")
    materials = list(Interpretation.objects.select_for_update().filter(document=document, status=Status.APPROVED)
                     .order_by("pk"))
    if not materials:
        raise ValidationError("没有待发布的已审定解读材料。")
    now = timezone.now()
    round_number = _next_round(document)
    label = "首次解读" if round_number == 1 else f"第{round_number}次跟踪解读"
    _release(materials, by=by, at=now, round_number=round_number, reason=f"保密审查通过,发布{label}")
    _follow_up_clock(plan, by=by, started_at=now, round_number=round_number)
    return materials


@transaction.atomic
def interpretation_withdraw(*, interpretation: Interpretation, by: User, reason: str) -> Interpretation:
    if not reason or not reason.strip():
        raise ValidationError({"reason": "撤回必须说明理由。"})
    material = lock_material(interpretation)
    if not permissions.can_withdraw(by, material):
        raise PermissionDenied("只有起草单位主要负责人可以撤回已发布的解读。")
    move(material, Status.WITHDRAWN, TRANSITIONS, what="解读材料")
    from disclosure.pagecache import bump_public_version

    bump_public_version()
    material.withdrawn_at = timezone.now()
    save_with_history(material, by=by, reason=f"撤回:{reason.strip()}", fields=["status", "withdrawn_at", "updated_at"])
    return material


# --- reference data -----------------------------------------------------------------------------

RETURN_REASON_CODE = "missing-interpretation"


def return_reason_ensure():
    """The I5 return reason (also created by migration 0002; tests that flush tables call this)."""
    from disclosure.models import ReturnReason

    reason, _ = ReturnReason.objects.get_or_create(
        code=RETURN_REASON_CODE, defaults={"label": "缺少解读方案或解读材料", "rule_id": "I5", "sort_order": 45})
    return reason


def stop_follow_up_on_withdrawal(document: Document, *, by: User, reason: str) -> None:
    """A withdrawn document needs no follow-up interpretation: its I9 clock is cancelled."""
    plan = InterpretationPlan.objects.filter(document=document).first()
    if plan is None:
        return
    deadline = deadline_of(plan, deadlines.FOLLOW_UP, states=STARTED)
    if deadline is not None:
        deadline_cancel(deadline=deadline, reason=f"原文已撤回:{reason}", by=by)
