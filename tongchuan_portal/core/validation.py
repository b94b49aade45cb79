"""Bounds on every date and moment a person enters (hardening, issue 11).

A date such as 0001-01-01 is a valid Python date, but Beijing's historic +08:05:43 offset turns its
midnight into a UTC moment before year 1, which the database stores and Python can then not read
back: every page showing the row fails. No legal time limit of this portal reaches before 2000 (the
first year of the working-day calendar, `clock.workdays.FIRST_YEAR`) or more than a few years past
the last calendar year, so anything outside that is a typing mistake.

The services call `bounded_date` / `bounded_moment` (so the admin, tasks and the shell obey the same
bounds); the forms use `BoundedDateField` / `BoundedDateTimeField`, so the person sees the message next
to what they typed.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

FIRST_YEAR = 2000
YEARS_AFTER_CALENDAR = 5
BEIJING = ZoneInfo("Asia/Shanghai")


def last_year() -> int:
    """The last year a person may enter: a few years past the calendar's last year (or this year)."""
    from tongchuan_portal.clock.models import CalendarYear

    latest = CalendarYear.objects.order_by("-year").values_list("year", flat=True).first() or 0
    return max(latest, timezone.localdate().year) + YEARS_AFTER_CALENDAR


def _message(label: str, upper: int) -> str:
    return f"{label}应在{FIRST_YEAR}年1月1日至{upper}年12月31日之间,请检查年份。"


def _error(field: str | None, message: str) -> ValidationError:
    return ValidationError({field: message} if field else message, code="out_of_range")


def out_of_range(value: date | datetime | None, *, label: str = "日期") -> str:
    """The message if `value` lies outside the bounds, else "" — for validators that collect errors."""
    try:
        bounded_date(value, label=label)
    except ValidationError as error:
        return error.messages[0]
    return ""


def bounded_date(value: date | None, *, field: str | None = None, label: str = "日期") -> date | None:
    """`value` unchanged if it lies between 2000-01-01 and the end of `last_year()`; None passes."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return bounded_moment(value, field=field, label=label)
    upper = last_year()
    if not FIRST_YEAR <= value.year <= upper:
        raise _error(field, _message(label, upper))
    return value


def bounded_moment(value: datetime | None, *, field: str | None = None, label: str = "时间") -> datetime | None:
    """The same bounds for a moment, judged by its Beijing calendar date; None passes.

    The year is checked before any conversion: converting a year-1 moment to another zone overflows."""
    if value is None:
        return None
    upper = last_year()
    if not FIRST_YEAR - 1 <= value.year <= upper + 1:
        raise _error(field, _message(label, upper))
    local = value.astimezone(BEIJING) if timezone.is_aware(value) else value
    if not FIRST_YEAR <= local.year <= upper:
        raise _error(field, _message(label, upper))
    return value


def bounded_year(value: int, *, field: str | None = None, label: str = "年份") -> int:
    """A calendar year from 2000 to a few years past this one. Not `last_year()`: the calendar years
    themselves are what it is computed from."""
    upper = timezone.localdate().year + YEARS_AFTER_CALENDAR
    if not FIRST_YEAR <= value <= upper:
        raise _error(field, f"{label}应在{FIRST_YEAR}年至{upper}年之间。")
    return value


class BoundedDateField(forms.DateField):
    """A date field that refuses dates outside the portal's range, keeping what was typed."""

    def clean(self, value):
        cleaned = super().clean(value)
        bounded_date(cleaned)
        return cleaned


class BoundedDateTimeField(forms.DateTimeField):
    """A date-and-time field with the same bounds (judged in Beijing time)."""

    def clean(self, value):
        cleaned = super().clean(value)
        bounded_moment(cleaned)
        return cleaned
