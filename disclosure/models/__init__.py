"""Documents (公文) with their disclosure attributes, reviews and returns (D1–D9, D13, M6), and the
unit-level records of the column (D10, D12, A6), one module per concern.

Every name is re-exported here so that ``from disclosure.models import X`` and the migrations keep working.
"""

from .catalog import AnnualPriority, AnnualReport, Catalog, CatalogEntry, DisclosureGuide, SelfCheck, SelfCheckItem
from .choices import (
    EDITABLE_STATUSES,
    PUBLIC_STATUSES,
    TRANSITIONS,
    DisclosureAttribute,
    DocumentClass,
    DocumentKind,
    FiveDisclosure,
    IssuedInNameOf,
    LegalBasis,
    Status,
    Topic,
    Validity,
)
from .documents import (
    Attachment,
    Document,
    DocumentGroupObjectPermission,
    DocumentUserObjectPermission,
    IndexSequence,
    attachment_path,
)
from .review import ConfidentialityReview, ReturnNotice, ReturnReason, SealReview

__all__ = [
    "AnnualPriority", "AnnualReport", "Attachment", "Catalog", "CatalogEntry", "ConfidentialityReview",
    "DisclosureAttribute", "DisclosureGuide", "Document", "DocumentClass", "DocumentGroupObjectPermission", "DocumentKind",
    "DocumentUserObjectPermission", "EDITABLE_STATUSES", "FiveDisclosure", "IndexSequence", "IssuedInNameOf",
    "LegalBasis", "PUBLIC_STATUSES", "ReturnNotice", "ReturnReason", "SealReview", "SelfCheck", "SelfCheckItem",
    "Status", "TRANSITIONS", "Topic", "Validity", "attachment_path",
]
