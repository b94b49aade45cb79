from django.apps import AppConfig


class OpinionConfig(AppConfig):
    """政务舆情 — public-opinion cases and their response clocks (O1–O5)."""

    name = "opinion"
    verbose_name = "政务舆情"

    def ready(self):
        from disclosure.integrations import register_confidentiality_section

        from .deadlines import register_rules
        from .selectors import queue_section

        register_rules()
        # D7: releases waiting for the 回应关切 column join the one 保密审查 queue.
        register_confidentiality_section(queue_section)
