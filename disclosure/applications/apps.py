from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    """依申请公开 — applications for government information (A1–A5)."""

    name = "disclosure.applications"
    label = "applications"
    verbose_name = "依申请公开"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from disclosure.hooks import register_repeated_request_provider
        from disclosure.integrations import register_confidentiality_section
        from disclosure.services.selfcheck import register_most_applied_provider

        from . import confidentiality, selectors
        from .deadlines import register_rules

        register_rules()
        # D7: a reply that discloses anything waits in the one 保密审查 queue.
        register_confidentiality_section(confidentiality.queue_section)
        # D12, 第四十四条: the documents applied for most often go to the unit's yearly self-check.
        register_most_applied_provider(selectors.most_applied_documents)
        # ... and the information applied for repeatedly in the same words, which names no document yet.
        register_repeated_request_provider(selectors.most_applied_descriptions)
