"""Writes to the working-day calendar: official days, confirmed years, the State Council's notice (CLOCK1, CLOCK4).

A change is recorded as a CalendarChange in the caller's transaction; `recompute` moves the deadlines it touches.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from tongchuan_portal.core.workflow import delete_with_history, save_with_history

from .. import calendar_seed, holidays, workdays
from ..models import CalendarChange, CalendarYear, OfficialDay

logger = logging.getLogger(__name__)


def _after_calendar_change(start: date, end: date, reason: str, *, by: User | None = None,
                           pattern_may_change: bool | None = None) -> CalendarChange:
    """Record that deadlines touching [start, end] must be recomputed, in the caller's transaction (CLOCK4).

    The row is the source of truth: the sweep processes it until done. The task
    queued on commit is only a fast path; a broker that is down or flushed costs a
    minute, never the recompute, and never fails the request that changed the calendar.

    A change to a published year since the 2024 revision can change the 调休 pattern the
    provisional years are predicted from, so it reaches every later year the calendar covers.
    """
    if pattern_may_change is None:
        pattern_may_change = CalendarYear.objects.filter(
            year__gte=holidays.REVISION_2024, year__in=range(start.year, end.year + 1), confirmed=True).exists()
    if pattern_may_change and end.year >= holidays.REVISION_2024:
        end = max(end, date(timezone.now().astimezone(workdays.BEIJING).year + workdays.YEARS_AHEAD, 12, 31))
    change = CalendarChange(start=start, end=end, reason=reason[:300], changed_by=by)
    save_with_history(change, by=by, reason="日历已变更,待重新计算受影响的时限")

    def run():
        workdays.invalidate()
        from ..tasks import process_calendar_changes

        try:
            process_calendar_changes.apply_async(retry=False)
        except Exception:
            logger.warning("could not queue the recompute after “%s”; the next sweep does it", reason, exc_info=True)

    transaction.on_commit(run)
    return change


@transaction.atomic
def official_day_set(*, day: date, kind: str, name: str, source_notice: str = "", by: User) -> OfficialDay:
    """Enter or change one day of the official schedule; open deadlines it touches are recomputed."""
    official_day_check(day=day, kind=kind, name=name)
    row = OfficialDay.objects.select_for_update().filter(date=day).first()
    if row is None:
        row = OfficialDay(date=day)
        reason = f"录入{day:%Y-%m-%d}为{OfficialDay.Kind(kind).label}"
    elif (row.kind, row.name, row.source_notice) == (kind, name.strip(), source_notice):
        return row
    else:
        reason = f"修改{day:%Y-%m-%d}:{row.get_kind_display()}→{OfficialDay.Kind(kind).label}"
    row.kind, row.name, row.source_notice = kind, name.strip(), source_notice
    save_with_history(row, by=by, reason=reason)
    _after_calendar_change(day, day, reason, by=by)
    return row


@transaction.atomic
def official_day_delete(*, day: date, by: User) -> None:
    row = OfficialDay.objects.select_for_update().filter(date=day).first()
    if row is None:
        return
    reason = f"删除{day:%Y-%m-%d}({row.name})"
    delete_with_history(row, by=by, reason=reason)
    _after_calendar_change(day, day, reason, by=by)


@transaction.atomic
def calendar_year_set(*, year: int, confirmed: bool, source_notice: str, by: User) -> CalendarYear:
    """Confirm (or withdraw confirmation of) a year's schedule; deadlines in it are recomputed (CLOCK4)."""
    calendar_year_check(year=year, confirmed=confirmed, source_notice=source_notice)
    row, _ = CalendarYear.objects.select_for_update().get_or_create(year=year)
    if row.confirmed == confirmed and row.source_notice == source_notice.strip():
        return row
    row.confirmed, row.source_notice = confirmed, source_notice.strip()
    row.confirmed_at = timezone.now() if confirmed else None
    reason = f"确认{year}年放假安排:{row.source_notice}" if confirmed else f"撤回{year}年放假安排的确认"
    save_with_history(row, by=by, reason=reason)
    _after_calendar_change(date(year, 1, 1), date(year, 12, 31), reason, by=by, pattern_may_change=True)
    return row


@transaction.atomic
def official_day_move(*, old_day: date, day: date, kind: str, name: str, source_notice: str = "",
                      by: User) -> OfficialDay:
    """Correct an entered day's date: the old day is deleted and the new one entered, each with history.

    Deadlines touching either date are recomputed. The new date must not be entered already.
    """
    if old_day == day:
        return official_day_set(day=day, kind=kind, name=name, source_notice=source_notice, by=by)
    official_day_check(day=day, kind=kind, name=name)
    if OfficialDay.objects.filter(date=day).exists():
        raise ValidationError({"date": f"{day:%Y-%m-%d}已录入,请直接修改该日。"})
    if not OfficialDay.objects.filter(date=old_day).exists():
        raise ValidationError(f"{old_day:%Y-%m-%d}已不在工作日历中,请刷新后重试。")
    official_day_delete(day=old_day, by=by)
    return official_day_set(day=day, kind=kind, name=name, source_notice=source_notice, by=by)


@dataclass
class NoticeImport:
    """What importing a notice did to the calendar (CLOCK4)."""

    year: int
    source: str
    created: list[date] = field(default_factory=list)
    changed: list[date] = field(default_factory=list)
    deleted: list[date] = field(default_factory=list)
    change: CalendarChange | None = None


def _notice(text: str):
    from ..notice_parser import NoticeError, parse_notice

    try:
        return parse_notice(text)
    except NoticeError as error:
        raise ValidationError(f"{error.message}未能读通的一句:“{error.sentence}”" if error.sentence else error.message,
                              code="notice") from error


@transaction.atomic
def calendar_notice_import(*, text: str, by: User) -> NoticeImport:
    """Enter a year's schedule from the State Council's notice as pasted, all or nothing (CLOCK4).

    The notice is read whole before anything is written: a sentence it cannot read refuses the
    notice (naming it) and enters nothing. The year's days become exactly the notice's — days
    entered earlier that the notice does not list are deleted — each with history naming the
    notice; the year is confirmed; and one calendar change recomputes the open deadlines of the
    year, whose history then names the notice.
    """
    notice = _notice(text)
    calendar_year_check(year=notice.year, confirmed=True, source_notice=notice.source)
    for day in notice.days:
        official_day_check(day=day.date, kind=day.kind, name=day.name)
    listed = {day.date: day for day in notice.days}
    rows = {row.date: row for row in OfficialDay.objects.select_for_update().filter(
        Q(date__year=notice.year) | Q(date__in=list(listed)))}
    result = NoticeImport(year=notice.year, source=notice.source)
    for day, row in sorted(rows.items()):
        if day.year == notice.year and day not in listed:
            delete_with_history(row, by=by, reason=f"按{notice.title},{day:%Y-%m-%d}不在放假安排中,删除")
            result.deleted.append(day)
    for day, entry in sorted(listed.items()):
        row = rows.get(day)
        if row is not None and (row.kind, row.name, row.source_notice) == (entry.kind, entry.name, notice.source):
            continue
        label = OfficialDay.Kind(entry.kind).label
        if row is None:
            row, reason = OfficialDay(date=day), f"按{notice.title}录入{day:%Y-%m-%d}为{label}"
            result.created.append(day)
        else:
            reason = f"按{notice.title}修改{day:%Y-%m-%d}:{row.get_kind_display()}→{label}"
            result.changed.append(day)
        row.kind, row.name, row.source_notice = entry.kind, entry.name, notice.source
        save_with_history(row, by=by, reason=reason)
    year = CalendarYear.objects.select_for_update().filter(year=notice.year).first() or CalendarYear(year=notice.year)
    if not year.confirmed or year.source_notice != notice.source:
        year.confirmed, year.source_notice, year.confirmed_at = True, notice.source, timezone.now()
        save_with_history(year, by=by, reason=f"导入{notice.title}并确认{notice.year}年放假安排")
    elif not (result.created or result.changed or result.deleted):
        return result  # the same notice again: nothing to recompute
    first = min([date(notice.year, 1, 1), *listed])
    result.change = _after_calendar_change(first, date(notice.year, 12, 31), f"导入{notice.title}", by=by,
                                           pattern_may_change=True)
    return result


def calendar_notice_read(text: str):
    """The notice's days without writing anything, for the admin's preview; refusals as ValidationError."""
    return _notice(text)


# The schedule is published a year ahead; a day further out is a typing error.
OFFICIAL_DAY_YEARS_AHEAD = 2


def official_day_check(*, day: date, kind: str, name: str) -> None:
    """The checks of official_day_set, callable on their own so forms can show them (no writes)."""
    errors = {}
    last_year = timezone.now().astimezone(workdays.BEIJING).year + OFFICIAL_DAY_YEARS_AHEAD
    if not workdays.FIRST_YEAR <= day.year <= last_year:
        errors["date"] = f"日期须在{workdays.FIRST_YEAR}年至{last_year}年之间。"
    if kind not in OfficialDay.Kind.values:
        errors["kind"] = "类型只能是法定节假日或调休上班。"
    if not name.strip():
        errors["name"] = "请填写节日名称。"
    if errors:
        raise ValidationError(errors)


def calendar_year_check(*, year: int, confirmed: bool, source_notice: str) -> None:
    """The checks of calendar_year_set, callable on their own so forms can show them (no writes)."""
    last_year = timezone.now().astimezone(workdays.BEIJING).year + OFFICIAL_DAY_YEARS_AHEAD
    if not workdays.FIRST_YEAR <= year <= last_year:
        raise ValidationError({"year": f"年份须在{workdays.FIRST_YEAR}年至{last_year}年之间。"})
    if confirmed and not source_notice.strip():
        raise ValidationError({"source_notice": "确认年度放假安排时,请填写国务院办公厅通知的文号或标题。"})


@transaction.atomic
def calendar_load_from_package(*, by: User) -> tuple[int, list[int]]:
    """Seed every year the `chinesecalendar` package has published (CLOCK1); idempotent.

    Returns (days created, years confirmed now). The data migration 0003 applies the
    same plan (`calendar_seed.package_plan`) when a database is migrated.
    """
    days, years = calendar_seed.package_plan(
        existing_days=set(OfficialDay.objects.values_list("date", flat=True)),
        confirmed_years=set(CalendarYear.objects.filter(confirmed=True).values_list("year", flat=True)),
    )
    rows = [OfficialDay(date=d.date, kind=d.kind, name=d.name, source_notice=d.source_notice) for d in days]
    if rows:
        bulk_create_with_history(rows, OfficialDay, default_user=by, default_change_reason=calendar_seed.DAYS_REASON)
    for year in years:
        row, _ = CalendarYear.objects.get_or_create(year=year)
        row.confirmed, row.confirmed_at = True, timezone.now()
        row.source_notice = calendar_seed.source_notice(year)
        save_with_history(row, by=by, reason=calendar_seed.YEAR_REASON)
    if rows or years:
        transaction.on_commit(workdays.invalidate)
    return len(rows), years
