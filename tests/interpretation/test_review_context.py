"""The city office's review page shows the interpretation plan and materials (or their absence), the
earlier 退文 and what changed since the last submission (I5, D6)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosure import services as disclosure
from disclosure.changes import body_diff, plain_lines
from disclosure.models import Document, ReturnNotice, Status
from interpretation.models import InterpretationPlan
from interpretation.services import review_section
from tests.disclosure.factories import document_data, pdf
from tests.interpretation.factories import approved_plan, city_policy


def _returned_and_resubmitted(world, *, body="<p>第一条 总则。</p><p>第二条 支持民营企业。</p>"):
    disclosure.return_reasons_ensure()  # transactional tests elsewhere flush the migration's rows
    document = city_policy(world, body=body)
    approved_plan(world, document)
    disclosure.document_submit(document=Document.objects.get(pk=document.pk), by=world.clerk)
    disclosure.document_return(document=Document.objects.get(pk=document.pk), by=world.reviewer,
                               reasons=["content"], note="第二条表述不准确,请修改。")
    data = document_data(title="铜川市促进民间投资的若干措施(修订稿)", kind="policy",
                         issued_in_name_of="city_government", topic="economy",
                         body="<p>第一条 总则。</p><p>第二条 大力支持民营企业&lt;script&gt;alert(1)&lt;/script&gt;。</p>"
                              "<p>第三条 附则。</p>")
    disclosure.document_update(document=Document.objects.get(pk=document.pk), by=world.clerk, data=data,
                               files=[pdf("申报表.pdf")])
    disclosure.document_submit(document=Document.objects.get(pk=document.pk), by=world.clerk)
    return Document.objects.get(pk=document.pk)


def test_I5_review_page_shows_plan_materials_returns_and_the_diff(client, world):
    document = _returned_and_resubmitted(world)
    client.force_login(world.reviewer)
    html = client.get(f"/work/review/{document.pk}/").content.decode()
    # The plan and its materials.
    for text in ("解读方案和解读材料", "一、适用范围;二、支持措施;三、申报流程。", "政策问答", "哪些企业可以申报?",
                 "在铜川注册的民营企业均可申报。", "已审定"):
        assert text in html, text
    assert "<strong>缺少解读方案或解读材料:</strong>" not in html
    # The earlier return, with its reason and note.
    assert "此前退文记录" in html and "内容需要修改完善" in html and "第二条表述不准确,请修改。" in html
    # What changed: title, body (escaped), attributes, attachments.
    assert "修改对照" in html
    assert "<del>铜川市促进民间投资的若干措施</del>" in html and "<ins>铜川市促进民间投资的若干措施(修订稿)</ins>" in html
    assert "<ins>大力</ins>" in html and "<ins>第三条 附则。</ins>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert "主题分类" in html and "国民经济管理、国有资产监管" in html
    assert "<ins>新增:申报表.pdf</ins>" in html


def test_I5_first_submission_has_no_diff_and_a_missing_plan_is_named(client, world):
    document = city_policy(world)
    approved_plan(world, document)
    disclosure.document_submit(document=Document.objects.get(pk=document.pk), by=world.clerk)
    client.force_login(world.reviewer)
    html = client.get(f"/work/review/{document.pk}/").content.decode()
    assert "修改对照" not in html and "此前退文记录" not in html
    InterpretationPlan.objects.filter(document=document).delete()  # e.g. removed in the admin after submission
    html = client.get(f"/work/review/{document.pk}/").content.decode()
    assert "<strong>缺少解读方案或解读材料:</strong>" in html and "尚未编制解读方案。" in html
    section = review_section(Document.objects.get(pk=document.pk))
    assert section["problems"] == ["尚未编制解读方案。"]


def test_I5_review_page_is_denied_to_others_and_changes_nothing(client, world):
    document = _returned_and_resubmitted(world)
    for who in ("other_clerk", "other_head", "clerk", "secrecy"):
        client.force_login(world[who])
        response = client.get(f"/work/review/{document.pk}/")
        assert response.status_code in (403, 404), who
        assert "哪些企业可以申报" not in response.content.decode()
        assert client.post(f"/work/review/{document.pk}/", {"action": "accept"}).status_code in (403, 404)
    assert Document.objects.get(pk=document.pk).status == Status.SUBMITTED


def test_I5_review_page_query_count_does_not_grow_with_returns(client, world):
    document = _returned_and_resubmitted(world)
    client.force_login(world.reviewer)
    with CaptureQueriesContext(connection) as once:
        client.get(f"/work/review/{document.pk}/")
    for _ in range(2):
        disclosure.document_return(document=Document.objects.get(pk=document.pk), by=world.reviewer,
                                   reasons=["format"], note="格式。")
        disclosure.document_submit(document=Document.objects.get(pk=document.pk), by=world.clerk)
    assert ReturnNotice.objects.filter(document=document).count() == 3
    with CaptureQueriesContext(connection) as thrice:
        html = client.get(f"/work/review/{document.pk}/").content.decode()
    assert html.count("格式。") == 2
    assert len(thrice.captured_queries) <= len(once.captured_queries)


def test_diff_is_plain_text_by_paragraph():
    assert plain_lines("<p>一、总则</p><p>二、&lt;b&gt;细则</p>") == ["一、总则", "二、<b>细则"]
    lines = body_diff("<p>甲</p><p>乙</p>", "<p>甲</p><p>乙丙</p>")
    assert [line.op for line in lines] == ["same", "changed-old", "changed-new"]
    assert ("ins", "丙") in lines[-1].segments
    assert body_diff("<p>同</p>", "<p>同</p>") == []
