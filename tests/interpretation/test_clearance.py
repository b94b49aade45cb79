"""D7: 保密审查 sees everything its clearance publishes — document, attachments, interpretation materials —
records each item with its version, and a change after clearance needs a new clearance."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from disclosure import services as disclosure
from disclosure.models import ConfidentialityReview, Document, Status as DocumentStatus
from interpretation import services
from interpretation.models import Interpretation, MaterialKind, PlanForm, QAPair, Status
from tests.disclosure.factories import pdf
from tests.interpretation.factories import ALT, city_policy, make_plan, png, qa


def _in_clearance(world):
    """A city-office policy with an attachment, Q&A, a graphic and a media link, waiting for 保密审查."""
    document = city_policy(world)
    disclosure.attachment_add(document=document, uploaded=pdf("实施细则.pdf"), by=world.clerk)
    plan = make_plan(world, document, forms=[PlanForm.QA, PlanForm.GRAPHIC, PlanForm.MEDIA_INTERVIEW])
    qa(world, plan, pairs=[("哪些企业可以申报?", "在铜川注册的民营企业均可申报。")])
    services.material_create(plan=plan, by=world.clerk, image=png(), data={
        "kind": MaterialKind.GRAPHIC, "title": "一图读懂若干措施", "image_alt": ALT})
    services.material_create(plan=plan, by=world.clerk, data={
        "kind": MaterialKind.MEDIA, "title": "局长谈若干措施", "media_url": "https://v.tongchuan.gov.cn/jd/1.mp4",
        "transcript": "访谈实录全文。"})
    services.plan_approve(plan=plan, by=world.head)
    disclosure.document_submit(document=Document.objects.get(pk=document.pk), by=world.clerk)
    disclosure.document_accept(document=Document.objects.get(pk=document.pk), by=world.reviewer)
    return Document.objects.get(pk=document.pk)


def test_D7_clearance_page_shows_every_item_it_will_publish(client, world):
    document = _in_clearance(world)
    client.force_login(world.city_secrecy)
    html = client.get(f"/work/confidentiality/{document.pk}/").content.decode()
    for text in ("<p>正文第一段。</p>", "实施细则.pdf", "哪些企业可以申报?", "在铜川注册的民营企业均可申报。",
                 "一图读懂若干措施", ALT, "https://v.tongchuan.gov.cn/jd/1.mp4", "访谈实录全文。", "局长谈若干措施",
                 "以下5项内容将同时发布"):
        assert text in html, text
    assert 'name="seen"' in html


def test_D7_clearance_records_exactly_the_items_and_versions_it_covered(client, world):
    document = _in_clearance(world)
    client.force_login(world.city_secrecy)
    seen = client.get(f"/work/confidentiality/{document.pk}/").context["seen"]
    response = client.post(f"/work/confidentiality/{document.pk}/", {"decision": "cleared", "opinion": "不涉密。",
                                                                   "seen": seen})
    assert response.status_code == 302
    review = ConfidentialityReview.objects.get(document=document, cleared=True)
    kinds = sorted(item["kind"] for item in review.covered_items)
    assert kinds == ["attachment", "document", "interpretation", "interpretation", "interpretation"]
    materials = {m.pk: m for m in Interpretation.objects.filter(document=document)}
    for item in review.covered_items:
        assert item["digest"] and item["history_id"]
        if item["kind"] == "interpretation":
            assert item["history_id"] in set(materials[item["pk"]].history.values_list("history_id", flat=True))
    assert review.covered_digest == seen
    assert {m.status for m in materials.values()} == {Status.PUBLISHED}
    assert Document.objects.get(pk=document.pk).status == DocumentStatus.PUBLISHED


def test_D7_a_change_while_the_reviewer_looks_refuses_the_clearance_and_changes_nothing(client, world):
    document = _in_clearance(world)
    client.force_login(world.city_secrecy)
    seen = client.get(f"/work/confidentiality/{document.pk}/").context["seen"]
    pair = QAPair.objects.get(interpretation__document=document)
    QAPair.objects.filter(pk=pair.pk).update(answer="改过的回答。")  # e.g. through the admin or the shell
    response = client.post(f"/work/confidentiality/{document.pk}/", {"decision": "cleared", "opinion": "",
                                                                   "seen": seen})
    assert response.status_code == 200
    assert "审查期间待发布的内容有变更" in response.content.decode()
    assert not ConfidentialityReview.objects.filter(document=document).exists()
    assert Document.objects.get(pk=document.pk).status == DocumentStatus.CONFIDENTIALITY_REVIEW
    assert not Interpretation.objects.filter(document=document, status=Status.PUBLISHED).exists()


def test_D7_a_material_changed_after_a_scheduled_clearance_sends_the_document_back(world, time_machine):
    document = _in_clearance(world)
    later = timezone.now() + timedelta(days=2)
    disclosure.confidentiality_decide(document=document, cleared=True, opinion="", by=world.city_secrecy,
                                      publish_at=later)
    assert Document.objects.get(pk=document.pk).status == DocumentStatus.SCHEDULED
    material = Interpretation.objects.get(document=document, kind=MaterialKind.GRAPHIC)
    Interpretation.objects.filter(pk=material.pk).update(image_alt=ALT + "另有新增内容。")
    with pytest.raises(ValidationError) as error:
        disclosure._publish(Document.objects.get(pk=document.pk), by=world.city_secrecy, at=later)
    assert "一图读懂若干措施" in str(error.value) and "须重新进行保密审查" in str(error.value)
    time_machine.move_to(later + timedelta(minutes=1))
    from tongchuan_portal.core.services import system_user

    disclosure.documents_publish_scheduled(by=system_user())
    document = Document.objects.get(pk=document.pk)
    assert document.status == DocumentStatus.CONFIDENTIALITY_REVIEW and document.confidentiality_cleared_at is None
    assert not Interpretation.objects.filter(document=document, status=Status.PUBLISHED).exists()
    assert "退回重新保密审查" in document.history.first().history_change_reason
    from tongchuan_portal.notifications.models import Notification

    told = Notification.objects.filter(title__startswith="【重新保密审查】")
    assert list(told.values_list("recipient__username", flat=True)) == ["city_secrecy"]
    # A new clearance covers the changed material and publishes it.
    disclosure.confidentiality_decide(document=document, cleared=True, opinion="", by=world.city_secrecy)
    assert Interpretation.objects.get(pk=material.pk).status == Status.PUBLISHED


def test_D7_unchanged_scheduled_clearance_publishes_at_its_moment(world, time_machine):
    document = _in_clearance(world)
    later = timezone.now() + timedelta(days=2)
    disclosure.confidentiality_decide(document=document, cleared=True, opinion="", by=world.city_secrecy,
                                      publish_at=later)
    time_machine.move_to(later + timedelta(minutes=1))
    from tongchuan_portal.core.services import system_user

    disclosure.documents_publish_scheduled(by=system_user())
    assert Document.objects.get(pk=document.pk).status == DocumentStatus.PUBLISHED
    assert set(Interpretation.objects.filter(document=document).values_list("status", flat=True)) == {Status.PUBLISHED}


@pytest.mark.parametrize("who", ["other_secrecy", "secrecy", "clerk"])
def test_D7_reviewer_of_another_unit_sees_nothing_and_changes_nothing(client, world, who):
    document = _in_clearance(world)
    client.force_login(world[who])
    response = client.get(f"/work/confidentiality/{document.pk}/")
    assert response.status_code in (403, 404)
    assert "在铜川注册的民营企业均可申报" not in response.content.decode()
    response = client.post(f"/work/confidentiality/{document.pk}/", {"decision": "cleared", "opinion": ""})
    assert response.status_code in (403, 404)
    assert Document.objects.get(pk=document.pk).status == DocumentStatus.CONFIDENTIALITY_REVIEW
    assert not ConfidentialityReview.objects.exists()


def test_D7_clearance_page_runs_a_constant_number_of_queries(client, world, django_assert_max_num_queries):
    document = _in_clearance(world)
    client.force_login(world.city_secrecy)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(f"/work/confidentiality/{document.pk}/")
    for n in range(3):  # written directly: the services freeze materials while the document is in review
        Interpretation.objects.create(
            document=document, unit=world.fgw, contributor=world.fgw, kind=MaterialKind.QA, title=f"补充问答{n}",
            status=Status.APPROVED, approved_by=world.head, approved_at=timezone.now(), created_by=world.clerk)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(f"/work/confidentiality/{document.pk}/").content.decode()
    assert "补充问答2" in html


def test_D7_a_clearance_without_having_seen_the_items_is_refused(client, world):
    document = _in_clearance(world)
    client.force_login(world.city_secrecy)
    response = client.post(f"/work/confidentiality/{document.pk}/", {"decision": "cleared", "opinion": ""})
    assert "审查期间待发布的内容有变更" in response.content.decode()
    assert not ConfidentialityReview.objects.exists()
    assert Document.objects.get(pk=document.pk).status == DocumentStatus.CONFIDENTIALITY_REVIEW


def test_D7_a_refusal_is_recorded_even_when_the_items_changed(world):
    disclosure.return_reasons_ensure()
    document = _in_clearance(world)
    disclosure.confidentiality_decide(document=document, cleared=False, opinion="图解涉及未公开数据。",
                                      by=world.city_secrecy, seen="stale")
    assert Document.objects.get(pk=document.pk).status == DocumentStatus.RETURNED
