from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0007_merge_classification_and_turnaround_names"),
        ("disclosure", "0008_staff_list_index"),
    ]

    operations = []
