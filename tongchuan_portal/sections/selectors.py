"""Reads for a unit's section (W1): the city's own public selectors, narrowed to the unit's scope.

A section is not a copy of the columns: each list comes from the same selector the city-wide page
uses, with the unit and the units below it as its scope, so a district's home shows its departments'
items and never another district's. Constant queries at any size.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from tongchuan_portal.units.models import Unit, UnitKind
from tongchuan_portal.units.selectors import unit_scope_ids, unit_trail

LATEST = 8


@dataclass
class SectionHome:
    unit: Unit
    trail: list[Unit]
    scope: list[int]
    departments: list[Unit]
    documents: list = field(default_factory=list)
    interpretations: list = field(default_factory=list)
    drafts: list = field(default_factory=list)
    releases: list = field(default_factory=list)
    has_guide: bool = False


def departments_of(unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(parent=unit, is_active=True).only("id", "code", "name", "short_name", "kind",
                                                                  "sort_order", "parent_id")


def section_home(unit: Unit) -> SectionHome:
    """The section's home: its latest items in every column, its departments, its trail — nine queries."""
    from disclosure.selectors import LIST_FIELDS
    from disclosure.selectors import public_documents
    from interpretation.selectors import column as interpretation_column
    from opinion.selectors import ColumnFilters, releases_public
    from participation.selectors import draft_list_public

    scope = unit_scope_ids(unit)
    home = SectionHome(unit=unit, trail=unit_trail(unit), scope=scope, departments=list(departments_of(unit)))
    home.documents = list(public_documents(units=scope).select_related("issuer", "issued_by").only(*LIST_FIELDS)
                          .order_by("-published_at", "-pk")[:LATEST])
    home.interpretations = list(interpretation_column(units=scope)[:5])
    open_, closed = draft_list_public(units=scope)
    home.drafts = (open_ + closed)[:5]
    home.releases = list(releases_public(ColumnFilters(units=scope))[:5])
    home.has_guide = has_guide(unit)
    return home


def has_guide(unit: Unit) -> bool:
    from disclosure.models import DisclosureGuide

    return DisclosureGuide.objects.filter(unit=unit).exists()


def section_units() -> list[Unit]:
    """Every unit with a section, for the 订阅 page and the directory: one query."""
    return list(Unit.objects.filter(is_active=True).exclude(kind=UnitKind.PARTY_ORGAN)
                .only("id", "code", "name", "short_name", "kind", "sort_order", "parent_id"))
