"""保密审查 and publication (D7, D13): clearing, publishing now or on schedule, withdrawing, validity."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from tongchuan_portal.clock.workdays import BEIJING
from tongchuan_portal.core.validation import bounded_date, bounded_moment
from tongchuan_portal.core.workflow import move, save_with_history

from .. import clearance, deadlines, notices, pagecache, permissions
from ..hooks import run_publication_hooks, run_withdrawal_hooks
from ..models import TRANSITIONS, ConfidentialityReview, Document, Status, Validity
from ._common import cancel_clock, city_office, lock, meet_clock, start_clock
from .review import document_return


CHANGED_WHILE_REVIEWED = "审查期间待发布的内容有变更,请重新查看全部内容后再作审查结论。"


@transaction.atomic
def confidentiality_decide(*, document: Document, cleared: bool, opinion: str, by: User,
                           publish_at: datetime | None = None, reasons: list[str] = (),
                           seen: str | None = None) -> Document:
    """保密审查 (D7): cleared items are published now or at `publish_at`; others go back to the filer.

    A clearance covers every item its publication releases — the document, its attachments and the
    interpretation materials — and records each with its version and content digest. `seen` is the
    digest of what the reviewer's page showed: when the items changed since, nothing is decided.
    """
    document = lock(document)
    if not permissions.can_confidentiality_review(by, document):
        raise PermissionDenied("您无权对该公文进行保密审查。")
    if document.status != Status.CONFIDENTIALITY_REVIEW:
        raise ValidationError(f"公文当前状态为“{document.get_status_display()}”,不在保密审查环节。")
    if not cleared:
        if not opinion.strip():
            raise ValidationError({"opinion": "保密审查未通过的,请填写审查意见。"})
        review = ConfidentialityReview(document=document, cleared=False, opinion=opinion.strip(), reviewer=by,
                                       reviewed_at=timezone.now())
        save_with_history(review, by=by, reason="保密审查未通过")
        document_return(document=document, by=by, reasons=list(reasons) or ["confidentiality"], note=opinion)
        return Document.objects.get(pk=document.pk)
    items = clearance.clearance_items(document)
    covered_digest = clearance.combined_digest(items)
    if seen is not None and seen != covered_digest:
        raise ValidationError(CHANGED_WHILE_REVIEWED)
    now = timezone.now()
    bounded_moment(publish_at, field="publish_at", label="定时发布时间")
    if publish_at is not None and publish_at <= now:
        publish_at = None
    review = ConfidentialityReview(document=document, cleared=True, opinion=opinion.strip(), reviewer=by,
                                   reviewed_at=now, covered_items=[i.record() for i in items],
                                   covered_digest=covered_digest)
    save_with_history(review, by=by, reason=f"保密审查通过:{'、'.join(i.label for i in items)}")
    document.confidentiality_cleared_at = now
    document.info_reviewer = document.info_reviewer or (by.get_full_name() or by.username)
    if publish_at is None:
        _publish(document, by=by, at=now)
    else:
        pagecache.bump_public_version()
        move(document, Status.SCHEDULED, TRANSITIONS, what="公文")
        document.publish_at = document.published_at = publish_at
        save_with_history(document, by=by,
                          reason=f"保密审查通过,定时发布:{publish_at.astimezone(BEIJING):%Y-%m-%d %H:%M}",
                          fields=["status", "publish_at", "published_at", "confidentiality_cleared_at",
                                  "info_reviewer", "updated_at"])
    meet_clock(deadlines.CONFIDENTIALITY_REVIEW, document, by=by)
    notices.cleared(document, review, by=by)
    return document


def clearance_problems(document: Document) -> list[str]:
    """What publishing now would release that the last clearance did not cover as it is (D7)."""
    review = document.confidentiality_reviews.filter(cleared=True).order_by("-reviewed_at", "-pk").first()
    if review is None:
        return ["尚未通过保密审查"]
    return clearance.changed_since(review, document)


def _publish(document: Document, *, by: User, at: datetime) -> None:
    problems = clearance_problems(document)
    if problems:
        raise ValidationError(f"{'；'.join(problems)},须重新进行保密审查后才能发布。")
    pagecache.bump_public_version()
    move(document, Status.PUBLISHED, TRANSITIONS, what="公文")
    document.published_at = document.publish_at or at
    save_with_history(document, by=by, reason="发布", fields=["status", "published_at", "publish_at",
                                                             "confidentiality_cleared_at", "info_reviewer",
                                                             "updated_at"])
    meet_clock(deadlines.PUBLISH_WITHIN_20, document, by=by, note="已发布")
    meet_clock(deadlines.ISSUE_AFTER_MEETING, document, by=by, note="已印发")
    meet_clock(deadlines.ISSUE_AFTER_MEETING_MAJOR, document, by=by, note="已印发")
    run_publication_hooks(document, by=by)


def documents_publish_scheduled(*, now: datetime | None = None, by: User) -> int:
    """Move scheduled documents whose moment has come to 已发布 (the public pages already show them)."""
    now = now or timezone.now()
    done = 0
    while True:
        with transaction.atomic():
            batch = list(Document.objects.select_for_update(skip_locked=True)
                         .filter(status=Status.SCHEDULED, publish_at__lte=now).order_by("publish_at")[:200])
            for document in batch:
                if problems := clearance_problems(document):
                    _clearance_lapsed(document, by=by, problems=problems)
                    continue
                _publish(document, by=by, at=document.publish_at)
            done += len(batch)
        if len(batch) < 200:
            return done


def _clearance_lapsed(document: Document, *, by: User, problems: list[str]) -> None:
    """A scheduled item changed after its clearance: it goes back to 保密审查 instead of going public."""
    lapsed = document.confidentiality_reviews.filter(cleared=True).order_by("-reviewed_at", "-pk").first()
    pagecache.bump_public_version()
    move(document, Status.CONFIDENTIALITY_REVIEW, TRANSITIONS, what="公文")
    document.confidentiality_cleared_at = document.publish_at = document.published_at = None
    save_with_history(document, by=by, reason=f"定时发布前发现{'；'.join(problems)},退回重新保密审查",
                      fields=["status", "confidentiality_cleared_at", "publish_at", "published_at", "updated_at"])
    publishing_unit = city_office() if document.goes_to_city_office else document.issuer
    start_clock(deadlines.CONFIDENTIALITY_REVIEW, document, publishing_unit, by=by,
                subject=f"《{document.title}》保密审查")
    notices.clearance_lapsed(document, lapsed, by=by, problems=problems)


@transaction.atomic
def document_withdraw(*, document: Document, reason: str, by: User) -> Document:
    """撤回: take a published document off the public site, with a reason."""
    if not reason or not reason.strip():
        raise ValidationError({"reason": "撤回必须说明理由。"})
    document = lock(document)
    if not permissions.can_withdraw(by, document):
        raise PermissionDenied("只有发文单位负责人或市政府办公室可以撤回已发布的公文。")
    move(document, Status.WITHDRAWN, TRANSITIONS, what="公文")
    pagecache.bump_public_version()
    document.withdrawn_at = timezone.now()
    save_with_history(document, by=by, reason=f"撤回:{reason.strip()}",
                      fields=["status", "withdrawn_at", "updated_at"])
    for rule in (deadlines.PUBLISH_WITHIN_20, deadlines.ISSUE_AFTER_MEETING, deadlines.ISSUE_AFTER_MEETING_MAJOR):
        cancel_clock(rule, document, by=by, reason="公文已撤回")
    run_withdrawal_hooks(document, by=by, reason=reason.strip())
    return document


@transaction.atomic
def document_change_validity(*, document: Document, validity: str, on: date, reason: str, by: User,
                             repealed_by: Document | None = None) -> Document:
    """公文时效: mark a published document 失效 or 废止 (with the repealing document), reason required."""
    if not reason or not reason.strip():
        raise ValidationError({"reason": "变更公文时效必须说明理由。"})
    if validity not in Validity.values:
        raise ValidationError({"validity": "公文时效只能是有效、失效或废止。"})
    if validity == Validity.REPEALED and repealed_by is None:
        raise ValidationError({"repealed_by": "废止的公文须注明废止它的文件。"})
    document = lock(document)
    if not permissions.can_withdraw(by, document):
        raise PermissionDenied("只有发文单位负责人或市政府办公室可以变更公文时效。")
    bounded_date(on, field="on", label="时效变更日期")
    document.validity, document.validity_changed_on, document.repealed_by = validity, on, repealed_by
    pagecache.bump_public_version()
    save_with_history(document, by=by, reason=f"公文时效变更为{Validity(validity).label}:{reason.strip()}",
                      fields=["validity", "validity_changed_on", "repealed_by", "updated_at"])
    return document
