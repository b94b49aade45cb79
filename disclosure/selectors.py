"""Reads across rows for the disclosure pages, each in a constant number of queries: the staff workspace's
queues, and the public 政府信息公开 column (D8–D12, D14, W4) with keyset pagination (no COUNT(*), no deep OFFSET)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone as dt_timezone

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import get_urlconf
from django.utils import timezone

from tongchuan_portal.clock.formatting import fmt
from tongchuan_portal.clock.selectors import open_deadlines_prefetch
from tongchuan_portal.core.cached_urls import CachedURLs
from tongchuan_portal.core import params as query_params
from tongchuan_portal.units.directory import FIRST_BATCH_CATALOG_CODES
from tongchuan_portal.units.models import Role, SpecialUnit, Unit, UnitKind
from tongchuan_portal.units.permissions import holds_role, unit_ids_with_role
from tongchuan_portal.units.selectors import attach_units, city_departments
from tongchuan_portal.core.periods import year_span

from .models import (
    AnnualPriority, AnnualReport, Attachment, Catalog, CatalogEntry, ConfidentialityReview, DisclosureAttribute,
    DisclosureGuide, Document, FiveDisclosure, ReturnNotice, SealReview, SelfCheck, Status, Topic, Validity,
)
from . import pagecache
from .permissions import CITY_BOUND, visible_to

# --- the staff workspace -----------------------------------------------------------------------


# Staff lists never show these; the search vectors alone are kilobytes a row.
LIST_DEFERRED = ("body", "attribute_reason", "search_vector", "search_title")


def documents_for_user(user, *, status: str = "") -> QuerySet[Document]:
    """我的公文: the user's units' documents and joint drafts shared with them, newest first."""
    units = unit_ids_with_role(user)
    shared = Document.co_issuers.through.objects.filter(unit_id__in=units).values("document_id")
    qs = visible_to(user).filter(Q(issuer_id__in=units) | Q(pk__in=shared))  # no join, so no DISTINCT
    if status:
        qs = qs.filter(status=status)
    return (qs.select_related("issuer").defer(*LIST_DEFERRED).prefetch_related(open_deadlines_prefetch())
            .order_by("-updated_at", "-pk"))


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
            open_deadlines_prefetch(),
        )
        .get(pk=pk)
    )


def review_queue(user) -> QuerySet[Document]:
    """Submissions the user may accept or return, oldest first, with their clocks (D5)."""
    condition = Q(pk__in=[])
    if holds_role(user, Role.Code.CITY_OFFICE_REVIEWER, special=SpecialUnit.CITY_OFFICE):
        condition |= CITY_BOUND
    condition |= ~CITY_BOUND & Q(issuer_id__in=unit_ids_with_role(user, Role.Code.UNIT_HEAD))
    return (
        Document.objects.filter(condition, status=Status.SUBMITTED)
        .select_related("issuer").defer(*LIST_DEFERRED)
        .prefetch_related(open_deadlines_prefetch(), Prefetch("returns", queryset=ReturnNotice.objects.only("id", "document_id")))
        .order_by("submitted_at", "pk")
    )


def seal_review_queue(user) -> QuerySet[SealReview]:
    """Pending requests for the user's own unit's transparency office (D3), oldest first."""
    return (
        SealReview.objects.filter(decision=SealReview.Decision.PENDING,
                                  unit_id__in=unit_ids_with_role(user, Role.Code.TRANSPARENCY_OFFICE))
        .select_related("document", "document__issuer", "requested_by")
        .prefetch_related(open_deadlines_prefetch("document__deadlines"))
        .order_by("requested_at", "pk")
    )


def confidentiality_queue(user) -> QuerySet[Document]:
    """Items awaiting 保密审查 (D7) by the user's units, oldest first."""
    units = unit_ids_with_role(user, Role.Code.CONFIDENTIALITY_REVIEWER)
    condition = ~CITY_BOUND & Q(issuer_id__in=units)
    if holds_role(user, Role.Code.CONFIDENTIALITY_REVIEWER, special=SpecialUnit.CITY_OFFICE):
        condition |= CITY_BOUND
    return (
        Document.objects.filter(condition, status=Status.CONFIDENTIALITY_REVIEW)
        .select_related("issuer").defer(*LIST_DEFERRED)
        .prefetch_related(open_deadlines_prefetch(), Prefetch("returns", queryset=ReturnNotice.objects.only("id", "document_id")))
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


def public_documents(*, units=None, now=None) -> QuerySet[Document]:
    """What the public may see: 主动公开, cleared by confidentiality review, published (D7).

    `units` narrows it to a unit section (W1): documents its units filed or that were issued in their name.
    `now`: the moment a scheduled document must have reached (the current time unless given).
    """
    now = now or timezone.now()
    qs = Document.objects.filter(
        Q(status=Status.PUBLISHED) | Q(status=Status.SCHEDULED, publish_at__lte=now),
        attribute=DisclosureAttribute.PROACTIVE,
        confidentiality_cleared_at__isnull=False,
    )
    if units is not None:
        units = list(units)
        qs = qs.filter(Q(issuer_id__in=units) | Q(issued_by_id__in=units))
    return qs


def catalog_for_office(unit: Unit) -> Catalog | None:
    """The unit's catalog as its transparency office edits it (entries and their items), published or not."""
    return Catalog.objects.filter(unit=unit).prefetch_related("entries__documents").first()


def latest_self_check(unit: Unit) -> SelfCheck | None:
    """The unit's most recent 年度自查 with its items and who decided them (D12)."""
    return (SelfCheck.objects.filter(unit=unit).select_related("unit")
            .prefetch_related("items__document", "items__decided_by").order_by("-year").first())


# --- the public column -------------------------------------------------------------------------


PAGE_SIZE = 20
LIST_FIELDS = ("id", "title", "number_prefix", "number_year", "number_serial", "published_at", "area", "topic",
               "validity", "issuer_id", "issuer__name", "issuer__short_name", "issuer__code",
               "issued_by_id", "issued_by__name", "issued_by__short_name")


@dataclass
class Filters:
    area: str = ""
    unit: str = ""
    topic: str = ""
    year: int | None = None
    validity: str = ""

    @classmethod
    def from_query(cls, params) -> "Filters":
        return cls(
            area=params.get("area", "") if params.get("area", "") in FiveDisclosure.values else "",
            unit=params.get("unit", "")[:40],
            topic=params.get("topic", "") if params.get("topic", "") in Topic.values else "",
            year=query_params.year(params),
            validity=params.get("validity", "") if params.get("validity", "") in Validity.values else "",
        )

    def apply(self, qs: QuerySet) -> QuerySet:
        if self.area:
            qs = qs.filter(area=self.area)
        if self.unit:
            qs = qs.filter(issuer__code=self.unit)
        if self.topic:
            qs = qs.filter(topic=self.topic)
        if self.year:
            start, end = year_span(self.year)
            qs = qs.filter(published_at__gte=start, published_at__lt=end)
        if self.validity:
            qs = qs.filter(validity=self.validity)
        return qs

    def as_query(self) -> dict:
        return {k: v for k, v in {"area": self.area, "unit": self.unit, "topic": self.topic,
                                  "year": self.year or "", "validity": self.validity}.items() if v}


def encode_cursor(document: Document) -> str:
    return f"{int(document.published_at.timestamp() * 1_000_000)}-{document.pk}"


def decode_cursor(value: str) -> tuple[datetime, int] | None:
    try:
        micros, pk = value.split("-", 1)
        moment = datetime.fromtimestamp(int(micros) / 1_000_000, tz=dt_timezone.utc)
        return moment, int(pk)
    except (ValueError, OverflowError, OSError):
        return None


@dataclass
class ColumnPage:
    documents: list[Document]
    next_cursor: str | None
    prev_cursor: str | None


def column_page(filters: Filters, *, after: str = "", before: str = "", size: int = PAGE_SIZE) -> ColumnPage:
    """One page of the 五公开 column, newest first, by keyset on (published_at, id)."""
    qs = filters.apply(public_documents()).select_related("issuer", "issued_by").only(*LIST_FIELDS)
    after_key, before_key = decode_cursor(after) if after else None, decode_cursor(before) if before else None
    if before_key:
        moment, pk = before_key
        rows = list(qs.filter(Q(published_at__gt=moment) | Q(published_at=moment, pk__gt=pk))
                    .order_by("published_at", "pk")[:size + 1])
        has_more_newer = len(rows) > size
        rows = list(reversed(rows[:size]))
        return ColumnPage(rows, encode_cursor(rows[-1]) if rows else None,
                          encode_cursor(rows[0]) if rows and has_more_newer else None)
    if after_key:
        moment, pk = after_key
        qs = qs.filter(Q(published_at__lt=moment) | Q(published_at=moment, pk__lt=pk))
    rows = list(qs.order_by("-published_at", "-pk")[:size + 1])
    has_more = len(rows) > size
    rows = rows[:size]
    return ColumnPage(rows, encode_cursor(rows[-1]) if rows and has_more else None,
                      encode_cursor(rows[0]) if rows and after_key else None)


def filter_units() -> list[Unit]:
    return list(Unit.objects.filter(is_active=True).exclude(kind=UnitKind.PARTY_ORGAN).only(
        "id", "code", "name", "short_name", "kind", "sort_order"))


# What the public document page shows (D8): only these columns are read, so the page never loads the
# search vectors or the workflow fields; the units it names come from `units_by_id` (no join).
DOCUMENT_PAGE_FIELDS = (
    "title", "body", "status", "area", "topic", "kind", "index_number", "written_on", "published_at", "publish_at",
    "validity", "validity_changed_on", "number_prefix", "number_year", "number_serial", "co_issuer_names",
    "source", "web_editor", "info_reviewer", "view_count", "issuer_id", "issued_by_id", "publisher_id",
    "repealed_by_id", "attribute", "confidentiality_cleared_at",
)


@dataclass(frozen=True)
class RelatedItem:
    """One line of 相关信息: what the list shows, with its address and its date as printed (the list is
    shared by the unit's pages, so these are computed once per public content version)."""

    pk: int
    title: str
    published_at: datetime
    url: str
    published_iso: str = ""
    published_on: str = ""


@dataclass
class DocumentPage:
    """The public document page's rows, and the values its template prints more than once (发文机构,
    文号, the Beijing-time publication moment), computed once: the page is the portal's busiest, and a
    cold render's cost is mostly the template's lookups."""

    document: Document
    attachments: list[Attachment]
    related: list[RelatedItem]
    issuing_name: str = ""
    number: str = ""
    source: str = ""
    published: str = ""
    published_iso: str = ""

    def __post_init__(self):
        document = self.document
        self.issuing_name = document.issuing_body.name
        self.number = document.document_number
        self.source = document.source or self.issuing_name
        self.published = fmt(document.published_at) if document.published_at else "—"
        self.published_iso = document.published_at.isoformat() if document.published_at else ""


RELATED_SHOWN = 5
DOCUMENT_URL = CachedURLs({"document": ("disclosure:public_detail", CachedURLs.ID)})


def related_items(issuer_id: int, area: str) -> list[RelatedItem]:
    """The unit's newest public items in this area (one more than a page shows, so that leaving out
    the page's own still leaves five). Every page of that unit and area shows the same list, so it is
    read once per public content version (`document_related_idx`) and then from the cache."""
    def build():
        rows = (public_documents().filter(area=area, issuer_id=issuer_id)
                .order_by("-published_at", "-pk").values_list("pk", "title", "published_at")[:RELATED_SHOWN + 1])
        url = DOCUMENT_URL.for_urlconf(get_urlconf())["document"]
        return [RelatedItem(pk, title, published_at, url.format(pk), published_at.isoformat(),
                            timezone.localtime(published_at).strftime("%Y-%m-%d"))
                for pk, title, published_at in rows]

    return pagecache.remember(f"related:{issuer_id}:{area}", build)


def document_page(pk: int) -> DocumentPage:
    """The public document, its attachments and up to five related items (D8): one narrow statement
    with no join, and the related list shared by the unit's pages (a second query only for a repealed
    document's successor). The row is read by primary key and judged by `Document.is_public_at`, the
    row form of `public_documents`, so the page plans no predicate over the table's indexes."""
    if connection.vendor == "postgresql":
        document, attachments = _document_page_row(pk)
    else:
        document = Document.objects.only(*DOCUMENT_PAGE_FIELDS).filter(pk=pk).first()
        attachments = list(Attachment.objects.filter(document_id=pk).only(*ATTACHMENT_PAGE_FIELDS)
                           .order_by("uploaded_at", "pk")) if document else []
    if document is None or not document.is_public_at(timezone.now()):
        raise Document.DoesNotExist
    attach_units(document, "issuer", "issued_by", "publisher")
    if document.repealed_by_id:
        document.repealed_by = Document.objects.only(
            "title", "number_prefix", "number_year", "number_serial").get(pk=document.repealed_by_id)
    related = [item for item in related_items(document.issuer_id, document.area) if item.pk != pk][:RELATED_SHOWN]
    return DocumentPage(document, attachments, related)


ATTACHMENT_PAGE_FIELDS = ("id", "original_name", "file_type", "size")
_statements: dict[tuple, tuple[str, list[str]]] = {}


def _page_columns(field_names) -> tuple[str, list[str]]:
    """The SELECT list for these document fields (and the id) in the order `Model.from_db` reads them,
    and their attribute names."""
    wanted = {"id", *(Document._meta.get_field(name).attname for name in field_names)}
    fields = [f for f in Document._meta.concrete_fields if f.attname in wanted]
    return ", ".join("d." + f.column for f in fields), [f.attname for f in fields]


def _statement(key: tuple, write) -> tuple[str, list[str]]:
    """A statement written once per process from the models: compiling a queryset cost the public pages
    more than running it."""
    statement = _statements.get(key)
    if statement is None:
        statement = _statements[key] = write()
    return statement


def _document_page_statement() -> tuple[str, list[str]]:
    """The row's page columns by primary key, and its attachments, in upload order, as one JSON array."""
    def write():
        columns, names = _page_columns(DOCUMENT_PAGE_FIELDS)
        attachment = Attachment._meta
        listed = ", ".join(f"a.{attachment.get_field(name).column}" for name in ATTACHMENT_PAGE_FIELDS)
        return (f"SELECT {columns}, "
                f"(SELECT coalesce(json_agg(json_build_array({listed}) ORDER BY a.uploaded_at, a.id), '[]') "
                f"FROM {attachment.db_table} a WHERE a.document_id = d.id) "
                f"FROM {Document._meta.db_table} d WHERE d.id = %s"), names

    return _statement(("page",), write)


def _document_page_row(pk: int) -> tuple[Document | None, list[Attachment]]:
    sql, names = _document_page_statement()
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    if row is None:
        return None, []
    document = Document.from_db(connection.alias, names, row[:-1])
    attachments = [Attachment.from_db(connection.alias, list(ATTACHMENT_PAGE_FIELDS), values) for values in row[-1]]
    return document, attachments


def documents_by_id(ids: list[int], field_names: tuple[str, ...]) -> dict[int, Document]:
    """These documents by primary key with only `field_names` read (a search page's twenty rows): one
    statement written once per process on PostgreSQL, the ORM elsewhere. Says nothing about visibility:
    the ids come from a read that judged it."""
    if not ids:
        return {}
    if connection.vendor != "postgresql":
        return {d.pk: d for d in Document.objects.filter(pk__in=ids).only(*field_names)}

    def write():
        columns, names = _page_columns(field_names)
        return f"SELECT {columns} FROM {Document._meta.db_table} d WHERE d.id = ANY(%s)", names

    sql, names = _statement(("by-id", *field_names), write)
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(ids)])
        rows = cursor.fetchall()
    return {document.pk: document for document in (Document.from_db(connection.alias, names, row) for row in rows)}


# --- D10 catalogs ----------------------------------------------------------------------------------

FIRST_BATCH_DUE = date(2017, 12, 31)
OTHERS_DUE = date(2018, 12, 31)


@dataclass
class CatalogStatus:
    unit: Unit
    due: date
    published_on: date | None
    first_batch: bool

    @property
    def state(self) -> str:
        if self.published_on is None:
            return "missing_overdue" if timezone.localdate() > self.due else "missing"
        return "late" if self.published_on > self.due else "on_time"

    @property
    def label(self) -> str:
        return {"missing_overdue": "逾期未公布", "missing": "尚未公布", "late": "逾期公布", "on_time": "按时公布"}[
            self.state]


def catalog_overview() -> list[CatalogStatus]:
    """Every city department against the seed's due dates (D10): two queries."""
    units = list(city_departments().order_by("sort_order"))
    published = dict(Catalog.objects.filter(published_at__isnull=False).values_list("unit_id", "published_at"))
    result = []
    for unit in units:
        first = unit.code in FIRST_BATCH_CATALOG_CODES
        moment = published.get(unit.pk)
        result.append(CatalogStatus(unit, FIRST_BATCH_DUE if first else OTHERS_DUE,
                                    timezone.localtime(moment).date() if moment else None, first))
    return result


def unit_catalog(code: str):
    """A unit's published catalog with entries and their public items, and its latest self-check."""
    unit = Unit.objects.get(code=code, is_active=True)
    catalog = (
        Catalog.objects.filter(unit=unit, published_at__isnull=False)
        .prefetch_related(Prefetch("entries", queryset=CatalogEntry.objects.prefetch_related(
            Prefetch("documents", queryset=public_documents().only("id", "title", "published_at")
                     .order_by("-published_at"), to_attr="public_items"))))
        .first()
    )
    check = (SelfCheck.objects.filter(unit=unit, completed_at__isnull=False).prefetch_related("items__document")
             .order_by("-year").first())
    return unit, catalog, check


def priorities_by_year(year: int | None = None):
    qs = AnnualPriority.objects.filter(published_at__isnull=False).select_related("unit")
    years = sorted(set(qs.values_list("year", flat=True)), reverse=True)
    year = year or (years[0] if years else timezone.localdate().year)
    rows = list(qs.filter(year=year).order_by("unit__sort_order"))
    return year, years, rows


def annual_reports(*, units=None):
    """The 年报 list; `units` narrows it to a unit section (W1)."""
    qs = AnnualReport.objects.select_related("unit", "document")
    if units is not None:
        qs = qs.filter(unit_id__in=list(units))
    return list(qs.order_by("-year", "unit__sort_order"))


def guide_page(code: str | None = None) -> tuple[DisclosureGuide, list[DisclosureGuide]]:
    """A unit's 政府信息公开指南 (the city office's without a code) and the other units' guides to link to."""
    guides = DisclosureGuide.objects.select_related("unit")
    unit_guide = guides.get(unit__code=code) if code else guides.get(unit__special=SpecialUnit.CITY_OFFICE)
    others = list(guides.exclude(pk=unit_guide.pk).order_by("unit__sort_order").only("unit__code", "unit__name"))
    return unit_guide, others


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
