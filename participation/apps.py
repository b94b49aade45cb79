from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    """公众参与 — decision drafts for comment, meetings, hearings, messages."""

    name = "participation"
    verbose_name = "公众参与"

    def ready(self):
        from . import rules

        rules.register_all()
