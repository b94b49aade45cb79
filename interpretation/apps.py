from django.apps import AppConfig


class InterpretationConfig(AppConfig):
    """政策解读 — interpretations approved and released with their documents."""

    name = "interpretation"
    verbose_name = "政策解读"

    def ready(self):
        from disclosure import hooks

        from . import services
        from .deadlines import register_rules

        register_rules()
        # I5, I10: no submission of a policy document without an approved plan and materials.
        hooks.register_submission_check(services.check_submission)
        # I4, I8, I9: approved interpretations go public with the document, in its transaction.
        hooks.register_publication_hook(services.publish_with_document)
        hooks.register_withdrawal_hook(services.stop_follow_up_on_withdrawal)
        # D7: 保密审查 sees and records the materials the document's publication releases.
        hooks.register_clearance_provider(services.clearance_section)
        # I8: the document's public page links to its interpretations (one query).
        from disclosure.integrations import register_document_section

        register_document_section(document_section)
        # The city office's review page shows the plan and materials, or their absence (I5).
        from disclosure.integrations import register_review_section

        register_review_section(services.review_section)


def document_section(document):
    from .selectors import interpretations_for_documents

    interpretations = interpretations_for_documents([document.pk]).get(document.pk, [])
    if not interpretations:
        return None
    return {"template": "interpretation/_for_document.html", "interpretations": interpretations}
