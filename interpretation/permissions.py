"""Who may see and act on interpretations (I2). Each condition on its own line; services call these.

谁起草、谁解读: the drafting (lead) unit's group holds every object permission on
its plan; a joint document's co-issuers' groups hold only `view` and `contribute`
(they assist, they do not approve). A role in the unit decides what a member may
do with what their unit holds: clerks draft, the unit head approves (审定).
"""

from django.db.models import Q, QuerySet

from disclosure.models import Document, Status as DocumentStatus
from disclosure.permissions import CITY_BOUND, is_city_office_staff
from disclosure.selectors import public_documents
from tongchuan_portal.units.models import Role, SpecialUnit, Unit
from tongchuan_portal.units.permissions import has_role, holds_role, objects_for_user, units_with_role
from tongchuan_portal.units.selectors import special_unit_id

from .models import Interpretation, InterpretationPlan, InterpretationPlanGroupObjectPermission, PlanStatus, Reprint
from .models import ReprintStatus, Status

VIEW = "view_interpretationplan"
CHANGE = "change_interpretationplan"
CONTRIBUTE = "contribute_interpretationplan"
APPROVE = "approve_interpretationplan"
LEAD_PERMS = (VIEW, CHANGE, CONTRIBUTE, APPROVE)
CO_ISSUER_PERMS = (VIEW, CONTRIBUTE)

# I4: plan and materials are prepared with the draft (or returned draft) and frozen while it is under
# review; after publication only follow-ups (I9) are added.
PREPARING = (DocumentStatus.DRAFT, DocumentStatus.RETURNED)
OPEN_FOR_WORK = (*PREPARING, DocumentStatus.PUBLISHED)


def units_holding(user, plan: InterpretationPlan, codename: str, *roles: str) -> list[Unit]:
    """The user's units (in `roles`) whose group holds `codename` on `plan` (guardian, direct FK).

    Remembered on the plan instance, so a page that checks many materials of one plan asks once;
    services lock and reload the plan, so a write never sees an earlier answer.
    """
    cache = plan.__dict__.setdefault("_grants_cache", {})
    key = (getattr(user, "pk", None), codename, roles)
    if key not in cache:
        units = {u.group_name: u for u in units_with_role(user, *roles)}
        names = InterpretationPlanGroupObjectPermission.objects.filter(
            content_object=plan, permission__codename=codename, group__name__in=list(units),
        ).values_list("group__name", flat=True) if units else []
        cache[key] = sorted((units[name] for name in set(names)), key=lambda u: u.pk != plan.unit_id)
    return cache[key]


def _acts(user, plan: InterpretationPlan, codename: str, role: str) -> bool:
    return bool(units_holding(user, plan, codename, role))


def plans_visible_to(user) -> QuerySet[InterpretationPlan]:
    """Plans a staff member may open: their units' (lead or co-issuer, by guardian), and — for the
    city office — every plan of a city-bound document once it was submitted (it reviews them, I5)."""
    if not getattr(user, "is_authenticated", False):
        return InterpretationPlan.objects.none()
    granted = objects_for_user(user, f"interpretation.{VIEW}", InterpretationPlan.objects.all()).values("pk")
    condition = Q(pk__in=granted)
    if is_city_office_staff(user):
        city_bound = Document.objects.filter(CITY_BOUND, submitted_at__isnull=False).values("pk")
        condition |= Q(document__in=city_bound)
    return InterpretationPlan.objects.filter(condition)


def visible_to(user) -> QuerySet[Interpretation]:
    """Materials a staff member may open: those of the plans they may see."""
    return Interpretation.objects.filter(document__interpretation_plan__in=plans_visible_to(user).values("pk"))


def reprints_visible_to(user) -> QuerySet[Reprint]:
    return Reprint.objects.filter(unit__in=units_with_role(user))


def can_create_plan(user, document: Document) -> bool:
    return (
        document.status in OPEN_FOR_WORK
        and not InterpretationPlan.objects.filter(document=document).exists()
        and has_role(user, document.issuer_id, Role.Code.CLERK)
    )


def can_edit_plan(user, plan: InterpretationPlan) -> bool:
    return (
        plan.document.status in OPEN_FOR_WORK
        and _acts(user, plan, CHANGE, Role.Code.CLERK)
    )


def can_approve_plan(user, plan: InterpretationPlan) -> bool:
    """审定 (I5): only the drafting unit's principal head; co-issuers' heads never (I2)."""
    return (
        plan.status == PlanStatus.DRAFT
        and plan.document.status in OPEN_FOR_WORK
        and _acts(user, plan, APPROVE, Role.Code.UNIT_HEAD)
    )


def can_reopen_plan(user, plan: InterpretationPlan) -> bool:
    return (
        plan.status == PlanStatus.APPROVED
        and plan.document.status in PREPARING
        and (_acts(user, plan, CHANGE, Role.Code.CLERK) or _acts(user, plan, APPROVE, Role.Code.UNIT_HEAD))
    )


def can_contribute(user, plan: InterpretationPlan) -> bool:
    """Lead-unit clerks and co-issuers' clerks may add material (I2)."""
    return (
        plan.document.status in OPEN_FOR_WORK
        and _acts(user, plan, CONTRIBUTE, Role.Code.CLERK)
    )


def can_edit_material(user, interpretation: Interpretation) -> bool:
    """The contributing unit's clerks, or the lead unit's, while it is not yet published."""
    plan = interpretation.document.interpretation_plan
    return (
        interpretation.status in (Status.DRAFT, Status.APPROVED)
        and plan.document.status in OPEN_FOR_WORK
        and (interpretation.contributor_id in {u.pk for u in units_holding(user, plan, CONTRIBUTE, Role.Code.CLERK)}
             or _acts(user, plan, CHANGE, Role.Code.CLERK))
    )


def can_approve_material(user, interpretation: Interpretation) -> bool:
    plan = interpretation.document.interpretation_plan
    return (
        interpretation.status == Status.DRAFT
        and plan.status == PlanStatus.APPROVED
        and plan.document.status in OPEN_FOR_WORK
        and _acts(user, plan, APPROVE, Role.Code.UNIT_HEAD)
    )


def publishing_unit_id(document: Document) -> int | None:
    """保密审查 is done where the document is published: the city office for city-bound ones (D7)."""
    if document.goes_to_city_office:
        return special_unit_id(SpecialUnit.CITY_OFFICE)
    return document.issuer_id


def can_publish_follow_up(user, document: Document) -> bool:
    """A follow-up (I9) on a public document is cleared and released by the publishing unit's
    confidentiality reviewer (D7), like the document itself."""
    return (
        public_documents().filter(pk=document.pk).exists()
        and has_role(user, publishing_unit_id(document), Role.Code.CONFIDENTIALITY_REVIEWER)
    )


def can_withdraw(user, interpretation: Interpretation) -> bool:
    plan = interpretation.document.interpretation_plan
    return (
        interpretation.status == Status.PUBLISHED
        and _acts(user, plan, APPROVE, Role.Code.UNIT_HEAD)
    )


def can_manage_experts(user) -> bool:
    return holds_role(user, Role.Code.CLERK, Role.Code.UNIT_HEAD)


def can_file_reprint(user, unit: Unit) -> bool:
    return has_role(user, unit, Role.Code.CLERK)


def can_edit_reprint(user, reprint: Reprint) -> bool:
    return (
        reprint.status == ReprintStatus.DRAFT
        and has_role(user, reprint.unit_id, Role.Code.CLERK)
    )


def can_publish_reprint(user, reprint: Reprint) -> bool:
    return (
        reprint.status == ReprintStatus.DRAFT
        and has_role(user, reprint.unit_id, Role.Code.CONFIDENTIALITY_REVIEWER)
    )


def can_note_reprint(user, reprint: Reprint) -> bool:
    return (
        reprint.status == ReprintStatus.PUBLISHED
        and has_role(user, reprint.unit_id, Role.Code.CLERK, Role.Code.UNIT_HEAD)
    )


def can_withdraw_reprint(user, reprint: Reprint) -> bool:
    return (
        reprint.status == ReprintStatus.PUBLISHED
        and has_role(user, reprint.unit_id, Role.Code.UNIT_HEAD)
    )
