"""Seed the official calendar's published years from the pinned `chinesecalendar` package (CLOCK1).

`manage.py migrate` alone must leave a database that counts working days correctly: without
this, a production database migrated per the release notes and never given `load_calendar`
computed every deadline from weekends alone. The plan is the one `calendar_load_from_package`
applies (`clock.calendar_seed.package_plan`); years a later package adds still come by
`manage.py load_calendar`. Every row gets its history record, as the system user.
"""

from django.conf import settings
from django.db import migrations, transaction
from django.utils import timezone

from tongchuan_portal.clock import calendar_seed

REASON_SUFFIX = "(数据迁移)"


def seed_calendar(apps, schema_editor=None):
    OfficialDay = apps.get_model("clock", "OfficialDay")
    HistoricalOfficialDay = apps.get_model("clock", "HistoricalOfficialDay")
    CalendarYear = apps.get_model("clock", "CalendarYear")
    HistoricalCalendarYear = apps.get_model("clock", "HistoricalCalendarYear")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    system = User.objects.filter(username=settings.SYSTEM_USERNAME).first()
    now = timezone.now()

    days, years = calendar_seed.package_plan(
        existing_days=set(OfficialDay.objects.values_list("date", flat=True)),
        confirmed_years=set(CalendarYear.objects.filter(confirmed=True).values_list("year", flat=True)),
    )
    rows = OfficialDay.objects.bulk_create(
        [OfficialDay(date=d.date, kind=d.kind, name=d.name, source_notice=d.source_notice) for d in days],
        batch_size=1000,
    )
    HistoricalOfficialDay.objects.bulk_create([
        HistoricalOfficialDay(id=row.id, date=row.date, kind=row.kind, name=row.name, source_notice=row.source_notice,
                              history_date=now, history_type="+", history_user=system,
                              history_change_reason=calendar_seed.DAYS_REASON + REASON_SUFFIX)
        for row in rows
    ], batch_size=1000)
    for year in years:
        row, created = CalendarYear.objects.get_or_create(year=year)
        row.confirmed, row.confirmed_at, row.source_notice = True, now, calendar_seed.source_notice(year)
        row.save()
        HistoricalCalendarYear.objects.create(
            id=row.id, year=row.year, confirmed=True, source_notice=row.source_notice, confirmed_at=now,
            history_date=now, history_type="+" if created else "~", history_user=system,
            history_change_reason=calendar_seed.YEAR_REASON + REASON_SUFFIX,
        )
    if rows or years:
        from tongchuan_portal.clock import workdays

        # Running processes reload once this commits; a cache outage is logged, not raised.
        transaction.on_commit(workdays.invalidate)
    return len(rows), years


class Migration(migrations.Migration):
    dependencies = [
        ("clock", "0002_deadline_action_retry"),
        ("core", "0001_system_user"),
    ]
    operations = [migrations.RunPython(seed_calendar, migrations.RunPython.noop, elidable=False)]
