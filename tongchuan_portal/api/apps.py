from django.apps import AppConfig


class ApiConfig(AppConfig):
    """开放数据接口 — the read-only open-data API (W3)."""

    name = "tongchuan_portal.api"
    label = "api"
    verbose_name = "开放数据接口"
