"""The interpretation rules in the services, whatever the path (I1–I11)."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from disclosure import services as disclosure
from disclosure.models import Document, ReturnReason, Status as DocumentStatus
from interpretation import deadlines, selectors, services
from interpretation.models import Interpretation, MaterialKind, PlanForm, PlanStatus, Reprint, Status
from tongchuan_portal.clock.models import Deadline, DeadlineState
from tongchuan_portal.clock.services import deadlines_sweep
from tongchuan_portal.clock.workdays import BEIJING, add_working_days, beijing_date
from tongchuan_portal.notifications.models import Notification
from tests.interpretation.factories import (
    ALT, approved_plan, article, city_policy, joint_policy, make_plan, own_policy, plan_data, png, publish, qa,
)


def bj(*args):
    return datetime(*args, tzinfo=BEIJING)


# --- I5: city-government policy documents ---------------------------------------------------------


def test_I5_policy_document_for_the_city_government_without_a_plan_is_refused_at_submission(world):
    document = city_policy(world)
    with pytest.raises(ValidationError) as error:
        disclosure.document_submit(document=document, by=world.clerk)
    assert "报送时须附经本单位主要负责人审定的解读方案和解读材料" in error.value.messages[0] and "尚未编制解读方案。" in error.value.messages
    assert Document.objects.get(pk=document.pk).status == DocumentStatus.DRAFT


def test_I5_plan_not_yet_approved_by_the_unit_head_is_refused(world):
    document = city_policy(world)
    plan = make_plan(world, document)
    qa(world, plan)
    with pytest.raises(ValidationError) as error:
        disclosure.document_submit(document=document, by=world.clerk)
    assert "解读方案尚未经本单位主要负责人审定。" in error.value.messages
    assert Document.objects.get(pk=document.pk).status == DocumentStatus.DRAFT


def test_I5_approved_plan_and_materials_let_the_submission_through_with_the_approval_recorded(world):
    document = city_policy(world)
    before = timezone.now()
    plan = approved_plan(world, document)
    assert plan.status == PlanStatus.APPROVED and plan.approved_by == world.head and plan.approved_at >= before
    material = Interpretation.objects.get(document=document)
    assert material.status == Status.APPROVED and material.approved_by == world.head
    assert material.approved_at == plan.approved_at  # one recorded act
    disclosure.document_submit(document=document, by=world.clerk)
    assert Document.objects.get(pk=document.pk).status == DocumentStatus.SUBMITTED
    history = plan.history.first()
    assert history.history_user == world.head and "审定" in history.history_change_reason


def test_I5_city_office_can_return_for_missing_interpretation(world):
    reason = ReturnReason.objects.get(code="missing-interpretation")
    assert reason.label == "缺少解读方案或解读材料" and reason.rule_id == "I5"
    document = city_policy(world)
    approved_plan(world, document)
    disclosure.document_submit(document=document, by=world.clerk)
    notice = disclosure.document_return(document=Document.objects.get(pk=document.pk), by=world.reviewer,
                                        reasons=["missing-interpretation"], note="解读材料过于简单。")
    assert list(notice.reasons.values_list("label", flat=True)) == ["缺少解读方案或解读材料"]


def test_I7_every_planned_form_needs_its_material_before_approval(world):
    document = city_policy(world)
    plan = make_plan(world, document, forms=[PlanForm.QA, PlanForm.GRAPHIC])
    qa(world, plan)
    with pytest.raises(ValidationError) as error:
        services.plan_approve(plan=plan, by=world.head)
    assert "解读方案中的“网上图解”尚无对应的解读材料。" in error.value.messages
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.approved_at is None


def test_I6_plan_needs_outline_forms_channels_timing_background(world):
    document = city_policy(world)
    with pytest.raises(ValidationError) as error:
        services.plan_create(document=document, by=world.clerk, data=plan_data(
            forms=[], outline=" ", channels="", timing="", background=""))
    assert set(error.value.message_dict) == {"outline", "forms", "channels", "timing", "background"}
    from interpretation.models import InterpretationPlan

    assert not InterpretationPlan.objects.filter(document=document).exists()
    assert not InterpretationPlan.history.exists()  # nothing was saved, not even for a moment


def test_non_public_policy_documents_need_no_interpretation(world):
    from tests.disclosure.factories import not_public

    data = not_public(kind="policy", issued_in_name_of="city_government", title="内部研究稿")
    document = disclosure.document_create(by=world.clerk, issuer=world.fgw, data=data)
    assert not services.needs_interpretation(document)
    services.check_submission(document)  # nothing to release with an unpublished document


# --- I10: a unit's own policy documents --------------------------------------------------------------


def test_I10_own_policy_document_needs_plan_and_materials_signed_with_it(world):
    document = own_policy(world)
    with pytest.raises(ValidationError) as error:
        disclosure.document_submit(document=document, by=world.clerk)
    assert "解读方案和解读材料须与文件一并审签" in error.value.messages[0]
    assert Document.objects.get(pk=document.pk).status == DocumentStatus.DRAFT
    approved_plan(world, document)
    disclosure.document_submit(document=document, by=world.clerk)
    disclosure.document_accept(document=Document.objects.get(pk=document.pk), by=world.head)  # signed together
    assert Document.objects.get(pk=document.pk).status == DocumentStatus.CONFIDENTIALITY_REVIEW


def test_I4_materials_are_frozen_while_the_document_is_under_review(world):
    document = city_policy(world)
    plan = approved_plan(world, document)
    disclosure.document_submit(document=document, by=world.clerk)
    material = Interpretation.objects.get(document=document)
    with pytest.raises(PermissionDenied):
        services.material_update(interpretation=material, by=world.clerk, data={"title": "改标题"})
    with pytest.raises(PermissionDenied):
        article(world, plan)
    material.refresh_from_db()
    assert material.title == "一图读懂若干措施之问答" and material.status == Status.APPROVED


def test_I4_editing_an_approved_material_lapses_its_approval(world):
    document = city_policy(world)
    approved_plan(world, document)
    material = Interpretation.objects.get(document=document)
    services.material_update(interpretation=material, by=world.clerk, data={"title": "新标题"})
    material.refresh_from_db()
    assert material.status == Status.DRAFT and material.approved_by is None
    with pytest.raises(ValidationError):
        disclosure.document_submit(document=document, by=world.clerk)


# --- I2: joint documents --------------------------------------------------------------------------------


def test_I2_co_issuer_contributes_material_but_cannot_approve(world):
    document = joint_policy(world)
    plan = make_plan(world, document, forms=[PlanForm.QA, PlanForm.PRESS_CONFERENCE])
    qa(world, plan)
    contributed = services.material_create(plan=plan, by=world.co_clerk, data={
        "kind": MaterialKind.PRESS_RELEASE, "title": "市教育局新闻发布稿", "body": "发布会答记者问。"})
    assert contributed.contributor == world.jyj and contributed.unit == world.fgw  # it belongs to the lead unit
    with pytest.raises(PermissionDenied):
        services.plan_approve(plan=plan, by=world.co_head)
    with pytest.raises(PermissionDenied):
        services.plan_update(plan=plan, by=world.co_clerk, data=plan_data(outline="改提纲"))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.history.count() == 1
    services.plan_approve(plan=plan, by=world.head)
    contributed.refresh_from_db()
    assert contributed.status == Status.APPROVED and contributed.approved_by == world.head


def test_I2_co_issuer_added_later_gets_its_grant_and_removed_one_loses_it(world):
    document = own_policy(world)
    plan = make_plan(world, document)
    with pytest.raises(PermissionDenied):
        article(world, plan, by=world.co_clerk)
    disclosure.document_update(document=document, by=world.clerk, data={}, co_issuers=[world.jyj])
    services.plan_update(plan=plan, by=world.clerk, data=plan_data())
    assert article(world, plan, by=world.co_clerk).contributor == world.jyj
    disclosure.document_update(document=Document.objects.get(pk=document.pk), by=world.clerk, data={},
                               co_issuers=[])
    services.plan_update(plan=plan, by=world.clerk, data=plan_data())
    with pytest.raises(PermissionDenied):
        article(world, plan, by=world.co_clerk)


# --- I4, I8: the same moment -------------------------------------------------------------------------------


def test_I4_I8_publishing_the_document_publishes_its_interpretations_at_the_same_moment(world):
    document = city_policy(world)
    approved_plan(world, document)
    draft = article(world, Document.objects.get(pk=document.pk).interpretation_plan, title="未审定的草稿")
    document = publish(world, document)
    assert document.status == DocumentStatus.PUBLISHED
    released = Interpretation.objects.get(document=document, status=Status.PUBLISHED)
    assert released.published_at == document.published_at and released.round == 1
    assert released.published_by == world.city_secrecy
    assert selectors.interpretations_for_documents([document.pk]) == {document.pk: [released]}
    assert Interpretation.objects.get(pk=draft.pk).status == Status.DRAFT
    assert not selectors.is_public(draft)


def test_I8_a_failure_later_in_the_publishing_transaction_publishes_neither(world):
    from disclosure import hooks

    document = city_policy(world)
    approved_plan(world, document)
    disclosure.document_submit(document=document, by=world.clerk)
    disclosure.document_accept(document=Document.objects.get(pk=document.pk), by=world.reviewer)

    def broken(document, *, by):
        raise RuntimeError("publication failed")

    hooks.register_publication_hook(broken)
    try:
        with pytest.raises(RuntimeError):
            disclosure.confidentiality_decide(document=Document.objects.get(pk=document.pk), cleared=True,
                                              opinion="", by=world.city_secrecy)
    finally:
        hooks._publication_hooks.remove(broken)
    assert Document.objects.get(pk=document.pk).status == DocumentStatus.CONFIDENTIALITY_REVIEW
    assert Interpretation.objects.get(document=document).status == Status.APPROVED
    assert selectors.interpretations_public().count() == 0


def test_I8_scheduled_document_and_its_interpretations_appear_at_the_same_moment(world):
    document = city_policy(world)
    approved_plan(world, document)
    disclosure.document_submit(document=document, by=world.clerk)
    disclosure.document_accept(document=Document.objects.get(pk=document.pk), by=world.reviewer)
    moment = timezone.now() + timedelta(hours=2)
    disclosure.confidentiality_decide(document=Document.objects.get(pk=document.pk), cleared=True, opinion="",
                                      by=world.city_secrecy, publish_at=moment)
    material = Interpretation.objects.get(document=document)
    assert not selectors.is_public(material)
    with time_machine.travel(moment + timedelta(seconds=1)):
        assert selectors.is_public(material)  # public with the document, before the publish task has run
        assert selectors.interpretations_for_documents([document.pk])[document.pk][0].release_at == moment
        disclosure.documents_publish_scheduled(by=world.city_secrecy)
    material.refresh_from_db()
    assert material.status == Status.PUBLISHED and material.published_at == moment


def test_I8_no_path_shows_an_interpretation_of_an_unpublished_or_withdrawn_document(world, client):
    document = city_policy(world, title="铜川市稳岗就业十条")
    approved_plan(world, document)
    material = Interpretation.objects.get(document=document)
    paths = lambda: (  # noqa: E731
        selectors.interpretations_public().filter(pk=material.pk).exists(),
        material.pk in [m.pk for m in selectors.column()],
        material.pk in [m.pk for m in selectors.search_public("稳岗")],
        document.pk in selectors.interpretations_for_documents([document.pk]),
        client.get(f"/jiedu/{material.pk}/").status_code == 200,
        "稳岗就业十条" in client.get("/jiedu/").content.decode(),
        "稳岗就业十条" in client.get("/jiedu/?q=稳岗").content.decode(),
    )
    assert not any(paths())  # approved, but the document is a draft
    publish(world, document)
    assert all(paths())
    disclosure.document_withdraw(document=Document.objects.get(pk=document.pk), reason="政策调整",
                                 by=world.reviewer)
    assert not any(paths())


# --- I9: follow-ups ---------------------------------------------------------------------------------------------


def test_I9_publication_starts_the_follow_up_clock_and_a_follow_up_meets_it_in_order(world):
    document = city_policy(world)
    approved_plan(world, document)
    document = publish(world, document)
    plan = document.interpretation_plan
    deadline = Deadline.objects.get(rule=deadlines.FOLLOW_UP)
    assert deadline.state == DeadlineState.RUNNING and deadline.unit == world.fgw and deadline.rule_id == "I9"
    assert deadline.started_at == document.published_at
    due_day = add_working_days(beijing_date(document.published_at), deadlines.follow_up_days())
    assert beijing_date(deadline.due_at) == due_day

    follow_up = article(world, plan, title="政策实施三个月跟踪解读")
    services.material_approve(interpretation=follow_up, by=world.head)
    with pytest.raises(PermissionDenied):  # not the publishing unit's confidentiality reviewer
        services.follow_up_publish(document=document, by=world.secrecy)
    released = services.follow_up_publish(document=document, by=world.city_secrecy)
    assert [m.round for m in released] == [2]
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.MET
    public = selectors.interpretations_for_documents([document.pk])[document.pk]
    assert [(m.round, m.title) for m in public] == [(1, "一图读懂若干措施之问答"), (2, "政策实施三个月跟踪解读")]


def test_I9_the_clock_reminds_then_escalates_when_no_follow_up_comes(world):
    document = city_policy(world)
    approved_plan(world, document)
    publish(world, document)
    deadline = Deadline.objects.get(rule=deadlines.FOLLOW_UP)
    deadlines_sweep(now=deadline.due_at - timedelta(days=5))  # the 10-day reminder only
    assert Notification.objects.filter(recipient=world.clerk, title__startswith="【即将到期】").exists()
    deadlines_sweep(now=deadline.due_at + timedelta(days=6))
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.MISSED
    assert Notification.objects.filter(recipient=world.head, title__contains="跟踪解读").exists()
    assert Notification.objects.filter(recipient=world.reviewer, title__contains="逾期督办").exists()
    # A late follow-up still closes it, on the record as late.
    follow_up = article(world, document.interpretation_plan, title="迟到的跟踪解读")
    services.material_approve(interpretation=follow_up, by=world.head)
    services.follow_up_publish(document=Document.objects.get(pk=document.pk), by=world.city_secrecy)
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.MET and deadline.was_late


def test_I9_withdrawing_a_follow_up_keeps_the_others(world):
    document = city_policy(world)
    approved_plan(world, document)
    publish(world, document)
    material = Interpretation.objects.get(document=document)
    with pytest.raises(ValidationError):
        services.interpretation_withdraw(interpretation=material, by=world.head, reason=" ")
    with pytest.raises(PermissionDenied):
        services.interpretation_withdraw(interpretation=material, by=world.clerk, reason="表述有误")
    services.interpretation_withdraw(interpretation=material, by=world.head, reason="表述有误")
    assert not selectors.is_public(Interpretation.objects.get(pk=material.pk))


# --- I3, I11: material kinds and experts -------------------------------------------------------------------


def test_I3_graphic_needs_a_real_image_and_a_text_alternative(world):
    document = city_policy(world)
    plan = make_plan(world, document, forms=[PlanForm.GRAPHIC])
    data = {"kind": MaterialKind.GRAPHIC, "title": "一图读懂", "image_alt": ""}
    with pytest.raises(ValidationError) as error:
        services.material_create(plan=plan, by=world.clerk, data=data, image=png())
    assert "image_alt" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.material_create(plan=plan, by=world.clerk, data={**data, "image_alt": ALT},
                                 image=png(data=b"MZ\x90\x00 not an image"))
    assert "不是 PNG 或 JPEG" in error.value.message_dict["image"][0]
    with pytest.raises(ValidationError) as error:
        services.material_create(plan=plan, by=world.clerk, data={**data, "image_alt": ALT}, image=png("图.jpg"))
    assert "与扩展名不符" in error.value.message_dict["image"][0]
    assert not Interpretation.objects.exists()
    graphic = services.material_create(plan=plan, by=world.clerk, data={**data, "image_alt": ALT}, image=png())
    assert graphic.image_type == "png" and graphic.image.name.endswith(".png") and "图解" not in graphic.image.name


@pytest.mark.parametrize("kind, data, field", [
    (MaterialKind.INTERVIEW, {"guests": "", "transcript": "实录"}, "guests"),
    (MaterialKind.MEDIA, {"media_url": "https://v.example.cn/1", "transcript": ""}, "transcript"),
    (MaterialKind.DATA, {"table_caption": "表", "table_text": "年份,数量\n2025,1,2"}, "table_text"),
    (MaterialKind.EXPERT, {"body": "解读"}, "expert"),
    (MaterialKind.QA, {}, "qa_pairs"),
])
def test_I3_each_kind_has_what_it_needs(world, kind, data, field):
    plan = make_plan(world, city_policy(world))
    with pytest.raises(ValidationError) as error:
        services.material_create(plan=plan, by=world.clerk, data={"kind": kind, "title": "标题", **data})
    assert field in error.value.message_dict


def test_I11_expert_interpretation_links_an_expert_from_the_team(world):
    expert = services.expert_create(by=world.clerk, unit=world.fgw, data={
        "name": "王明", "title": "教授", "affiliation": "西北大学经济管理学院", "sector": "economy",
        "specialties": "区域经济、投资政策"})
    plan = make_plan(world, city_policy(world), forms=[PlanForm.EXPERT])
    material = services.material_create(plan=plan, by=world.clerk, data={
        "kind": MaterialKind.EXPERT, "title": "专家解读若干措施", "body": "措施有三大亮点。", "expert": expert,
        "focus": ["benefits", "differences"]})
    assert material.expert == expert and material.get_focus_display() == ["惠民举措", "新旧政策差异"]
    services.expert_update(expert=expert, by=world.clerk, data={**{k: getattr(expert, k) for k in (
        "name", "title", "affiliation", "sector", "specialties")}, "is_active": False})
    with pytest.raises(ValidationError):
        services.material_create(plan=plan, by=world.clerk, data={
            "kind": MaterialKind.EXPERT, "title": "再解读", "body": "正文", "expert": expert})
    with pytest.raises(PermissionDenied):
        services.expert_update(expert=expert, by=world.other_clerk, data={})


# --- I1: reprints ----------------------------------------------------------------------------------------


def test_I1_reprint_with_source_link_number_and_date_then_dated_implementation_notes(world):
    data = {"title": "国务院关于促进民间投资的意见", "source": "中国政府网", "source_level": "central",
            "original_url": "https://www.gov.cn/zhengce/content/2026-01/05/content_1.htm",
            "original_number": "国发〔2026〕1号", "original_date": bj(2026, 1, 5).date(), "body": "全文。"}
    with pytest.raises(ValidationError) as error:
        services.reprint_create(by=world.clerk, unit=world.fgw, data={**data, "original_url": "gov.cn",
                                                                     "source": ""})
    assert set(error.value.message_dict) == {"original_url", "source"}
    reprint = services.reprint_create(by=world.clerk, unit=world.fgw, data=data)
    assert not selectors.reprints_public().exists()
    with pytest.raises(PermissionDenied):
        services.reprint_publish(reprint=reprint, by=world.clerk)
    services.reprint_publish(reprint=reprint, by=world.secrecy)
    with pytest.raises(PermissionDenied):
        services.reprint_note_add(reprint=reprint, by=world.other_clerk, noted_on=bj(2026, 2, 1).date(), body="x")
    services.reprint_note_add(reprint=reprint, by=world.clerk, noted_on=bj(2026, 3, 2).date(),
                              body="已制定本市实施细则。")
    public = selectors.reprint_public(reprint.pk)
    assert public.original_number == "国发〔2026〕1号" and [n.body for n in public.notes.all()] == ["已制定本市实施细则。"]
    services.reprint_withdraw(reprint=reprint, by=world.head, reason="已失效")
    assert not Reprint.objects.filter(pk__in=selectors.reprints_public().values("pk")).exists()


@time_machine.travel(datetime(2026, 6, 1, 10, tzinfo=BEIJING), tick=False)
def test_I1_a_reprint_and_its_notes_carry_dates_that_have_happened(world):
    data = {"title": "国务院关于促进民间投资的意见", "source": "中国政府网", "source_level": "central",
            "original_url": "https://www.gov.cn/zhengce/content/2026-01/05/content_1.htm", "body": "全文。"}
    for original_date, message in [(None, "请填写原文发布日期。"), (date(2026, 6, 2), "原文发布日期不能晚于今天。")]:
        with pytest.raises(ValidationError) as error:
            services.reprint_create(by=world.clerk, unit=world.fgw, data={**data, "original_date": original_date})
        assert error.value.message_dict == {"original_date": [message]}
    assert not Reprint.objects.exists()
    reprint = services.reprint_create(by=world.clerk, unit=world.fgw, data={**data, "original_date": date(2026, 6, 1)})
    services.reprint_publish(reprint=reprint, by=world.secrecy)
    for noted_on, message in [(None, "请填写日期。"), (date(2026, 6, 2), "日期不能晚于今天。")]:
        with pytest.raises(ValidationError) as error:
            services.reprint_note_add(reprint=reprint, by=world.clerk, noted_on=noted_on, body="已制定实施细则。")
        assert error.value.message_dict == {"noted_on": [message]}
    assert not reprint.notes.exists()


def test_I9_withdrawing_the_document_cancels_the_follow_up_clock(world):
    document = city_policy(world)
    approved_plan(world, document)
    publish(world, document)
    clock = Deadline.objects.get(rule=deadlines.FOLLOW_UP)
    assert clock.state == DeadlineState.RUNNING
    disclosure.document_withdraw(document=Document.objects.get(pk=document.pk), reason="内容有误",
                                          by=world.reviewer)
    clock.refresh_from_db()
    assert clock.state == DeadlineState.CANCELLED
    assert "原文已撤回" in clock.history.first().history_change_reason
