"""Bounds on the dates and moments people enter (hardening, issue 11: a year-1 date broke every page
showing it)."""

from datetime import date, datetime, timezone as dt_timezone
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from tongchuan_portal.clock.models import CalendarYear
from tongchuan_portal.core.validation import (
    BoundedDateField,
    BoundedDateTimeField,
    bounded_date,
    bounded_moment,
    last_year,
    out_of_range,
)

BEIJING = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def test_hardening_last_year_follows_the_calendar_or_this_year():
    assert last_year() >= timezone.localdate().year + 5
    CalendarYear.objects.create(year=timezone.localdate().year + 10)
    assert last_year() == timezone.localdate().year + 15


@pytest.mark.parametrize("value", [date(1, 1, 1), date(1999, 12, 31), date(9999, 12, 31)])
def test_hardening_dates_outside_the_range_are_refused_in_chinese(value):
    with pytest.raises(ValidationError) as error:
        bounded_date(value, field="released_on", label="发布日期")
    assert error.value.message_dict["released_on"][0].startswith("发布日期应在2000年1月1日至")
    assert out_of_range(value, label="发布日期").startswith("发布日期应在2000年1月1日至")


@pytest.mark.parametrize("value", [datetime(1, 1, 1, tzinfo=BEIJING), datetime(1, 1, 1),
                                   datetime(9999, 12, 31, 23, 59, tzinfo=BEIJING),
                                   datetime(1999, 12, 31, 23, 59, tzinfo=BEIJING),
                                   datetime(1999, 12, 31, 15, 0, tzinfo=dt_timezone.utc)])  # 23:00 in Beijing
def test_hardening_moments_outside_the_range_are_refused_without_overflowing(value):
    with pytest.raises(ValidationError) as error:
        bounded_moment(value, label="召开时间")
    assert "召开时间应在2000年1月1日至" in error.value.messages[0]


def test_hardening_moments_and_dates_inside_pass_unchanged():
    moment = datetime(1999, 12, 31, 16, 0, tzinfo=dt_timezone.utc)  # 2000-01-01 00:00 in Beijing
    assert bounded_moment(moment) is moment
    assert bounded_date(date(2000, 1, 1)) == date(2000, 1, 1)
    assert bounded_date(None) is None and bounded_moment(None) is None and out_of_range(None) == ""
    assert bounded_date(timezone.now()) is not None  # a datetime given as a date is judged as a moment


class _Form(forms.Form):
    on = BoundedDateField(required=False)
    at = BoundedDateTimeField(required=False)


@pytest.mark.parametrize("data", [{"on": "0001-01-01"}, {"at": "0001-01-01"}, {"at": "0001-01-01T00:00"},
                                  {"at": "9999-12-31T23:59"}, {"on": "9999-12-31"}])
def test_hardening_form_fields_show_the_bound_as_a_field_error_and_keep_the_input(data):
    form = _Form(data)
    assert not form.is_valid()
    (name,) = data
    assert "应在2000年1月1日至" in form.errors[name][0]
    assert data[name] in str(form[name])


def test_hardening_form_fields_accept_dates_in_range():
    form = _Form({"on": "2026-06-01", "at": "2026-06-01T09:30"})
    assert form.is_valid(), form.errors


def test_hardening_the_calendar_services_refuse_days_and_years_outside_the_range():
    """A year-1 official day or a year-9999 calendar year would break the calendar every deadline uses."""
    from tongchuan_portal.clock.models import OfficialDay
    from tongchuan_portal.clock.services import calendar_year_set, official_day_set
    from tongchuan_portal.core.services import system_user

    days, years = OfficialDay.objects.count(), CalendarYear.objects.count()
    with pytest.raises(ValidationError) as error:
        official_day_set(day=date(1, 1, 1), kind=OfficialDay.Kind.HOLIDAY, name="元旦", by=system_user())
    assert "date" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        calendar_year_set(year=9999, confirmed=True, source_notice="国办发明电〔9998〕1号", by=system_user())
    assert error.value.message_dict["year"][0].startswith("年份须在2000年至")
    assert (OfficialDay.objects.count(), CalendarYear.objects.count()) == (days, years)
