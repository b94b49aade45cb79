from django.apps import AppConfig


class UnitsConfig(AppConfig):
    """Units (单位), roles and memberships: who acts for which unit."""

    name = "tongchuan_portal.units"
    label = "units"
    verbose_name = "单位与人员"
