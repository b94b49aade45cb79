from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """网站监测 — the daily checks the national website inspection scores (W2, 国办秘函〔2019〕19号)."""

    name = "tongchuan_portal.monitoring"
    label = "monitoring"
    verbose_name = "网站监测"
