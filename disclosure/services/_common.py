"""What every disclosure service shares: the row lock, the clocks on a document, the city office."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib.auth.models import User
from django.utils import timezone

from tongchuan_portal.clock.models import DeadlineState
from tongchuan_portal.clock.selectors import deadline_of
from tongchuan_portal.clock.services import deadline_cancel, deadline_meet, deadline_start
from tongchuan_portal.clock.workdays import BEIJING
from tongchuan_portal.units.models import SpecialUnit, Unit
from tongchuan_portal.units.selectors import special_unit

from .. import deadlines
from ..models import Document, DocumentClass


DOCUMENT_FIELDS = [
    "title", "body", "issued_in_name_of", "kind", "area", "topic", "written_on", "attribute", "legal_basis",
    "attribute_reason", "source", "web_editor", "info_reviewer", "classification", "issued_on",
]
DATE_FIELDS = {"written_on", "issued_on"}


def field_value(key: str, value):
    """A form's empty value as the model holds it: dates None, the classification 其他文件 (A6), text ''."""
    if key in DATE_FIELDS:
        return value or None
    if key == "classification":
        return value or DocumentClass.OTHER
    return value or ""


def lock(document: Document) -> Document:
    """The document again, locked for the rest of the transaction (one writer moves it at a time)."""
    return Document.objects.select_for_update().get(pk=document.pk)


def start_clock(rule: str, document: Document, unit: Unit, *, by: User, at: datetime | None = None,
                subject: str = "") -> None:
    """Start ``rule``'s clock on the document unless one is already running (or paused)."""
    if deadline_of(document, rule, states=(DeadlineState.RUNNING, DeadlineState.PAUSED)) is None:
        deadline_start(rule=rule, target=document, unit=unit, subject=subject or f"《{document.title}》", by=by,
                       started_at=at)


def meet_clock(rule: str, document: Document, *, by: User, note: str = "") -> None:
    """The step the clock guards is done: its open (or missed) deadline is met."""
    deadline = deadline_of(document, rule)
    if deadline is not None:
        deadline_meet(deadline=deadline, by=by, note=note)


def cancel_clock(rule: str, document: Document, *, by: User, reason: str) -> None:
    """The step no longer applies: its open (or missed) deadline is cancelled with the reason."""
    deadline = deadline_of(document, rule)
    if deadline is not None:
        deadline_cancel(deadline=deadline, reason=reason, by=by)


def city_office() -> Unit:
    """市政府办公室, which reviews and clears city-bound documents."""
    return special_unit(SpecialUnit.CITY_OFFICE)


def start_publication_clock(document: Document, *, by: User, formed_at: datetime | None = None) -> None:
    """D13: 主动公开 information is published within 20 working days of being formed (成文) or changed."""
    if formed_at is None:
        formed_on = document.written_on or timezone.localdate()
        formed_at = datetime.combine(formed_on, time(12, 0), tzinfo=BEIJING)
    start_clock(deadlines.PUBLISH_WITHIN_20, document, document.issuer, by=by, at=formed_at,
                subject=f"《{document.title}》主动公开")
