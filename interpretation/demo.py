"""Demo helpers: plans and materials made through the real services, as the demo users would."""

from .models import InterpretationPlan, MaterialKind, PlanForm, PlanStatus
from . import services


def prepare_interpretation(document, *, clerk, head, pairs=None):
    """Plan and Q&A for `document`, approved by `head` (I5): what a policy document needs before
    it is submitted. Idempotent: an existing approved plan is left alone."""
    plan = InterpretationPlan.objects.filter(document=document).first()
    if plan is None:
        plan = services.plan_create(document=document, by=clerk, data={
            "outline": "一、出台背景;二、主要内容;三、适用范围和申报条件;四、新旧政策差异。",
            "forms": [PlanForm.QA],
            "channels": "市政府网站政策解读栏目、“铜川发布”微信公众号",
            "timing": "与文件同步发布;文件实施三个月后发布跟踪解读。",
            "background": f"《{document.title}》起草过程中同步组织解读。",
            "data": "",
        })
        services.material_create(plan=plan, by=clerk, data={
            "kind": MaterialKind.QA, "title": f"《{document.title}》政策问答", "summary": "",
            "focus": ["scope", "benefits"]}, qa_pairs=pairs or [
            ("文件适用于哪些对象?", "适用于在铜川市注册登记的相关企业和单位。"),
            ("如何申请享受政策?", "符合条件的单位可向市级主管部门提出申请,具体流程见文件第三部分。"),
        ])
    if plan.status != PlanStatus.APPROVED:
        services.plan_approve(plan=plan, by=head)
    return plan
