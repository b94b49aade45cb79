from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    """依申请公开 — applications for government information (A1–A5)."""

    name = "disclosure.applications"
    label = "applications"
    verbose_name = "依申请公开"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .deadlines import register_rules

        register_rules()
