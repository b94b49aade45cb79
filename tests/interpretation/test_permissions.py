"""Permission matrix (I2): drafting-unit clerk / unit head / co-issuer / other unit / city office.

Every denial also asserts that nothing changed.
"""

import pytest
from django.core.exceptions import PermissionDenied

from interpretation import services
from interpretation.models import Interpretation, InterpretationPlan, PlanStatus, Status
from tests.interpretation.factories import article, joint_policy, make_plan, plan_data, qa

PEOPLE = ["clerk", "head", "co_clerk", "co_head", "other_clerk", "other_head", "reviewer"]


def _create_plan(world, who, document, plan):
    plan.delete()
    return services.plan_create(document=document, by=world[who], data=plan_data())


def _update_plan(world, who, document, plan):
    return services.plan_update(plan=plan, by=world[who], data=plan_data(outline="修改后的提纲"))


def _add_material(world, who, document, plan):
    return article(world, plan, by=world[who], title="补充材料")


def _approve_plan(world, who, document, plan):
    return services.plan_approve(plan=plan, by=world[who])


def _approve_material(world, who, document, plan):
    services.plan_approve(plan=plan, by=world.head)
    extra = article(world, plan, title="审定后补充的材料")
    return services.material_approve(interpretation=extra, by=world[who])

ACTIONS = {
    "create_plan": (_create_plan, {"clerk"}),
    "update_plan": (_update_plan, {"clerk"}),
    "add_material": (_add_material, {"clerk", "co_clerk"}),
    "approve_plan": (_approve_plan, {"head"}),
    "approve_material": (_approve_material, {"head"}),
}


def state(document):
    return (
        list(InterpretationPlan.objects.filter(document=document).values_list("status", "outline")),
        sorted(Interpretation.objects.filter(document=document).values_list("pk", "status", "title")),
        InterpretationPlan.history.count(),
        Interpretation.history.filter(history_type="+").count(),
    )


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("who", PEOPLE)
def test_I2_permission_matrix(world, who, action):
    document = joint_policy(world)
    plan = make_plan(world, document)
    qa(world, plan)
    run, allowed = ACTIONS[action]
    if who in allowed:
        run(world, who, document, plan)
        return
    if action == "create_plan":
        plan.delete()
        before = state(document)
        with pytest.raises(PermissionDenied):
            services.plan_create(document=document, by=world[who], data=plan_data())
        assert state(document) == before
        return
    if action == "approve_material":
        services.plan_approve(plan=plan, by=world.head)
        extra = article(world, plan, title="审定后补充的材料")
        before = state(document)
        with pytest.raises(PermissionDenied):
            services.material_approve(interpretation=extra, by=world[who])
        assert state(document) == before
        assert Interpretation.objects.get(pk=extra.pk).status == Status.DRAFT
        return
    before = state(document)
    with pytest.raises(PermissionDenied):
        run(world, who, document, plan)
    assert state(document) == before
    assert InterpretationPlan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT


@pytest.mark.parametrize("who, status", [
    ("clerk", 200), ("head", 200), ("co_clerk", 200), ("co_head", 200), ("other_clerk", 404), ("other_head", 404),
    ("reviewer", 404), ("citizen", 404),
])
def test_I2_staff_page_is_404_for_other_units(client, world, who, status):
    document = joint_policy(world)
    plan = make_plan(world, document)
    material = qa(world, plan)
    client.force_login(world[who])
    assert client.get(f"/work/interpretation/documents/{document.pk}/").status_code == status
    if status == 404:
        for url in (f"/work/interpretation/documents/{document.pk}/plan/",
                    f"/work/interpretation/documents/{document.pk}/materials/new/",
                    f"/work/interpretation/documents/{document.pk}/materials/{material.pk}/",
                    f"/jiedu/{material.pk}/"):
            assert client.get(url).status_code == 404, url
        for url in (f"/work/interpretation/documents/{document.pk}/plan/approve/",
                    f"/work/interpretation/documents/{document.pk}/materials/{material.pk}/approve/",
                    f"/work/interpretation/documents/{document.pk}/materials/{material.pk}/delete/"):
            assert client.post(url).status_code == 404, url
        assert InterpretationPlan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT
        assert Interpretation.objects.filter(pk=material.pk, status=Status.DRAFT).exists()


def test_city_office_sees_the_plan_once_the_document_is_submitted(client, world):
    from disclosure import services as disclosure

    from tests.interpretation.factories import approved_plan, city_policy

    document = city_policy(world)
    approved_plan(world, document)
    client.force_login(world.reviewer)
    assert client.get(f"/work/interpretation/documents/{document.pk}/").status_code == 404
    disclosure.document_submit(document=document, by=world.clerk)
    response = client.get(f"/work/interpretation/documents/{document.pk}/")
    assert response.status_code == 200 and "已审定" in response.content.decode()
    assert "审定解读方案和材料" not in response.content.decode()
