from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("clock", "0005_deadline_calendar_date_kind"),
        ("clock", "0005_deadline_length_days"),
    ]

    operations = []
