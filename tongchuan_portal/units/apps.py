from django.apps import AppConfig


class UnitsConfig(AppConfig):
    """Units (单位), roles and memberships: who acts for which unit."""

    name = "tongchuan_portal.units"
    label = "units"
    verbose_name = "单位与人员"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .models import Membership, Role, Unit
        from .permissions import roles_changed
        from .signals import unit_changed

        for model in (Membership, Role, Unit):
            post_save.connect(roles_changed, sender=model, dispatch_uid=f"roles-version-{model.__name__}")
            post_delete.connect(roles_changed, sender=model, dispatch_uid=f"roles-version-delete-{model.__name__}")
        m2m_changed.connect(roles_changed, sender=Membership.roles.through, dispatch_uid="roles-version-m2m")

        post_save.connect(unit_changed, sender=Unit, dispatch_uid="units-rows-version")
        post_delete.connect(unit_changed, sender=Unit, dispatch_uid="units-rows-version-delete")
