"""修改对照 — what changed in a resubmitted document since its previous submission, from its history.

The reviewer of a resubmission sees the earlier 退文 and, here, the title, the body as plain text
(a line diff, changed lines marked character by character), the attributes and the attachments
then and now. Everything is plain text; the template escapes it.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.html import strip_tags

from .models import Attachment, Document, Status

ATTRIBUTE_FIELDS = ("kind", "issued_in_name_of", "attribute", "legal_basis", "attribute_reason", "area", "topic",
                    "written_on", "number_proposal", "source")
_BLOCK_END = re.compile(r"</(p|h[1-6]|li|tr|blockquote|div)>|<br\s*/?>", re.IGNORECASE)


def plain_lines(body: str) -> list[str]:
    """The body as the clerk wrote it: one line per paragraph, no markup."""
    text = html.unescape(strip_tags(_BLOCK_END.sub("\n", body or "")))
    return [line.strip() for line in text.splitlines() if line.strip()]


@dataclass
class DiffLine:
    op: str  # "same", "added", "removed", "changed-old", "changed-new"
    segments: list[tuple[str, str]]  # (kind, text): kind "same", "ins" or "del"


@dataclass
class Changes:
    since: datetime
    title: tuple[str, str] | None = None
    body: list[DiffLine] = field(default_factory=list)
    attributes: list[tuple[str, str, str]] = field(default_factory=list)
    attachments_added: list[str] = field(default_factory=list)
    attachments_removed: list[str] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.title or self.body or self.attributes or self.attachments_added
                    or self.attachments_removed)


def _inline(old: str, new: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    before, after = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            before.append(("same", old[i1:i2]))
            after.append(("same", new[j1:j2]))
        else:
            if i2 > i1:
                before.append(("del", old[i1:i2]))
            if j2 > j1:
                after.append(("ins", new[j1:j2]))
    return before, after


def body_diff(old_body: str, new_body: str, *, context: int = 1) -> list[DiffLine]:
    """Changed paragraphs with `context` unchanged ones around them; empty when the text is the same."""
    old, new = plain_lines(old_body), plain_lines(new_body)
    lines: list[DiffLine] = []
    for group in difflib.SequenceMatcher(None, old, new, autojunk=False).get_grouped_opcodes(context):
        if lines:
            lines.append(DiffLine("gap", [("same", "……")]))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [DiffLine("same", [("same", line)]) for line in old[i1:i2]]
            else:
                paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
                for a, b in zip(old[i1:i1 + paired], new[j1:j1 + paired]):
                    before, after = _inline(a, b)
                    lines += [DiffLine("changed-old", before), DiffLine("changed-new", after)]
                lines += [DiffLine("removed", [("del", line)]) for line in old[i1 + paired:i2]]
                lines += [DiffLine("added", [("ins", line)]) for line in new[j1 + paired:j2]]
    return lines


def _display(field_name: str, value) -> str:
    model_field = Document._meta.get_field(field_name)
    if value in (None, ""):
        return "(空)"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _submissions(document: Document) -> list:
    """The history row of each submission, oldest first (the first row of each 报送时间)."""
    rows = list(document.history.filter(status=Status.SUBMITTED).order_by("history_date", "history_id").only(
        "history_id", "history_date", "submitted_at", "title", "body", "number_prefix", "number_year",
        "number_serial", *ATTRIBUTE_FIELDS))
    firsts, seen = [], set()
    for row in rows:
        if row.submitted_at not in seen:
            seen.add(row.submitted_at)
            firsts.append(row)
    return firsts


def _attachments_at(document: Document, moment: datetime) -> dict[int, str]:
    latest: dict[int, object] = {}
    for row in Attachment.history.filter(document_id=document.pk, history_date__lte=moment).order_by(
            "history_date", "history_id").only("id", "history_type", "original_name", "sha256"):
        latest[row.id] = row
    return {pk: f"{row.original_name}" for pk, row in latest.items() if row.history_type != "-"}


def changes_since_last_submission(document: Document) -> Changes | None:
    """None for a first submission; otherwise what differs between the previous submission and now."""
    submissions = _submissions(document)
    if len(submissions) < 2:
        return None
    then = submissions[-2]
    changes = Changes(since=then.submitted_at)
    if then.title != document.title:
        changes.title = (then.title, document.title)
    changes.body = body_diff(then.body, document.body)
    old_number = (f"{then.number_prefix}〔{then.number_year}〕{then.number_serial}号"
                  if then.number_prefix and then.number_year and then.number_serial else "")
    if old_number != document.document_number:
        changes.attributes.append(("发文字号", old_number or "(空)", document.document_number or "(空)"))
    for name in ATTRIBUTE_FIELDS:
        old, new = getattr(then, name), getattr(document, name)
        if (old or "") != (new or ""):
            changes.attributes.append((str(Document._meta.get_field(name).verbose_name), _display(name, old),
                                       _display(name, new)))
    before = _attachments_at(document, then.history_date)
    now = {a.pk: a.original_name for a in document.attachments.all()}
    changes.attachments_added = [name for pk, name in now.items() if pk not in before]
    changes.attachments_removed = [name for pk, name in before.items() if pk not in now]
    return changes
