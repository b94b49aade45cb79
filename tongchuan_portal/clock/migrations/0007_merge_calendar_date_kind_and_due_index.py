from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("clock", "0006_merge_calendar_date_kind_and_length_days"),
        ("clock", "0006_open_deadlines_by_due_index"),
    ]

    operations = []
