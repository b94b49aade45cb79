"""Reads across rows for the disclosure pages, each in a constant number of queries."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from tongchuan_portal.clock.models import Deadline, DeadlineState
from tongchuan_portal.units.models import Role
from tongchuan_portal.units.permissions import units_with_role

from .models import (
    Attachment, ConfidentialityReview, DisclosureAttribute, Document, ReturnNotice, SealReview, Status,
)
from .permissions import CITY_BOUND, is_city_office_staff, visible_to

OPEN_DEADLINES = Prefetch(
    "deadlines",
    queryset=Deadline.objects.filter(state__in=[DeadlineState.RUNNING, DeadlineState.PAUSED, DeadlineState.MISSED])
    .order_by("due_at"),
    to_attr="open_deadlines",
)


def documents_for_user(user, *, status: str = "") -> QuerySet[Document]:
    """我的公文: the user's units' documents and joint drafts shared with them, newest first."""
    qs = visible_to(user).filter(Q(issuer__in=units_with_role(user)) | Q(co_issuers__in=units_with_role(user)))
    if status:
        qs = qs.filter(status=status)
    return qs.distinct().select_related("issuer").prefetch_related(OPEN_DEADLINES).order_by("-updated_at", "-pk")


def document_for_staff(user, pk: int) -> Document:
    """One document with everything the staff page shows; 404 (DoesNotExist) when not visible."""
    return (
        visible_to(user)
        .select_related("issuer", "issued_by", "publisher", "created_by", "repealed_by")
        .prefetch_related(
            "co_issuers",
            Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at")),
            Prefetch("seal_reviews", queryset=SealReview.objects.select_related("reviewer", "requested_by", "unit")),
            Prefetch("returns", queryset=ReturnNotice.objects.select_related("returned_by").prefetch_related("reasons")),
            Prefetch("confidentiality_reviews", queryset=ConfidentialityReview.objects.select_related("reviewer")),
            OPEN_DEADLINES,
        )
        .get(pk=pk)
    )


def review_queue(user) -> QuerySet[Document]:
    """Submissions the user may accept or return, oldest first, with their clocks (D5)."""
    condition = Q(pk__in=[])
    if units_with_role(user, Role.Code.CITY_OFFICE_REVIEWER).filter(code="szfb").exists():
        condition |= CITY_BOUND
    condition |= ~CITY_BOUND & Q(issuer__in=units_with_role(user, Role.Code.UNIT_HEAD))
    return (
        Document.objects.filter(condition, status=Status.SUBMITTED)
        .select_related("issuer")
        .prefetch_related(OPEN_DEADLINES, Prefetch("returns", queryset=ReturnNotice.objects.only("id", "document_id")))
        .order_by("submitted_at", "pk")
    )


def seal_review_queue(user) -> QuerySet[SealReview]:
    """Pending requests for the user's own unit's transparency office (D3), oldest first."""
    return (
        SealReview.objects.filter(decision=SealReview.Decision.PENDING,
                                  unit__in=units_with_role(user, Role.Code.TRANSPARENCY_OFFICE))
        .select_related("document", "document__issuer", "requested_by")
        .prefetch_related(Prefetch("document__deadlines", queryset=OPEN_DEADLINES.queryset, to_attr="open_deadlines"))
        .order_by("requested_at", "pk")
    )


def confidentiality_queue(user) -> QuerySet[Document]:
    """Items awaiting 保密审查 (D7) by the user's units, oldest first."""
    units = units_with_role(user, Role.Code.CONFIDENTIALITY_REVIEWER)
    condition = ~CITY_BOUND & Q(issuer__in=units)
    if units.filter(code="szfb").exists():
        condition |= CITY_BOUND
    return (
        Document.objects.filter(condition, status=Status.CONFIDENTIALITY_REVIEW)
        .select_related("issuer")
        .prefetch_related(OPEN_DEADLINES, Prefetch("returns", queryset=ReturnNotice.objects.only("id", "document_id")))
        .order_by("accepted_at", "pk")
    )


def returns_report(*, year: int | None = None) -> list[dict]:
    """Returns per unit and reason (退文统计), for the city office."""
    qs = ReturnNotice.objects.all()
    if year:
        qs = qs.filter(returned_at__year=year)
    rows = (
        qs.values("unit__name", "reasons__label")
        .annotate(count=Count("id"))
        .order_by("unit__name", "-count", "reasons__label")
    )
    return list(rows)


def public_documents() -> QuerySet[Document]:
    """What the public may see: 主动公开, cleared by confidentiality review, published (D7)."""
    now = timezone.now()
    return Document.objects.filter(
        Q(status=Status.PUBLISHED) | Q(status=Status.SCHEDULED, publish_at__lte=now),
        attribute=DisclosureAttribute.PROACTIVE,
        confidentiality_cleared_at__isnull=False,
    )


def public_document(pk: int) -> Document:
    return (
        public_documents()
        .select_related("issuer", "issued_by", "publisher", "repealed_by")
        .prefetch_related("co_issuers", Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at")))
        .get(pk=pk)
    )


def can_see_city_reports(user) -> bool:
    return is_city_office_staff(user)


def document_counts_for_annual_report(*, unit_ids: list[int], year: int) -> dict[str, dict[str, int]]:
    """Table 二, 第二十条第(一)项 of the annual report (A6), per classification, in one query.

    {"regulation"|"normative": {"issued": 本年制发件数, "repealed": 本年废止件数, "in_force": 现行有效件数}}.
    A document counts for the body it was issued by (发文机构, D8) once it is public; 制发 by `issued_on`
    in the year; 废止 and 失效 by the date the validity service recorded (`validity_changed_on`) in the
    year; 现行有效 = made by 31 December and not repealed or expired by then.
    """
    from datetime import date

    from .models import DocumentClass, PUBLIC_STATUSES, Validity

    start, end = date(year, 1, 1), date(year, 12, 31)
    ended = Q(validity__in=[Validity.REPEALED, Validity.EXPIRED])
    rows = (
        Document.objects.filter(
            Q(issued_by_id__in=unit_ids) | Q(issued_by__isnull=True, issuer_id__in=unit_ids),
            classification__in=[DocumentClass.REGULATION, DocumentClass.NORMATIVE],
            status__in=[*PUBLIC_STATUSES, Status.WITHDRAWN], issued_on__isnull=False,
        )
        .values("classification")
        .annotate(
            issued=Count("pk", filter=Q(issued_on__range=(start, end))),
            repealed=Count("pk", filter=ended & Q(validity_changed_on__range=(start, end))),
            in_force=Count("pk", filter=Q(issued_on__lte=end) & (~ended | Q(validity_changed_on__gt=end))),
        )
    )
    counts = {c: {"issued": 0, "repealed": 0, "in_force": 0}
              for c in (DocumentClass.REGULATION.value, DocumentClass.NORMATIVE.value)}
    for row in rows:
        counts[row["classification"]] = {k: row[k] for k in ("issued", "repealed", "in_force")}
    return counts
