"""Applications for tests.

`application_in_state` writes a row directly in a given state with given dates (for the annual report's counts,
which read only the stored columns); the workflow tests use `submit` and the real services instead.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, time

from django.utils import timezone

from disclosure.applications.models import (
    Application, ApplicantType, Carrier, Channel, Delivery, Fee, FeeMethod, IdType, OrganisationKind, Status,
)
from disclosure.applications.outcomes import ApplicantColumn, Outcome
from tongchuan_portal.clock.workdays import BEIJING

_serial = itertools.count(900_000)

PERSON = dict(applicant_type=ApplicantType.PERSON, name="张三", id_type=IdType.RESIDENT_ID,
              id_number="11010519491231002X", phone="13800000000", address="铜川市新区正阳路1号", postcode="727100",
              email="zhangsan@example.com")
ORGANISATION = dict(applicant_type=ApplicantType.ORGANISATION, organisation_kind=OrganisationKind.BUSINESS,
                    name="铜川市某某商贸有限公司", credit_code="91350100M000100Y43", legal_representative="李四",
                    contact_person="王五", phone="13900000000")


def application_in_state(*, unit, status: str | None = None, received_on: date | None = None,
                         replied_on: date | None = None, outcome: str = "",
                         applicant_column: str = ApplicantColumn.NATURAL_PERSON, **fields) -> Application:
    """An application written directly (no services, no clocks): the annual report's test rows.

    `status` defaults from the dates: replied when `replied_on` is given, 办理中 when received, else 待确认.
    """
    if status is None:
        status = Status.REPLIED if replied_on else (Status.PROCESSING if received_on else Status.SUBMITTED)
    if status == Status.REPLIED and not outcome:
        outcome = Outcome.DISCLOSED
    person = applicant_column == ApplicantColumn.NATURAL_PERSON
    values = dict(PERSON if person else {**ORGANISATION, "organisation_kind": applicant_column})
    serial = next(_serial)
    moment = datetime.combine(received_on or date(2026, 1, 5), time(9), tzinfo=BEIJING)
    values.update(
        number=f"YSQ-{moment.year}-{serial:06d}", query_code_hash="0" * 64, unit=unit, channel=Channel.ONLINE,
        applicant_column=applicant_column, description="申请公开某项政府信息", carrier=Carrier.ELECTRONIC,
        delivery=Delivery.EMAIL, status=status, submitted_at=moment, received_on=received_on,
        confirmed_at=moment if received_on else None, replied_on=replied_on, outcome=outcome,
        replied_at=datetime.combine(replied_on, time(16), tzinfo=BEIJING) if replied_on else None,
    )
    values.update(fields)
    row = Application(**values)
    row._change_reason = "测试数据"
    row.save()
    return row


def fee_paid(application: Application, *, amount, paid_on: date | None) -> Fee:
    """A fee record on `application` (paid on `paid_on`, or unpaid when None)."""
    row = Fee(application=application, method=FeeMethod.PER_VOLUME, count=40, amount=amount,
              arithmetic="测试数据", notified_at=timezone.now(), paid_on=paid_on)
    row.save()
    return row
