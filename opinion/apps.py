from django.apps import AppConfig


class OpinionConfig(AppConfig):
    """政务舆情 — public-opinion cases and their response clocks."""

    name = "opinion"
    verbose_name = "政务舆情"
