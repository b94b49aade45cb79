from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Site chrome and plumbing: home page, workspace, health, the system user."""

    name = "tongchuan_portal.core"
    label = "core"
    verbose_name = "平台基础"
