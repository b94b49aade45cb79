"""Who is told at each hand-off of a document, and what they read (through the one notifications service).

Each service transition calls one function here inside its transaction; the message is
written with the transition and e-mailed after commit. Event keys name the occurrence
(the submission moment, the return notice, the review row), so calling twice tells no one twice.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.urls import reverse

from tongchuan_portal.notifications.recipients import city_office_role_holders, role_holders
from tongchuan_portal.notifications.services import moment_key, notify_event
from tongchuan_portal.units.models import Role

from .models import Document, Status


def _clerks(document: Document) -> list[int]:
    return role_holders(document.issuer_id, Role.Code.CLERK)


def reviewers(document: Document) -> list[int]:
    """Who reviews a submission: the city office's reviewers, or the issuing unit's head."""
    if document.goes_to_city_office:
        return city_office_role_holders(Role.Code.CITY_OFFICE_REVIEWER)
    return role_holders(document.issuer_id, Role.Code.UNIT_HEAD)


def confidentiality_reviewers(document: Document) -> list[int]:
    if document.goes_to_city_office:
        return city_office_role_holders(Role.Code.CONFIDENTIALITY_REVIEWER)
    return role_holders(document.issuer_id, Role.Code.CONFIDENTIALITY_REVIEWER)


def submitted(document: Document, *, by: User, resubmission: bool) -> None:
    what = "重新报送" if resubmission else "报送"
    notify_event(f"document.submitted:{document.pk}:{moment_key(document.submitted_at)}", reviewers(document), by=by,
                 title=f"【待审核】《{document.title}》已{what},请审核",
                 body=f"{document.issuer.name}{what}了公文《{document.title}》,请审核后通过或退文。",
                 url=reverse("disclosure:review", args=[document.pk]))


def returned(document: Document, notice, *, by: User, reasons: str) -> None:
    notify_event(f"document.returned:{notice.pk}", _clerks(document), by=by,
                 title=f"【退文】《{document.title}》被退回,请修改",
                 body=f"退文理由:{reasons}。请按退文理由修改后重新报送。",
                 url=document.get_absolute_url())


def accepted(document: Document, *, by: User) -> None:
    next_step = "已转保密审查,审查通过后发布。" if document.status == Status.CONFIDENTIALITY_REVIEW else "审核流程已完成。"
    notify_event(f"document.accepted:{document.pk}:{moment_key(document.accepted_at)}", _clerks(document), by=by,
                 title=f"【审核通过】《{document.title}》", body=f"公文《{document.title}》审核通过,{next_step}",
                 url=document.get_absolute_url())
    if document.status == Status.CONFIDENTIALITY_REVIEW:
        notify_event(f"document.confidentiality_waiting:{document.pk}:{moment_key(document.accepted_at)}",
                     confidentiality_reviewers(document), by=by,
                     title=f"【待保密审查】《{document.title}》",
                     body=f"公文《{document.title}》已审核通过,请在发布前进行保密审查。",
                     url=reverse("disclosure:confidentiality_review", args=[document.pk]))


def seal_review_requested(review, *, by: User) -> None:
    document = review.document
    notify_event(f"seal_review.requested:{review.pk}", role_holders(review.unit_id, Role.Code.TRANSPARENCY_OFFICE),
                 by=by, title=f"【待公开属性审查】《{document.title}》",
                 body=f"公文《{document.title}》拟{document.get_attribute_display()},请审查公开属性并加盖单位公章。",
                 url=reverse("disclosure:seal_decide", args=[review.pk]))


def seal_review_decided(review, *, by: User) -> None:
    document = review.document
    opinion = f"审查意见:{review.opinion}。" if review.opinion else ""
    notify_event(f"seal_review.decided:{review.pk}", _clerks(document), by=by,
                 title=f"【公开属性审查结论】《{document.title}》:{review.get_decision_display()}",
                 body=f"本单位政务公开工作机构的审查结论:{review.get_decision_display()}。{opinion}",
                 url=document.get_absolute_url())


def cleared(document: Document, review, *, by: User) -> None:
    when = "已发布" if document.status == Status.PUBLISHED else "将按定时发布"
    notify_event(f"document.cleared:{review.pk}", _clerks(document), by=by,
                 title=f"【保密审查通过】《{document.title}》{when}",
                 body=f"公文《{document.title}》保密审查通过,{when}。", url=document.get_absolute_url())


def clearance_lapsed(document: Document, review, *, by: User, problems: list[str]) -> None:
    """A scheduled item changed after its clearance and is back in 保密审查 (keyed by the lapsed clearance)."""
    notify_event(f"document.clearance_lapsed:{review.pk}", confidentiality_reviewers(document), by=by,
                 title=f"【重新保密审查】《{document.title}》",
                 body=f"公文《{document.title}》{'；'.join(problems)},未按定时发布,请重新进行保密审查。",
                 url=reverse("disclosure:confidentiality_review", args=[document.pk]))
