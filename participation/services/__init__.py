"""Every write in public participation (M1–M5, P1–P5), one module per concern.

Views, the admin, Celery tasks and the shell all come through here, so a rule holds on every path: a comment
one second after the window's close is refused whether it arrives by the page, the shell or any future API.
Callers import from this package (``from participation.services import draft_publish``).
"""

from ..codes import CODE_ALPHABET, months_before, new_query_code, query_code_digest
from ._common import clean_text
from .drafts import (
    draft_clearance_decide,
    draft_create,
    draft_exempt,
    draft_link_document,
    draft_mark_decided,
    draft_publish,
    draft_shown_text,
    draft_update,
)
from .consultation import (
    adoption_report_clearance_decide,
    adoption_report_publish,
    adoption_report_shown_text,
    adoption_summary,
    comment_period_close,
    comment_submit,
    comment_windows_close_due,
    comments_assign_group,
    comments_moderate,
    opinion_group_create,
    opinion_group_decide,
)
from .meetings import (
    MAX_ATTENDANCE_QUOTA,
    MEETING_FLAGS,
    meeting_announce,
    meeting_cancel,
    meeting_create,
    meeting_mark_held,
    meeting_record_outcome,
    meeting_topic_add,
    registration_decide,
    registration_mark_attended,
    registration_submit,
)
from .evaluations import (
    evaluation_create,
    evaluation_publish,
)
from .messages import (
    message_mark_invalid,
    message_reply,
    message_submit,
    message_transfer,
    messages_flag_unanswered,
)

__all__ = [
    "CODE_ALPHABET",
    "MAX_ATTENDANCE_QUOTA",
    "MEETING_FLAGS",
    "adoption_report_clearance_decide",
    "adoption_report_publish",
    "adoption_report_shown_text",
    "adoption_summary",
    "clean_text",
    "comment_period_close",
    "comment_submit",
    "comment_windows_close_due",
    "comments_assign_group",
    "comments_moderate",
    "draft_clearance_decide",
    "draft_create",
    "draft_exempt",
    "draft_link_document",
    "draft_mark_decided",
    "draft_publish",
    "draft_shown_text",
    "draft_update",
    "evaluation_create",
    "evaluation_publish",
    "meeting_announce",
    "meeting_cancel",
    "meeting_create",
    "meeting_mark_held",
    "meeting_record_outcome",
    "meeting_topic_add",
    "message_mark_invalid",
    "message_reply",
    "message_submit",
    "message_transfer",
    "messages_flag_unanswered",
    "months_before",
    "new_query_code",
    "opinion_group_create",
    "opinion_group_decide",
    "query_code_digest",
    "registration_decide",
    "registration_mark_attended",
    "registration_submit",
]
