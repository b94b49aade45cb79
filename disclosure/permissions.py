"""Who may see and act on a document. Each condition on its own line; services call these."""

from django.db.models import Q, QuerySet

from django.utils import timezone

from tongchuan_portal.units.models import Role, SpecialUnit
from tongchuan_portal.units.permissions import (
    can_administer, has_role, holds_role, objects_for_user, unit_ids_with_role,
)
from tongchuan_portal.units.selectors import special_unit_id

from .models import (
    PUBLIC_STATUSES, DisclosureAttribute, Document, DocumentKind, IssuedInNameOf, SealReview, SelfCheck, Status,
)

CITY_BOUND = Q(kind__in=[DocumentKind.CITY_POLICY_DRAFT, DocumentKind.ISSUE_REQUEST]) | Q(
    issued_in_name_of__in=[IssuedInNameOf.CITY_GOVERNMENT, IssuedInNameOf.CITY_OFFICE])


def is_city_office_staff(user) -> bool:
    """A reviewer or confidentiality reviewer of 市政府办公室."""
    return holds_role(user, Role.Code.CITY_OFFICE_REVIEWER, Role.Code.CONFIDENTIALITY_REVIEWER,
                      special=SpecialUnit.CITY_OFFICE)


def visible_to(user) -> QuerySet[Document]:
    """Documents a staff member may open in the workspace.

    Their own units' documents; joint drafts shared with their unit (guardian);
    and, for the city office, every city-bound document once it was submitted.
    Another unit's draft is never among them.
    """
    if not getattr(user, "is_authenticated", False):
        return Document.objects.none()
    condition = Q(issuer_id__in=unit_ids_with_role(user))
    shared = objects_for_user(user, "disclosure.view_document", Document.objects.all()).values("pk")
    condition |= Q(pk__in=shared)
    if is_city_office_staff(user):
        condition |= CITY_BOUND & Q(submitted_at__isnull=False)
    return Document.objects.filter(condition)


def can_file_for(user, unit) -> bool:
    return has_role(user, unit, Role.Code.CLERK)


def can_edit(user, document: Document) -> bool:
    return (
        document.status in (Status.DRAFT, Status.RETURNED)
        and has_role(user, document.issuer_id, Role.Code.CLERK)
    )


def can_decide_seal_review(user, review: SealReview) -> bool:
    return (
        review.decision == SealReview.Decision.PENDING
        and has_role(user, review.unit_id, Role.Code.TRANSPARENCY_OFFICE)
    )


def can_review_submission(user, document: Document) -> bool:
    """City-bound submissions: the city office's reviewers; the rest: the issuing unit's head."""
    if document.status != Status.SUBMITTED:
        return False
    if document.goes_to_city_office:
        return has_role(user, _city_office_id(), Role.Code.CITY_OFFICE_REVIEWER)
    return has_role(user, document.issuer_id, Role.Code.UNIT_HEAD)


def can_confidentiality_review(user, document: Document) -> bool:
    """保密审查 by the publishing unit: the city office for city-bound documents, else the issuer."""
    if document.status != Status.CONFIDENTIALITY_REVIEW:
        return False
    unit_id = _city_office_id() if document.goes_to_city_office else document.issuer_id
    return has_role(user, unit_id, Role.Code.CONFIDENTIALITY_REVIEWER)


def can_withdraw(user, document: Document) -> bool:
    if document.status not in PUBLIC_STATUSES:
        return False
    if document.goes_to_city_office:
        return has_role(user, _city_office_id(), Role.Code.CITY_OFFICE_REVIEWER)
    return has_role(user, document.issuer_id, Role.Code.UNIT_HEAD)


# M6: the executive meeting adopts a document the city office has in hand and has not yet issued.
MEETING_ADOPTION_STATUSES = (Status.SUBMITTED, Status.ACCEPTED, Status.CONFIDENTIALITY_REVIEW)
MEETING_ADOPTION_ROLES = (Role.Code.CITY_OFFICE_REVIEWER, Role.Code.UNIT_HEAD, Role.Code.CLERK)


def can_record_meeting_adoption(user, document: Document) -> bool:
    """M6: the city office records that the executive meeting adopted a city-bound document.

    Only while the document is with the city office and not yet issued (submitted, accepted or in
    confidentiality review): a draft, a returned, published or withdrawn document takes no issue
    clock. Its reviewers, head and clerks (who run the meeting) record it; a confidentiality
    reviewer clears publication and does not.
    """
    if document.status not in MEETING_ADOPTION_STATUSES:
        return False
    return records_meetings_for(user, document)


def records_meetings_for(user, document: Document) -> bool:
    """Whoever may record executive-meeting adoptions of this document, whatever its state."""
    if not document.goes_to_city_office:
        return False
    return has_role(user, _city_office_id(), *MEETING_ADOPTION_ROLES)


def is_public(document: Document, now=None) -> bool:
    now = now or timezone.now()
    return (
        document.attribute == DisclosureAttribute.PROACTIVE
        and document.confidentiality_cleared_at is not None
        and (document.status == Status.PUBLISHED
             or (document.status == Status.SCHEDULED and document.publish_at <= now))
    )


# --- D10 catalogs and D12 self-checks ----------------------------------------------------------


def can_manage_catalog(user, unit) -> bool:
    """The unit's transparency office keeps and publishes its 主动公开目录 (D10)."""
    return has_role(user, unit, Role.Code.TRANSPARENCY_OFFICE)


def can_edit_catalog(user, unit, perm: str) -> bool:
    """The unit's transparency office, or the admin keeping catalogs in order (same rules for both)."""
    return (
        can_manage_catalog(user, unit)
        or can_administer(user, perm)
    )


def can_decide_self_check(user, check: SelfCheck) -> bool:
    """An open self-check is decided by the unit's transparency office or its head (D12)."""
    return check.completed_at is None and (
        has_role(user, check.unit_id, Role.Code.TRANSPARENCY_OFFICE)
        or has_role(user, check.unit_id, Role.Code.UNIT_HEAD)
    )


def _city_office_id() -> int | None:
    return special_unit_id(SpecialUnit.CITY_OFFICE)
