"""督办 by the city office, and the audit of who opened an applicant's personal data."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tongchuan_portal.notifications.recipients import role_holders
from tongchuan_portal.notifications.services import notify_event

from .. import permissions
from ..models import Application, PersonalDataView, StepKind
from ..permissions import READER_ROLES
from .common import deny, lock, save, staff_url, step
from .intake import _text


@transaction.atomic
def application_supervise(*, application: Application, note: str, by: User) -> Application:
    """督办: the city office marks an application for supervision with a note; the unit is told."""
    if not permissions.can_supervise(by):
        deny()
    application = lock(application)
    note = _text(note, field="note", label="督办意见", max_chars=300)
    if not application.is_open:
        raise ValidationError("该申请已答复,无需督办。")
    application.supervised_at, application.supervision_note = timezone.now(), note
    save(application, by=by, reason=f"市政府办公室督办:{note}", fields=["supervised_at", "supervision_note"])
    step(application, StepKind.SUPERVISED, by=by, text=f"市政府办公室督办:{note}", public=False)
    notify_event(f"applications.supervised:{application.pk}:{application.supervised_at.timestamp():.0f}",
                 role_holders(application.unit_id, *READER_ROLES), title=f"【督办】政府信息公开申请 {application.number}",
                 body=note, url=staff_url(application), by=by, level="escalation")
    return application


def personal_data_viewed(*, application: Application, by: User) -> None:
    """Each opening of the applicant's full data is recorded (the audit trail)."""
    PersonalDataView.objects.create(application=application, viewer=by)
