"""Pages over HTTP: the public column, the interpretation page, staff forms; constant query counts."""

from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from disclosure.models import Document
from interpretation import selectors, services
from interpretation.models import Interpretation, MaterialKind, PlanForm
from tongchuan_portal.clock.services import fmt
from tests.interpretation.factories import (
    ALT, approved_plan, article, city_policy, make_plan, own_policy, png, publish, qa,
)


def published_with_interpretations(world, n, *, pairs=2):
    """n published documents, each with one Q&A and one follow-up article."""
    documents = []
    for i in range(n):
        document = city_policy(world, title=f"铜川市政策文件{i}号")
        plan = make_plan(world, document)
        qa(world, plan, title=f"政策问答{i}", pairs=[(f"问题{j}", f"回答{j}") for j in range(pairs)])
        services.plan_approve(plan=plan, by=world.head)
        document = publish(world, document)
        follow = article(world, Document.objects.get(pk=document.pk).interpretation_plan, title=f"跟踪解读{i}")
        services.material_approve(interpretation=follow, by=world.head)
        services.follow_up_publish(document=document, by=world.city_secrecy)
        documents.append(document)
    return documents


def count_queries(client, url):
    client.get(url)  # warm the per-process caches (content types), which are not per-page costs
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_column_and_search_run_a_constant_number_of_queries(client, world):
    published_with_interpretations(world, 1)
    few = {url: count_queries(client, url) for url in ("/jiedu/", "/jiedu/?kind=qa", "/jiedu/?q=政策")}
    published_with_interpretations(world, 3)
    for url, count in few.items():
        assert count_queries(client, url) == count, url


def test_interpretation_page_runs_a_constant_number_of_queries(client, world):
    small = published_with_interpretations(world, 1, pairs=1)[0]
    big = published_with_interpretations(world, 1, pairs=8)[0]
    article(world, Document.objects.get(pk=big.pk).interpretation_plan, title="第三篇")
    first = Interpretation.objects.get(document=small, kind=MaterialKind.QA)
    second = Interpretation.objects.get(document=big, kind=MaterialKind.QA)
    assert count_queries(client, f"/jiedu/{first.pk}/") == count_queries(client, f"/jiedu/{second.pk}/")


def test_staff_pages_run_a_constant_number_of_queries(client, world):
    published_with_interpretations(world, 1)
    client.force_login(world.clerk)
    document = Document.objects.get()
    qa(world, document.interpretation_plan, title="新增问答")  # the same mix of states at both sizes
    few = {url: count_queries(client, url) for url in (
        "/work/interpretation/", f"/work/interpretation/documents/{document.pk}/")}
    published_with_interpretations(world, 3)
    plan = Document.objects.get(pk=document.pk).interpretation_plan
    for i in range(3):
        qa(world, plan, title=f"新增问答{i}")
    for url, count in few.items():
        assert count_queries(client, url) == count, url


def test_I8_interpretation_page_links_the_original_with_the_same_publication_time(client, world):
    document = city_policy(world, title="铜川市支持返乡创业若干政策")
    approved_plan(world, document)
    document = publish(world, document)
    material = Interpretation.objects.get(document=document)
    html = client.get(f"/jiedu/{material.pk}/").content.decode()
    assert f'href="/xxgk/documents/{document.pk}/"' in html and "原文" in html
    assert html.count(fmt(document.published_at)) >= 2  # the interpretation's time and the document's
    assert '<ol class="interpretation-qa">' in html and "哪些企业可以申报?" in html
    # The document → interpretation direction, through the selector and the template the lead includes.
    links = render_to_string("interpretation/_for_document.html", {
        "interpretations": selectors.interpretations_for_documents([document.pk])[document.pk]})
    assert f'href="/jiedu/{material.pk}/"' in links and "政策解读" in links and fmt(document.published_at) in links


def test_interpretations_for_documents_is_one_query_for_any_number(world, django_assert_num_queries):
    documents = published_with_interpretations(world, 3)
    with django_assert_num_queries(1):
        found = selectors.interpretations_for_documents([d.pk for d in documents] + [999999])
    assert sorted(found) == sorted(d.pk for d in documents)
    assert all([m.round for m in items] == [1, 2] for items in found.values())


def test_column_filters_by_form_unit_and_year(client, world):
    documents = published_with_interpretations(world, 1)
    year = documents[0].published_at.year
    assert "政策问答0" in client.get("/jiedu/?kind=qa").content.decode()
    assert "政策问答0" not in client.get("/jiedu/?kind=graphic").content.decode()
    assert "政策问答0" in client.get(f"/jiedu/?unit={world.fgw.pk}&year={year}").content.decode()
    assert "政策问答0" not in client.get(f"/jiedu/?year={year - 1}").content.decode()
    for bad in ("?kind=<x>", "?unit=abc", "?year=99999", "?page=zz"):
        assert client.get("/jiedu/" + bad).status_code == 200


def test_plan_form_explains_in_chinese_and_keeps_input(client, world):
    document = own_policy(world)
    client.force_login(world.clerk)
    response = client.post(f"/work/interpretation/documents/{document.pk}/plan/",
                           {"outline": "保留这段提纲", "channels": "", "timing": "", "background": ""})
    html = response.content.decode()
    assert response.status_code == 200 and "请至少选择一种解读形式" in html and "保留这段提纲" in html
    response = client.post(f"/work/interpretation/documents/{document.pk}/plan/", {
        "outline": "提纲", "forms": ["qa", "graphic"], "channels": "网站", "timing": "同步", "background": "背景"})
    assert response.status_code == 302
    assert Document.objects.get(pk=document.pk).interpretation_plan.forms == ["graphic", "qa"]


def test_qa_form_keeps_pairs_and_graphic_form_checks_the_file(client, world):
    document = own_policy(world)
    make_plan(world, document, forms=[PlanForm.QA, PlanForm.GRAPHIC])
    client.force_login(world.clerk)
    url = f"/work/interpretation/documents/{document.pk}/materials/new/"
    response = client.post(url, {"kind": "qa", "title": "问答", "question": ["保留的问题"], "answer": [""]})
    html = response.content.decode()
    assert response.status_code == 200 and "每一组问答都须同时填写问题和回答" in html and "保留的问题" in html
    response = client.post(url, {"kind": "graphic", "title": "一图读懂", "image_alt": ALT,
                                 "image": png("图解.png", b"GIF89a not allowed")})
    assert "不是 PNG 或 JPEG" in response.content.decode() and not Interpretation.objects.exists()
    response = client.post(url, {"kind": "graphic", "title": "一图读懂", "image_alt": ALT, "image": png()})
    assert response.status_code == 302
    graphic = Interpretation.objects.get()
    # Not public yet: the image is for the unit's staff only.
    assert client.get(f"/jiedu/images/{graphic.pk}/").status_code == 200
    client.logout()
    assert client.get(f"/jiedu/images/{graphic.pk}/").status_code == 404


def test_public_graphic_has_its_text_alternative(client, world):
    document = city_policy(world)
    plan = make_plan(world, document, forms=[PlanForm.GRAPHIC])
    graphic = services.material_create(plan=plan, by=world.clerk, image=png(),
                                       data={"kind": MaterialKind.GRAPHIC, "title": "一图读懂", "image_alt": ALT})
    services.plan_approve(plan=plan, by=world.head)
    publish(world, document)
    html = client.get(f"/jiedu/{graphic.pk}/").content.decode()
    assert f'alt="{ALT}"' in html and "图解文字版" in html
    response = client.get(f"/jiedu/images/{graphic.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_reprint_and_expert_pages(client, world):
    from datetime import date

    reprint = services.reprint_create(by=world.clerk, unit=world.fgw, data={
        "title": "国务院办公厅关于全面推进政务公开工作的意见", "source": "中国政府网", "source_level": "central",
        "original_url": "https://www.gov.cn/zhengce/2016-02/17/content_5042791.htm",
        "original_number": "中办发〔2016〕8号", "original_date": date(2016, 2, 17), "body": "全文。"})
    assert client.get(f"/jiedu/reprints/{reprint.pk}/").status_code == 404
    services.reprint_publish(reprint=reprint, by=world.secrecy)
    html = client.get(f"/jiedu/reprints/{reprint.pk}/").content.decode()
    assert "中办发〔2016〕8号" in html and "2016-02-17" in html and "content_5042791" in html
    assert "国务院办公厅关于全面推进政务公开工作的意见" in client.get("/jiedu/reprints/").content.decode()
    client.force_login(world.clerk)
    response = client.post("/work/interpretation/experts/", {"name": "李华", "title": "研究员", "affiliation": "省社科院",
                                                             "sector": "economy", "specialties": "产业政策",
                                                             "is_active": "on"})
    assert response.status_code == 302
    client.logout()
    assert "李华" in client.get("/jiedu/experts/").content.decode()
