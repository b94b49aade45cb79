"""Reads across rows for the interpretation pages, each in a constant number of queries.

What the public may see is defined once, here, on top of
`disclosure.selectors.public_documents()`: an interpretation is public only while
its document is (I4, I8) — withdraw the document and its interpretations vanish
from every page, feed and search at once.
"""

from collections import defaultdict

from django.db.models import Count, F, Prefetch, Q, QuerySet

from disclosure.models import Document, Status as DocumentStatus
from disclosure.permissions import CITY_BOUND
from disclosure.selectors import public_documents
from tongchuan_portal.clock.selectors import open_deadlines_prefetch
from tongchuan_portal.units.models import Role, SpecialUnit, Unit
from tongchuan_portal.units.permissions import units_with_role
from tongchuan_portal.core.periods import year_span

from . import permissions
from .models import Expert, Interpretation, InterpretationPlan, QAPair, Reprint, ReprintStatus, Status

ORDERED_PAIRS = Prefetch("qa_pairs", queryset=QAPair.objects.order_by("position"))


# --- public -------------------------------------------------------------------------------------------


def interpretations_public() -> QuerySet[Interpretation]:
    """Public interpretations: released, of a public document. An interpretation approved for release
    with a scheduled document is public from the document's moment, like the document (I8)."""
    return Interpretation.objects.filter(
        Q(status=Status.PUBLISHED) | Q(status=Status.APPROVED, document__status=DocumentStatus.SCHEDULED),
        document__in=public_documents(),
    )


def _newest_first(qs: QuerySet[Interpretation]) -> QuerySet[Interpretation]:
    # Approved materials of a scheduled document have no moment of their own yet: they are the newest.
    return qs.order_by(F("published_at").desc(nulls_first=True), "-pk")


def interpretations_for_documents(document_ids) -> dict[int, list[Interpretation]]:
    """{document id: its public interpretations in order (I9)}, in one query for any number of documents."""
    result: dict[int, list[Interpretation]] = defaultdict(list)
    rows = interpretations_public().filter(document_id__in=list(document_ids)).select_related("document")
    for row in rows.order_by("document_id", F("round").asc(nulls_last=True), "pk"):
        result[row.document_id].append(row)
    return dict(result)


def documents_with_public_interpretations() -> frozenset[int]:
    """The documents that have released interpretations: read once per public content version (every
    release and withdrawal moves it), so a document page without any asks nothing more."""
    from disclosure.pagecache import remember

    return remember("interpreted-documents", lambda: frozenset(
        interpretations_public().order_by().values_list("document_id", flat=True).distinct()))


def interpretations_of_public_document(document) -> list[Interpretation]:
    """The released interpretations of a document already known to be public (I9), for its public page.

    One index-only-cost query (`interp_document_idx`) with no join: the document's own status decides
    whether approved materials of a scheduled document count (I8), and the document is attached, so
    `release_at` reads no further row.
    """
    if document.pk not in documents_with_public_interpretations():
        return []
    statuses = [Status.PUBLISHED] + ([Status.APPROVED] if document.status == DocumentStatus.SCHEDULED else [])
    rows = list(
        Interpretation.objects.filter(document_id=document.pk, status__in=statuses)
        .only("id", "document_id", "kind", "title", "round", "published_at")
        .order_by(F("round").asc(nulls_last=True), "pk")
    )
    for row in rows:
        row.document = document
    return rows


def column(*, kind: str = "", unit_id: int | None = None, year: int | None = None,
           query: str = "", units=None) -> QuerySet[Interpretation]:
    """The 政策解读 column: by form, unit and year, newest first; `units` scopes it to a unit section (W1)."""
    qs = interpretations_public()
    if units is not None:
        qs = qs.filter(unit_id__in=list(units))
    if kind:
        qs = qs.filter(kind=kind)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if year:
        start, end = year_span(year)
        qs = qs.filter(Q(published_at__gte=start, published_at__lt=end)
                       | Q(published_at__isnull=True, document__published_at__gte=start,
                           document__published_at__lt=end))
    if query:
        qs = _matching(qs, query)
    return _newest_first(qs.select_related("document", "unit", "expert"))


def _matching(qs: QuerySet[Interpretation], query: str) -> QuerySet[Interpretation]:
    words = [w for w in query.split() if w][:5]
    for word in words:
        qs = qs.filter(Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
                       | Q(transcript__icontains=word) | Q(document__title__icontains=word))
    return qs


def search_public(query: str) -> QuerySet[Interpretation]:
    """For the site search: public interpretations matching every word of `query`."""
    if not query or not query.strip():
        return Interpretation.objects.none()
    return _newest_first(_matching(interpretations_public(), query.strip()).select_related("document", "unit"))


def column_units() -> QuerySet[Unit]:
    return Unit.objects.filter(pk__in=interpretations_public().values("unit_id")).order_by("sort_order", "code")


def interpretation_public(pk: int) -> Interpretation:
    """One public interpretation with what its page shows; DoesNotExist when not public."""
    return (
        interpretations_public()
        .select_related("document", "document__issuer", "document__issued_by", "unit", "contributor", "expert")
        .prefetch_related(ORDERED_PAIRS)
        .get(pk=pk)
    )


def siblings_public(interpretation: Interpretation) -> list[Interpretation]:
    """The document's other public interpretations, in order (I9)."""
    return list(interpretations_public().filter(document_id=interpretation.document_id)
                .exclude(pk=interpretation.pk).order_by(F("round").asc(nulls_last=True), "pk"))


def reprints_public() -> QuerySet[Reprint]:
    return Reprint.objects.filter(status=ReprintStatus.PUBLISHED).select_related("unit").order_by(
        "-published_at", "-pk")


def reprint_public(pk: int) -> Reprint:
    return reprints_public().prefetch_related("notes").get(pk=pk)


def experts_public() -> QuerySet[Expert]:
    return Expert.objects.filter(is_active=True).order_by("sector", "name", "pk")


def is_public(interpretation: Interpretation) -> bool:
    return interpretations_public().filter(pk=interpretation.pk).exists()


# --- staff ------------------------------------------------------------------------------------------


def documents_for_user(user) -> QuerySet[Document]:
    """政策解读办理: the documents of the user's units (as issuer or co-issuer) that are policy documents
    or already have a plan, with their plan and material counts, newest first."""
    units = units_with_role(user)
    return (
        Document.objects.filter(Q(issuer__in=units) | Q(co_issuers__in=units))
        .filter(Q(kind__in=["policy", "city_policy_draft"]) | Q(interpretation_plan__isnull=False))
        .exclude(status=DocumentStatus.WITHDRAWN)
        .distinct()
        .select_related("issuer", "interpretation_plan")
        .annotate(material_count=Count("interpretations", distinct=True),
                  published_count=Count("interpretations", filter=Q(interpretations__status=Status.PUBLISHED),
                                        distinct=True))
        .order_by("-updated_at", "-pk")
    )


def plans_to_prepare(user) -> QuerySet[Document]:
    """The clerk's 解读 to-do: policy documents of the user's units (as clerk) still being drafted or revised,
    to be published proactively, whose plan is missing, or neither approved nor sent to the head (I5, I10)."""
    return (
        Document.objects.filter(issuer__in=units_with_role(user, Role.Code.CLERK),
                                kind__in=["policy", "city_policy_draft"], attribute="proactive",
                                status__in=permissions.PREPARING)
        .exclude(interpretation_plan__status="approved")
        .exclude(interpretation_plan__approval_requested_at__isnull=False)
    )


def plans_awaiting_approval(user) -> QuerySet[InterpretationPlan]:
    """Plans of the user's units (as unit head) still in drafting: the head's 审定 queue."""
    return (
        InterpretationPlan.objects.filter(unit__in=units_with_role(user, Role.Code.UNIT_HEAD),
                                          status="draft", document__status__in=permissions.OPEN_FOR_WORK)
        .select_related("document").order_by("updated_at", "pk")
    )


def follow_ups_awaiting_release(user) -> QuerySet[Document]:
    """Public documents with approved, unreleased follow-ups for the user's confidentiality review (D7, I9)."""
    units = units_with_role(user, Role.Code.CONFIDENTIALITY_REVIEWER)
    condition = ~CITY_BOUND & Q(issuer__in=units)
    if units.filter(special=SpecialUnit.CITY_OFFICE).exists():
        condition |= CITY_BOUND
    waiting = Interpretation.objects.filter(status=Status.APPROVED).values("document_id")
    return (
        public_documents().filter(condition, pk__in=waiting, status=DocumentStatus.PUBLISHED)
        .select_related("issuer").order_by("published_at", "pk")
    )


def document_for_staff(user, pk: int) -> Document:
    """The document with its plan and materials, for staff of its units (or the city office reviewing
    it); DoesNotExist — a 404 — for everyone else."""
    from disclosure.permissions import visible_to as documents_visible_to

    visible = Q(pk__in=documents_visible_to(user).values("pk")) | Q(
        interpretation_plan__in=permissions.plans_visible_to(user).values("pk"))
    return (
        Document.objects.filter(visible)
        .select_related("issuer", "interpretation_plan", "interpretation_plan__approved_by",
                        "interpretation_plan__unit")
        .prefetch_related(
            "co_issuers",
            Prefetch("interpretations", queryset=Interpretation.objects.select_related(
                "contributor", "approved_by", "expert").prefetch_related(ORDERED_PAIRS)
                .order_by(F("round").asc(nulls_last=True), "pk")),
            open_deadlines_prefetch("interpretation_plan__deadlines"),
        )
        .get(pk=pk)
    )


def experts_for_staff() -> QuerySet[Expert]:
    return Expert.objects.select_related("unit").annotate(used=Count("interpretations")).order_by(
        "sector", "name", "pk")


def reprints_for_user(user) -> QuerySet[Reprint]:
    return permissions.reprints_visible_to(user).select_related("unit").order_by("-updated_at", "-pk")


def reprint_for_staff(user, pk: int) -> Reprint:
    return permissions.reprints_visible_to(user).select_related("unit", "published_by").prefetch_related(
        "notes").get(pk=pk)
