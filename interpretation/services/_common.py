"""Helpers the interpretation services share: the row locks they take and how they tidy typed text."""

from __future__ import annotations

from ..models import Interpretation, InterpretationPlan


def lock_plan(plan: InterpretationPlan) -> InterpretationPlan:
    return InterpretationPlan.objects.select_for_update().select_related("document", "unit").get(pk=plan.pk)


def lock_material(interpretation: Interpretation) -> Interpretation:
    return (Interpretation.objects.select_for_update(of=("self",))
            .select_related("document", "document__interpretation_plan").get(pk=interpretation.pk))


def clean_text(value) -> str:
    return (value or "").strip()
