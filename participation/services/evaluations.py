"""Third-party evaluations (P5)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tongchuan_portal.core.workflow import save_with_history
from tongchuan_portal.units.models import Unit

from .. import permissions
from ..models import Area, Evaluation
from ._common import _deny, clean_text


@transaction.atomic
def evaluation_create(*, unit: Unit, title: str, policy_title: str, evaluator: str, area: str, summary: str,
                      report: str, by: User) -> Evaluation:
    if not permissions.can_manage_evaluation(by, unit):
        _deny()
    if area not in Area.values:
        raise ValidationError({"area": "请选择领域。"})
    evaluation = Evaluation(
        unit=unit, area=area, created_by=by,
        title=clean_text(title, field="title", label="评估报告名称", max_chars=200),
        policy_title=clean_text(policy_title, field="policy_title", label="被评估政策", max_chars=200),
        evaluator=clean_text(evaluator, field="evaluator", label="评估机构", max_chars=100),
        summary=clean_text(summary, field="summary", label="评估结论摘要", max_chars=5000),
        report=clean_text(report, field="report", label="报告正文", max_chars=100000),
    )
    save_with_history(evaluation, by=by, reason="录入第三方评估")
    return evaluation


@transaction.atomic
def evaluation_publish(*, evaluation: Evaluation, by: User) -> Evaluation:
    if not permissions.can_manage_evaluation(by, evaluation.unit):
        _deny()
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.published_at:
        raise ValidationError("该评估报告已公布。")
    evaluation.published_at = timezone.now()
    save_with_history(evaluation, by=by, reason="公布第三方评估报告", fields=["published_at"])
    return evaluation
