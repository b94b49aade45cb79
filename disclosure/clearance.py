"""What a 保密审查 clearance covers (D7): every item its publication releases, by version and content.

The document, its attachments, and what other apps release with it (the interpretation app's
materials, registered in `hooks.register_clearance_provider`). Each item has a digest of the
content the public will see; the clearance stores them, and publication compares: an item
changed, added or dropped since the clearance needs a new one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

from .models import Attachment, Document


@dataclass(frozen=True)
class ClearanceItem:
    kind: str  # "document", "attachment", or the providing app's own kind, e.g. "interpretation"
    pk: int
    label: str
    digest: str
    history_id: int | None = None

    def record(self) -> dict:
        return asdict(self)


@dataclass
class ClearanceSection:
    """What a provider adds to the 保密审查 page: its items and how to show them."""

    title: str
    template: str
    items: list[ClearanceItem]
    context: dict = field(default_factory=dict)


def digest_of(*values) -> str:
    return hashlib.sha256(json.dumps(values, ensure_ascii=False, default=str).encode()).hexdigest()


def combined_digest(items: list[ClearanceItem]) -> str:
    return digest_of(sorted((i.kind, i.pk, i.digest) for i in items))


def _latest_history_ids(model, pks) -> dict[int, int]:
    from django.db.models import Max

    rows = model.history.filter(id__in=list(pks)).values("id").annotate(last=Max("history_id"))
    return {row["id"]: row["last"] for row in rows}


def document_items(document: Document) -> list[ClearanceItem]:
    """The document as published (title, number, body, issuer…) and each attachment by its file hash."""
    attachments = list(Attachment.objects.filter(document=document).order_by("uploaded_at", "pk"))
    document_history = _latest_history_ids(Document, [document.pk])
    attachment_history = _latest_history_ids(Attachment, [a.pk for a in attachments]) if attachments else {}
    items = [ClearanceItem(
        kind="document", pk=document.pk, label=f"公文《{document.title}》",
        digest=digest_of(document.title, document.body, document.document_number, document.written_on,
                         document.issued_in_name_of, document.issued_by_id, document.co_issuer_names,
                         document.attribute, document.area, document.topic, document.source),
        history_id=document_history.get(document.pk))]
    items += [ClearanceItem(kind="attachment", pk=a.pk, label=f"附件“{a.original_name}”",
                            digest=digest_of(a.original_name, a.sha256, a.size),
                            history_id=attachment_history.get(a.pk)) for a in attachments]
    return items


def sections_for(document: Document) -> list[ClearanceSection]:
    from .hooks import run_clearance_providers

    return run_clearance_providers(document)


def clearance_items(document: Document, sections: list[ClearanceSection] | None = None) -> list[ClearanceItem]:
    """Every item publishing `document` now would release."""
    if sections is None:
        sections = sections_for(document)
    return document_items(document) + [item for section in sections for item in section.items]


def changed_since(review, document: Document) -> list[str]:
    """Labels of what differs between a clearance and what publication would release now."""
    if not review.covered_digest:
        return []  # cleared before clearances recorded their scope
    now = {(i.kind, i.pk): i for i in clearance_items(document)}
    then = {(r["kind"], r["pk"]): r for r in review.covered_items}
    problems = [f"{i.label}在保密审查后新增" for key, i in now.items() if key not in then]
    problems += [f"{r['label']}在保密审查后被删除" for key, r in then.items() if key not in now]
    problems += [f"{i.label}在保密审查后有修改" for key, i in now.items() if key in then and then[key]["digest"] != i.digest]
    return problems
