from django.apps import AppConfig


class OpinionConfig(AppConfig):
    """政务舆情 — public-opinion cases and their response clocks (O1–O5)."""

    name = "opinion"
    verbose_name = "政务舆情"

    def ready(self):
        from .deadlines import register_rules

        register_rules()
