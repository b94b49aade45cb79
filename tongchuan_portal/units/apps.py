from django.apps import AppConfig


class UnitsConfig(AppConfig):
    """Units (单位), roles and memberships: who acts for which unit."""

    name = "tongchuan_portal.units"
    label = "units"
    verbose_name = "单位与人员"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import Unit
        from .signals import unit_changed

        post_save.connect(unit_changed, sender=Unit, dispatch_uid="units-rows-version")
        post_delete.connect(unit_changed, sender=Unit, dispatch_uid="units-rows-version-delete")
