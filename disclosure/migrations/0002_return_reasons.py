"""The city office's list of return reasons (退文理由, D5/D6); other apps add theirs."""

from django.db import migrations

REASONS = [
    ("missing-reason", "缺少不公开理由", "D2", 10),
    ("no-legal-basis", "不公开理由无法律依据", "D5", 20),
    ("attribute-unclear", "未提出或未明确公开属性", "D1", 30),
    ("missing-seal-review", "缺少本单位政务公开工作机构审查意见", "D3", 40),
    ("wrong-area", "五公开类别或主题分类不当", "D9", 50),
    ("format", "公文格式不规范", "", 60),
    ("content", "内容需要修改完善", "", 70),
    ("confidentiality", "保密审查未通过", "D7", 80),
]


def create(apps, schema_editor):
    ReturnReason = apps.get_model("disclosure", "ReturnReason")
    for code, label, rule_id, order in REASONS:
        ReturnReason.objects.get_or_create(code=code, defaults={"label": label, "rule_id": rule_id,
                                                                "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
