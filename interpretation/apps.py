from django.apps import AppConfig


class InterpretationConfig(AppConfig):
    """政策解读 — interpretations approved and released with their documents."""

    name = "interpretation"
    verbose_name = "政策解读"

    def ready(self):
        from disclosure import hooks

        from . import services
        from .deadlines import register_rules

        register_rules()
        # I5, I10: no submission of a policy document without an approved plan and materials.
        hooks.register_submission_check(services.check_submission)
        # I4, I8, I9: approved interpretations go public with the document, in its transaction.
        hooks.register_publication_hook(services.publish_with_document)
        hooks.register_withdrawal_hook(services.stop_follow_up_on_withdrawal)
        # D7: 保密审查 sees and records the materials the document's publication releases.
        hooks.register_clearance_provider(services.clearance_section)
        # I8: the document's public page links to its interpretations (one query).
        from disclosure.integrations import register_document_section, register_staff_document_section

        register_document_section(document_section)
        # The staff document page shows the plan's state and the next step (解读 section).
        register_staff_document_section(staff_document_section)
        # The city office's review page shows the plan and materials, or their absence (I5).
        from disclosure.integrations import register_review_section

        register_review_section(services.review_section)


def document_section(document):
    from .selectors import interpretations_of_public_document

    interpretations = interpretations_of_public_document(document)
    if not interpretations:
        return None
    return {"template": "interpretation/_for_document.html", "interpretations": interpretations}


def staff_document_section(document, user):
    """解读 on the workspace document page: the plan's state and the one next step, with its link."""
    from django.urls import reverse

    from . import permissions, services
    from .models import InterpretationPlan, PlanStatus

    plan = InterpretationPlan.objects.filter(document=document).select_related("approved_by").first()
    if plan is None and not services.needs_interpretation(document):
        return None
    work_url = reverse("interpretation:document", args=[document.pk])
    if plan is None:
        state, action = "尚未编制解读方案", ("编制解读方案", reverse("interpretation:plan", args=[document.pk]))
        if not permissions.can_create_plan(user, document):
            action = ("查看政策解读", work_url)
    elif plan.status == PlanStatus.APPROVED:
        state, action = "已审定", ("查看解读方案和材料", work_url)
    elif plan.approval_requested_at:
        state = "已报负责人审定,等待审定"
        action = ("审定解读方案", work_url) if permissions.can_approve_plan(user, plan) else ("查看解读方案", work_url)
    else:
        state = "编制中"
        action = ("报负责人审定", work_url) if permissions.can_edit_plan(user, plan) else ("查看解读方案", work_url)
        if permissions.can_approve_plan(user, plan):
            action = ("审定解读方案", work_url)
    materials = document.interpretations.count() if plan is not None else 0
    return {"template": "interpretation/_staff_section.html", "plan": plan, "state": state, "action": action,
            "materials": materials, "work_url": work_url}
