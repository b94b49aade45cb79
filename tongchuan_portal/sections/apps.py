from django.apps import AppConfig


class SectionsConfig(AppConfig):
    """单位子站 — every unit's section on the one platform (W1), sharing (W3) and the 订阅 page."""

    name = "tongchuan_portal.sections"
    label = "sections"
    verbose_name = "单位子站与分享"
