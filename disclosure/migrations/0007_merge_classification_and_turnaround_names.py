from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0006_document_classification_and_issued_on"),
        ("disclosure", "0006_review_turnaround_rule_names"),
    ]

    operations = []
