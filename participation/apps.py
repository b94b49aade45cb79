from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    """公众参与 — decision drafts for comment, meetings, hearings, messages."""

    name = "participation"
    verbose_name = "公众参与"

    def ready(self):
        from disclosure.integrations import register_confidentiality_section

        from . import confidentiality, rules

        rules.register_all()
        register_confidentiality_section(confidentiality.queue_section)
