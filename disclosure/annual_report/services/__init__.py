"""Every write to annual reports (reports: draft → 审定 → 保密审查 → published, corrections) and to the appeal
records of table 四 (appeals). The package re-exports the public names."""

from .appeals import APPEAL_FIELDS, appeal_record_create, appeal_record_update
from .reports import (
    SECTION_MAX_CHARS, WHAT, due_moment, report_approve, report_clearance_decide, report_correct,
    report_enter_rows, report_open, report_return, report_submit, report_write_sections, reports_open_year,
    rule_for, shown_text,
)

__all__ = [
    "APPEAL_FIELDS", "SECTION_MAX_CHARS", "WHAT", "appeal_record_create", "appeal_record_update", "due_moment",
    "report_approve", "report_clearance_decide", "report_correct", "report_enter_rows", "report_open",
    "report_return", "report_submit", "report_write_sections", "reports_open_year", "rule_for", "shown_text",
]
