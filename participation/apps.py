from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    """公众参与 — decision drafts for comment, meetings, hearings, messages."""

    name = "participation"
    verbose_name = "公众参与"

    def ready(self):
        from disclosure.integrations import register_confidentiality_section, register_staff_document_section

        from . import confidentiality, deadlines

        deadlines.register_rules()
        register_confidentiality_section(confidentiality.queue_section)
        # M6: a document's staff page names the decision draft it came from.
        register_staff_document_section(staff_document_section)


def staff_document_section(document, user):
    from . import permissions, selectors

    drafts = selectors.drafts_for_document(document)
    if not drafts:
        return None
    rows = [{"draft": d, "can_open": permissions.can_manage_draft(user, d),
             "adoption": selectors.draft_executive_adoption(d)} for d in drafts]
    return {"template": "participation/_document_drafts.html", "rows": rows}
