"""D8: a document in the city government's or its office's name is that body's — issuer, publisher and
number — while the drafting department is shown as 起草单位."""

import pytest
from django.core.exceptions import ValidationError

from disclosure import services
from disclosure.models import Document, DocumentKind, IssuedInNameOf, Status
from tests.disclosure.factories import document_data


def _office_draft(world, number="铜政办发〔2026〕88号", **overrides):
    fields = {"title": "铜川市人民政府办公室关于加快数字政府建设的通知", "kind": DocumentKind.OTHER,
              "issued_in_name_of": IssuedInNameOf.CITY_OFFICE, **overrides}
    data = document_data(**fields)
    return services.document_create(by=world.clerk, issuer=world.fgw, data=data, number_text=number)


def _through_review(world, document, *, number_text=None):
    from interpretation.services import needs_interpretation

    assert not needs_interpretation(document)
    services.document_submit(document=document, by=world.clerk)
    services.document_accept(document=Document.objects.get(pk=document.pk), by=world.reviewer,
                             number_text=number_text)
    return services.confidentiality_decide(document=Document.objects.get(pk=document.pk), cleared=True, opinion="",
                                           by=world.city_secrecy)


def test_D8_city_office_draft_is_published_as_the_office_s_with_the_drafter_as_drafting_unit(client, world):
    document = _through_review(world, _office_draft(world))
    assert document.status == Status.PUBLISHED
    document = Document.objects.get(pk=document.pk)
    assert document.issuing_body == world.szfb and document.publisher == world.szfb
    assert document.issuer == world.fgw  # 起草单位
    assert document.document_number == "铜政办发〔2026〕88号"
    html = client.get(document.get_public_url()).content.decode()
    assert "<th scope=\"row\">发文机构</th><td>铜川市人民政府办公室" in html
    assert "<th scope=\"row\">发布机构</th><td>铜川市人民政府办公室" in html
    assert "<th scope=\"row\">起草单位</th><td colspan=\"3\">铜川市发展和改革委员会" in html
    assert "来源:铜川市人民政府办公室" in html
    feed = client.get(f"/xxgk/feeds/unit/{world.szfb.code}/rss/").content.decode()
    item = feed.split("<item>", 1)[1]  # listed in the office's feed, with the office as author
    assert "数字政府建设" in item and "铜川市人民政府办公室</dc:creator>" in item
    search = client.get("/xxgk/search/", {"q": "数字政府"}).content.decode()
    assert "铜川市人民政府办公室 · 铜政办发〔2026〕88号" in search


def test_D8_city_government_name_takes_the_government_as_issuer(world):
    document = _office_draft(world, number="铜政发〔2026〕5号", issued_in_name_of=IssuedInNameOf.CITY_GOVERNMENT)
    assert document.issuing_body.code == "tcgov" and document.publisher.code == "tcgov"
    assert document.number_proposal == "铜政发〔2026〕5号" and document.document_number == ""


def test_D8_foreign_issuer_code_is_refused_in_chinese_and_nothing_is_saved(world):
    before = Document.objects.count()
    with pytest.raises(ValidationError) as error:
        _office_draft(world, number="铜发改发〔2026〕88号")
    message = error.value.message_dict["document_number"][0]
    assert "机关代字“铜发改发”不属于发文机关铜川市人民政府办公室" in message and "铜政办发、铜政办函" in message
    assert Document.objects.count() == before


def test_D8_own_unit_document_may_not_carry_another_body_s_code(world):
    with pytest.raises(ValidationError) as error:
        services.document_create(by=world.clerk, issuer=world.fgw, data=document_data(), number_text="铜政办发〔2026〕1号")
    assert "不属于发文机关铜川市发展和改革委员会" in error.value.message_dict["document_number"][0]
    document = services.document_create(by=world.clerk, issuer=world.fgw, data=document_data(),
                                        number_text="铜发改函〔2026〕3号")
    assert document.document_number == "铜发改函〔2026〕3号"


def test_D8_unit_directory_gives_each_unit_its_letters_code(tongchuan_units):
    assert tongchuan_units["tcgov"].issuer_codes == ["铜政发", "铜政函"]
    assert tongchuan_units["szfb"].issuer_codes == ["铜政办发", "铜政办函"]
    assert tongchuan_units["fgw"].issuer_codes == ["铜发改发", "铜发改函"]


def test_D8_number_is_assigned_at_acceptance_not_by_the_drafter(world):
    document = _office_draft(world, number="")
    assert document.document_number == ""
    published = _through_review(world, document)
    year = published.accepted_at.year
    assert Document.objects.get(pk=document.pk).document_number == f"铜政办发〔{year}〕1号"
    second = _through_review(world, _office_draft(world, number="", title="第二份通知"))
    assert Document.objects.get(pk=second.pk).document_number == f"铜政办发〔{year}〕2号"
    record = Document.objects.get(pk=second.pk).history.filter(history_change_reason__startswith="审核通过").first()
    assert f"铜政办发〔{year}〕2号" in record.history_change_reason


def test_D8_a_taken_proposal_gets_the_next_free_number_and_a_typed_clash_is_refused(world):
    first = _through_review(world, _office_draft(world))
    assert first.document_number == "铜政办发〔2026〕88号"
    clashing = _office_draft(world, title="另一份通知")  # proposes the same number
    services.document_submit(document=clashing, by=world.clerk)
    assert services.suggested_number(Document.objects.get(pk=clashing.pk)).startswith("铜政办发〔")
    with pytest.raises(ValidationError) as error:
        services.document_accept(document=Document.objects.get(pk=clashing.pk), by=world.reviewer,
                                 number_text="铜政办发〔2026〕88号")
    assert "已被" in error.value.message_dict["document_number"][0]
    with pytest.raises(ValidationError):
        services.document_accept(document=Document.objects.get(pk=clashing.pk), by=world.reviewer,
                                 number_text="铜发改发〔2026〕9号")
    unchanged = Document.objects.get(pk=clashing.pk)
    assert unchanged.status == Status.SUBMITTED and unchanged.document_number == ""
    services.document_accept(document=unchanged, by=world.reviewer)
    assert Document.objects.get(pk=clashing.pk).document_number == "铜政办发〔2026〕89号"


def test_D8_review_page_offers_the_number_and_the_reviewer_confirms_it(client, world):
    document = _office_draft(world)
    services.document_submit(document=document, by=world.clerk)
    client.force_login(world.reviewer)
    html = client.get(f"/work/review/{document.pk}/").content.decode()
    assert 'value="铜政办发〔2026〕88号"' in html
    response = client.post(f"/work/review/{document.pk}/", {"action": "accept", "document_number": "铜政办函〔2026〕7号"})
    assert response.status_code == 302
    assert Document.objects.get(pk=document.pk).document_number == "铜政办函〔2026〕7号"


def test_D8_drafter_sees_the_proposal_as_pending_and_may_edit_it(client, world):
    document = _office_draft(world)
    client.force_login(world.clerk)
    html = client.get(f"/work/documents/{document.pk}/").content.decode()
    assert "由市政府办公室审核通过时编号(起草单位建议:铜政办发〔2026〕88号)" in html
    assert "<dt>起草单位</dt><dd>铜川市发展和改革委员会</dd>" in html
    form = client.get(f"/work/documents/{document.pk}/edit/").content.decode()
    assert 'value="铜政办发〔2026〕88号"' in form


def test_D8_review_page_refuses_a_foreign_number_in_chinese_and_changes_nothing(client, world):
    document = _office_draft(world)
    services.document_submit(document=document, by=world.clerk)
    client.force_login(world.reviewer)
    response = client.post(f"/work/review/{document.pk}/", {"action": "accept", "document_number": "铜教发〔2026〕7号"})
    assert response.status_code == 200
    assert "机关代字“铜教发”不属于发文机关铜川市人民政府办公室" in response.content.decode()
    unchanged = Document.objects.get(pk=document.pk)
    assert unchanged.status == Status.SUBMITTED and unchanged.document_number == "" and not unchanged.index_number
    assert 'value="铜教发〔2026〕7号"' in response.content.decode()  # what the reviewer typed stays in the box
