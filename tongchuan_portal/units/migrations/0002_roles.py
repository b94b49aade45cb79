"""Roles are reference data (RULES.md "Actors"): every install has all of them."""

from django.db import migrations

ROLES = [
    ("clerk", "部门经办人:起草、报送本单位公文和方案"),
    ("unit_head", "单位主要负责人:审定、签批"),
    ("transparency_office", "政务公开工作机构:审查拟不公开的政策性文件并加盖单位公章"),
    ("confidentiality_reviewer", "保密审查:发布前逐条审查"),
    ("city_office_reviewer", "市政府办公室审核员:接收、审核、退文"),
    ("opinion_officer", "舆情工作人员:登记和处置政务舆情"),
]


def create_roles(apps, schema_editor):
    Role = apps.get_model("units", "Role")
    for code, description in ROLES:
        Role.objects.get_or_create(code=code, defaults={"description": description})


class Migration(migrations.Migration):
    dependencies = [("units", "0001_initial")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
