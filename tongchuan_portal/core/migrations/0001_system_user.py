"""Create the named system account that Celery tasks act as."""

from django.conf import settings
from django.db import migrations


def create_system_user(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    User.objects.get_or_create(
        username=settings.SYSTEM_USERNAME,
        defaults={"first_name": "系统", "last_name": "", "is_active": False, "password": "!"},
    )


class Migration(migrations.Migration):
    dependencies = [migrations.swappable_dependency(settings.AUTH_USER_MODEL)]
    operations = [migrations.RunPython(create_system_user, migrations.RunPython.noop)]
