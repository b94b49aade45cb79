"""Every write to opinion cases (O1–O5), one module per concern:

- :mod:`.cases` — recording and routing (O1, O4, O5), reassigning, triage, closing (O3), the on-due timeline note;
- :mod:`.releases` — what a case publishes and its 保密审查 for the 回应关切 column (O4, O5, D7);
- :mod:`.dispositions` — press conferences, clue transfers and feedback (O3, O4).

Callers import from here (``from opinion.services import case_record``).
"""

from ._common import _inform  # noqa: F401 — replayed by the notification tests (one notice per recorded step)
from .cases import (
    case_close,
    case_reassign,
    case_record,
    case_triage,
    cases_next_due_refresh,
    events_clock_missed,
    missing_for_close,
)
from .dispositions import feedback_record, press_conference_record, transfer_record
from .releases import release_clearance_decide, release_record, release_resubmit, release_shown_text

__all__ = [
    "case_close", "case_reassign", "case_record", "case_triage", "cases_next_due_refresh", "events_clock_missed", "feedback_record",
    "missing_for_close", "press_conference_record", "release_clearance_decide", "release_record",
    "release_resubmit", "release_shown_text", "transfer_record",
]
