"""I5: the city office may return a submission for 缺少解读方案或解读材料."""

from django.db import migrations

CODE = "missing-interpretation"
LABEL = "缺少解读方案或解读材料"


def create(apps, schema_editor):
    ReturnReason = apps.get_model("disclosure", "ReturnReason")
    ReturnReason.objects.get_or_create(code=CODE, defaults={"label": LABEL, "rule_id": "I5", "sort_order": 45})


class Migration(migrations.Migration):
    dependencies = [("interpretation", "0001_initial"), ("disclosure", "0002_return_reasons")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
