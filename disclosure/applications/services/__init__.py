"""Every write on applications (STYLE.md), one module per concern, re-exported here."""

from .fees import (  # noqa: F401
    applications_close_unpaid, applications_in_month, fee_compute, fee_notify, fee_record_paid,
)
from .handling import (  # noqa: F401
    applications_close_uncorrected, consultation_record_opinion, consultation_start, consultations_lapse,
    correction_request, correction_submit, correction_windows_close, extension_approve,
)
from .intake import (  # noqa: F401
    applicant_fields, application_confirm, application_register, application_submit, application_transfer,
    match_document, new_query_code, query_code_digest,
)
from .replies import (  # noqa: F401
    LEGAL_BASIS, default_remedies, reply_clearance_decide, reply_deliver, reply_submit, shown_text,
)
from .supervision import application_supervise, personal_data_viewed  # noqa: F401
