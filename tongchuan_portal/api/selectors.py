"""What the open-data API may return (W3): built on each app's *public* selectors, never on raw models.

Nothing unpublished, withdrawn or personal is reachable: every queryset below starts from the selector
the public pages use, and the serializers name their fields one by one (no `__all__`).
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from tongchuan_portal.units.models import Unit, UnitKind
from tongchuan_portal.units.selectors import unit_scope_ids


def units_public() -> QuerySet[Unit]:
    return Unit.objects.filter(is_active=True).exclude(kind=UnitKind.PARTY_ORGAN).select_related("parent")


def scope_for(code: str) -> list[int] | None:
    """A unit code's scope (the unit and the units below it); [] for an unknown code (matches nothing)."""
    if not code:
        return None
    unit = Unit.objects.filter(code=code[:40], is_active=True).first()
    return unit_scope_ids(unit) if unit else []


def documents_public(*, units=None) -> QuerySet:
    from disclosure.models import Attachment
    from disclosure.selectors import public_documents

    return (public_documents(units=units).select_related("issuer", "issued_by", "publisher")
            .defer("search_vector", "search_title")
            .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "pk"))))


def attachments_public() -> QuerySet:
    from disclosure.models import Attachment
    from disclosure.selectors import public_documents

    return Attachment.objects.filter(document__in=public_documents()).select_related("document")


def interpretations_public(*, units=None) -> QuerySet:
    from interpretation.selectors import interpretations_public as public

    qs = public().select_related("document", "unit", "expert")
    return qs.filter(unit_id__in=units) if units is not None else qs


def comment_periods_public(*, units=None) -> QuerySet:
    """Comment periods of published decision drafts (M2), with the adoption report once published (M3)."""
    from django.utils import timezone

    from participation.models import CommentPeriod, OpinionGroup
    from participation.selectors import PUBLIC_DRAFT_STATUSES

    qs = (CommentPeriod.objects.filter(draft__status__in=PUBLIC_DRAFT_STATUSES, draft__published_at__lte=timezone.now())
          .select_related("draft", "draft__unit")
          .prefetch_related(Prefetch("groups", queryset=OpinionGroup.objects.order_by("pk"))))
    return qs.filter(draft__unit_id__in=units) if units is not None else qs


def meetings_public(*, units=None) -> QuerySet:
    from participation.models import Meeting, MeetingStatus

    qs = Meeting.objects.filter(status__in=[MeetingStatus.ANNOUNCED, MeetingStatus.HELD]).select_related("unit")
    return qs.filter(unit_id__in=units) if units is not None else qs


def releases_public(*, units=None) -> QuerySet:
    from opinion.selectors import ColumnFilters, releases_public as public

    return public(ColumnFilters(units=units))


def catalogs_public(*, units=None) -> QuerySet:
    from disclosure.models import Catalog, CatalogEntry
    from disclosure.selectors import public_documents

    qs = (Catalog.objects.filter(published_at__isnull=False).select_related("unit")
          .prefetch_related(Prefetch("entries", queryset=CatalogEntry.objects.order_by("area", "pk").prefetch_related(
              Prefetch("documents", queryset=public_documents().only("id"), to_attr="public_items")))))
    return qs.filter(unit_id__in=units) if units is not None else qs


def keyword(qs: QuerySet, fields: tuple[str, ...], text: str) -> QuerySet:
    """Every word in any of the fields (the other columns' search, as on their pages)."""
    for word in [w for w in text.split() if w][:5]:
        condition = Q()
        for name in fields:
            condition |= Q(**{f"{name}__icontains": word})
        qs = qs.filter(condition)
    return qs


def annual_reports_public(*, units=None, year: int | None = None, with_data: bool = False) -> QuerySet:
    """Published annual reports (A6, D7) from the 年报 list's own selector, with their published versions.

    `published_reports` admits only reports with a published version (hence approved and 保密审查 cleared);
    a report being corrected keeps its last published version public, as on its page. The list loads the
    versions without their frozen data; the detail loads them as the report page does (`public_report`).
    """
    from disclosure.annual_report.models import ReportSnapshot
    from disclosure.annual_report.selectors import latest_snapshot_prefetch, published_reports

    qs = published_reports(year=year)
    if units is not None:
        qs = qs.filter(unit_id__in=units)
    if with_data:
        return qs.prefetch_related(latest_snapshot_prefetch())
    versions = ReportSnapshot.objects.only("id", "report_id", "version", "taken_at", "reason").order_by("-version")
    return qs.prefetch_related(Prefetch("snapshots", queryset=versions, to_attr="versions"))
