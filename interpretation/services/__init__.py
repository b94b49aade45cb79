"""Every write to interpretations, one module per concern (I1–I11):

- :mod:`.plans` — 解读方案, its approval (审定) and the submission check (I5, I6, I10);
- :mod:`.materials` — 解读材料 and their approval (I3, I7, I11);
- :mod:`.release` — release with the document, follow-ups and their clock, withdrawal, the review and
  clearance sections (I4, I8, I9, D7);
- :mod:`.experts` — the expert pool (I11);
- :mod:`.reprints` — 转载 and 贯彻落实情况 (I1).

Callers import from here (``from interpretation.services import plan_create``); disclosure never imports
this package: it calls the hooks registered in ``apps.py``.
"""

from .experts import expert_create, expert_update
from .materials import (
    MATERIAL_FIELDS,
    MIN_ALT_CHARS,
    material_approve,
    material_create,
    material_delete,
    material_update,
    validate_material,
)
from .plans import (
    PLAN_FIELDS,
    check_submission,
    coverage_problems,
    needs_interpretation,
    plan_approve,
    plan_create,
    plan_reopen,
    plan_request_approval,
    plan_update,
    readiness_problems,
    validate_plan,
)
from .release import (
    RETURN_REASON_CODE,
    clearance_section,
    follow_up_publish,
    interpretation_withdraw,
    material_digest,
    publish_with_document,
    return_reason_ensure,
    review_section,
    stop_follow_up_on_withdrawal,
)
from .reprints import (
    REPRINT_FIELDS,
    reprint_create,
    reprint_note_add,
    reprint_publish,
    reprint_update,
    reprint_withdraw,
)

__all__ = [
    "MATERIAL_FIELDS", "MIN_ALT_CHARS", "PLAN_FIELDS", "REPRINT_FIELDS", "RETURN_REASON_CODE",
    "check_submission", "clearance_section", "coverage_problems", "expert_create", "expert_update",
    "follow_up_publish", "interpretation_withdraw", "material_approve", "material_create", "material_delete",
    "material_digest", "material_update", "needs_interpretation", "plan_approve", "plan_create", "plan_reopen",
    "plan_request_approval", "plan_update", "publish_with_document", "readiness_problems", "reprint_create",
    "reprint_note_add", "reprint_publish", "reprint_update", "reprint_withdraw", "return_reason_ensure",
    "review_section", "stop_follow_up_on_withdrawal", "validate_material", "validate_plan",
]
