"""Every write in the disclosure app, one module per concern (D1–D13, M6):

- ``filing``: drafting, editing, attachments, co-issuers, importing the city's earlier documents;
- ``numbers``: 发文字号 and 索引号 (D8);
- ``review``: the sealed review (D3), submission, return and acceptance (D1, D5, D6);
- ``publication``: 保密审查, publishing now or on schedule, withdrawal, validity (D7, D13);
- ``meetings``: executive-meeting adoption and its issue clock (M6);
- ``catalog`` and ``selfcheck``: the unit's 主动公开目录 (D10) and 年度自查 (D12);
- ``records``: the reference data the admin keeps (退文理由, 年度工作要点, 公开指南, 年度报告).

Rules live here so that the web forms, the admin, tasks and the shell all obey them. The public names are
re-exported, so ``from disclosure.services import X`` and ``services.X`` work for every caller.
"""

from ._common import DOCUMENT_FIELDS, city_office, start_publication_clock
from .catalog import ENTRY_FIELDS, catalog_entry_delete, catalog_entry_save, catalog_publish
from .filing import (
    attachment_add,
    attachment_remove,
    document_create,
    document_import_published,
    document_update,
    issuing_body_for,
    validate_document,
)
from .meetings import document_record_meeting_adoption
from .numbers import foreign_prefix_message, next_free_serial, next_index_number, suggested_number
from .publication import (  # _publish: interpretation's tests publish a scheduled item at a set moment
    CHANGED_WHILE_REVIEWED,
    _publish,
    clearance_problems,
    confidentiality_decide,
    document_change_validity,
    document_withdraw,
    documents_publish_scheduled,
)
from .records import (
    GUIDE_FIELDS,
    PRIORITY_FIELDS,
    REPORT_FIELDS,
    RETURN_REASON_FIELDS,
    annual_priority_delete,
    annual_priority_save,
    annual_report_save,
    disclosure_guide_save,
    return_reason_save,
)
from .review import (
    RETURN_REASONS,
    document_accept,
    document_return,
    document_submit,
    return_reasons_ensure,
    seal_review_decide,
    seal_review_request,
    sealed_review_for,
)
from .selfcheck import (
    register_most_applied_provider,
    self_check_complete,
    self_check_decide,
    self_check_open,
    self_checks_open_year,
)

__all__ = [
    "CHANGED_WHILE_REVIEWED", "DOCUMENT_FIELDS", "ENTRY_FIELDS", "GUIDE_FIELDS", "PRIORITY_FIELDS", "REPORT_FIELDS",
    "RETURN_REASONS", "RETURN_REASON_FIELDS", "annual_priority_delete", "annual_priority_save", "annual_report_save",
    "disclosure_guide_save", "return_reason_save", "attachment_add",
    "attachment_remove", "catalog_entry_delete", "catalog_entry_save", "catalog_publish", "city_office",
    "clearance_problems", "confidentiality_decide", "document_accept", "document_change_validity",
    "document_create", "document_import_published", "document_record_meeting_adoption", "document_return",
    "document_submit", "document_update", "document_withdraw", "documents_publish_scheduled",
    "foreign_prefix_message", "issuing_body_for", "next_free_serial", "next_index_number",
    "register_most_applied_provider", "return_reasons_ensure", "seal_review_decide", "seal_review_request",
    "sealed_review_for", "self_check_complete", "self_check_decide", "self_check_open", "self_checks_open_year",
    "start_publication_clock", "suggested_number", "validate_document",
]
