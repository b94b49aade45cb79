from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    """政府信息公开 — documents, disclosure attributes, reviews, the 五公开 column."""

    name = "disclosure"
    verbose_name = "政府信息公开"

    def ready(self):
        from .deadlines import register_rules

        register_rules()
