"""保密审查 (D7) for what participation and opinion publish: one record, one decision step, one page.

Documents have their own review in disclosure. Decision drafts, their adoption
reports and opinion releases share this mechanism: the item waits with its own
`Clearance` state; a confidentiality reviewer of the item's unit reads exactly
what would go public and clears or refuses it; the decision is kept as a
`ConfidentialityClearance` (who, when, what was shown, the opinion); the
drafting unit is told either way, with the reason on a refusal. Each app keeps
its own transition (what "public" means for it) and calls `clearance_decide`
inside it; each registers its pending items with the one queue through
`disclosure.integrations.register_confidentiality_section`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.shortcuts import redirect, render
from django.utils import timezone

from tongchuan_portal.notifications.services import moment_key, notify_event
from tongchuan_portal.units.models import Membership, Role

from .history import save_with_history
from .models import Clearance, ConfidentialityClearance

__all__ = ["Clearance", "ClearanceForm", "QueueRow", "clearance_decide", "clearance_page", "clearances_for",
           "decided_key", "notify_unit", "refusal_counts", "reviewer_ids", "waiting_key"]

OPINION_MAX_CHARS = 2000


def reviewer_ids(*unit_ids: int) -> list[int]:
    """Active confidentiality reviewers of the units: who is told that something waits for them."""
    rows = Membership.objects.filter(unit_id__in=unit_ids, user__is_active=True,
                                     roles__code=Role.Code.CONFIDENTIALITY_REVIEWER)
    return sorted(set(rows.values_list("user_id", flat=True)))


def unit_member_ids(unit_id: int, *roles: str) -> list[int]:
    rows = Membership.objects.filter(unit_id=unit_id, user__is_active=True, roles__code__in=roles)
    return sorted(set(rows.values_list("user_id", flat=True)))


def notify_unit(user_ids: list[int], *, event_key: str, title: str, body: str, url: str, by) -> None:
    """Tell people about a 保密审查 step through the one inbox: once per `event_key`, never the actor."""
    notify_event(event_key, user_ids, title=title, body=body, url=url, by=by)


def waiting_key(kind: str, item, since) -> str:
    """The event key of "this item waits for 保密审查", one per time it is sent."""
    return f"confidentiality.waiting:{kind}:{item.pk}:{moment_key(since)}"


def decided_key(record: ConfidentialityClearance) -> str:
    return f"confidentiality.decided:{record.pk}"


def clearance_decide(*, item, unit_id: int, cleared: bool, opinion: str, shown_title: str, shown_text: str,
                     by, at: datetime | None = None) -> ConfidentialityClearance:
    """Record one decision; a refusal must say why (its opinion goes back to the drafting unit).

    The caller has checked the reviewer's scope and the item's state, and locks the item; this
    only writes the record, with history, so every app records the same thing.
    """
    opinion = (opinion or "").replace("\x00", "").strip()
    if not cleared and not opinion:
        raise ValidationError({"opinion": "保密审查未通过的,请填写审查意见,说明需要修改的内容。"})
    if len(opinion) > OPINION_MAX_CHARS:
        raise ValidationError({"opinion": f"审查意见不能超过{OPINION_MAX_CHARS}字。"})
    record = ConfidentialityClearance(
        content_type=ContentType.objects.get_for_model(item), object_id=item.pk, unit_id=unit_id,
        cleared=bool(cleared), opinion=opinion, shown_title=shown_title[:300], shown_text=shown_text,
        reviewer=by, reviewed_at=at or timezone.now(),
    )
    save_with_history(record, by=by, reason="保密审查通过" if cleared else f"保密审查未通过:{opinion}")
    return record


def clearances_for(item) -> QuerySet[ConfidentialityClearance]:
    """The item's decisions, newest first (for its staff page)."""
    return ConfidentialityClearance.objects.filter(
        content_type=ContentType.objects.get_for_model(item), object_id=item.pk).select_related("reviewer")


def last_refusal(item) -> ConfidentialityClearance | None:
    return clearances_for(item).filter(cleared=False).first()


# --- the queue and the review page ---------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    """One waiting item as the 保密审查 queue lists it, whatever app it comes from."""

    title: str
    kind: str
    unit: str
    since: datetime | None
    url: str
    refusals: int = 0


class ClearanceForm(forms.Form):
    decision = forms.ChoiceField(label="保密审查结论", widget=forms.RadioSelect,
                                 choices=[("cleared", "通过,可以公开"), ("refused", "未通过,退回起草单位修改")],
                                 error_messages={"required": "请选择保密审查结论。",
                                                 "invalid_choice": "请选择保密审查结论。"})
    opinion = forms.CharField(label="审查意见(未通过的必填)", required=False, max_length=OPINION_MAX_CHARS,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"max_length": f"审查意见不能超过{OPINION_MAX_CHARS}字。"})


def clearance_page(request, *, title: str, kind: str, facts: list[tuple[str, str]], shown_text: str, decide,
                   done: str, back_url: str = ""):
    """GET: the full text to clear and the form; POST: `decide(cleared=, opinion=)` then back to the queue.

    The view has already found the item among those the user may review (404 otherwise); the
    service checks again and raises PermissionDenied, so a stale page changes nothing.
    """
    form = ClearanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decide(cleared=form.cleaned_data["decision"] == "cleared", opinion=form.cleaned_data["opinion"])
        except ValidationError as error:
            for field, errors in getattr(error, "message_dict", {None: error.messages}).items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, done if form.cleaned_data["decision"] == "cleared"
                             else "已退回起草单位修改,并通知其审查意见。")
            return redirect("disclosure:confidentiality_queue")
    return render(request, "core/confidentiality_review.html", {
        "title": title, "kind": kind, "facts": facts, "shown_text": shown_text, "form": form,
        "back_url": back_url,
    }, status=400 if form.errors else 200)


def refusal_counts(model, ids: list[int]) -> dict[int, int]:
    """{item id: refusals so far} for a page of queue rows, in one query."""
    if not ids:
        return {}
    rows = (ConfidentialityClearance.objects
            .filter(content_type=ContentType.objects.get_for_model(model), object_id__in=ids, cleared=False)
            .values("object_id").annotate(n=Count("pk")).values_list("object_id", "n"))
    return dict(rows)
