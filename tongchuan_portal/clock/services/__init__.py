"""Every write to the calendar and to deadlines (CLOCK1–CLOCK7), one module per concern.

- ``calendar``: official days, confirmed years, the State Council's notice;
- ``deadlines``: one deadline's lifecycle (start, pause, resume, extend, meet, cancel);
- ``sweep``: reminders, misses, escalations and on-due actions of what has come due;
- ``recompute``: moving open deadlines after a calendar change.

Callers import from here (``from tongchuan_portal.clock.services import deadline_start``); the date formatter
is ``tongchuan_portal.clock.formatting.fmt`` (re-exported here for callers that still import it from services).
"""

from ..formatting import fmt
from .calendar import (
    OFFICIAL_DAY_YEARS_AHEAD,
    NoticeImport,
    calendar_load_from_package,
    calendar_notice_import,
    calendar_notice_read,
    calendar_year_check,
    calendar_year_set,
    official_day_check,
    official_day_delete,
    official_day_move,
    official_day_set,
)
from .deadlines import (
    deadline_cancel,
    deadline_extend,
    deadline_meet,
    deadline_pause,
    deadline_resume,
    deadline_start,
    open_deadline_for,
)
from .recompute import calendar_changes_process, deadlines_recompute
from .sweep import ACTION_RETRY_FIRST, ACTION_RETRY_MAX, SweepResult, action_retry_delay, deadlines_sweep

__all__ = [
    "ACTION_RETRY_FIRST", "ACTION_RETRY_MAX", "OFFICIAL_DAY_YEARS_AHEAD", "NoticeImport", "SweepResult",
    "action_retry_delay", "calendar_changes_process", "calendar_load_from_package", "calendar_notice_import",
    "calendar_notice_read", "calendar_year_check", "calendar_year_set", "deadline_cancel", "deadline_extend",
    "deadline_meet", "deadline_pause", "deadline_resume", "deadline_start", "deadlines_recompute", "deadlines_sweep",
    "fmt", "official_day_check", "official_day_delete", "official_day_move", "official_day_set", "open_deadline_for",
]
