"""Clerk forms, queues and downloads over HTTP: denials, errors that keep input, constant queries."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosure import services
from disclosure.models import Document, DocumentKind, IssuedInNameOf, Status
from tests.disclosure.factories import PDF_BYTES, document_data, draft, not_public, pdf

FORM = {
    "title": "关于加快推进重点项目建设的通知", "document_number": "铜发改发[2026]12号", "kind": "other",
    "issued_in_name_of": "own_unit", "area": "execution", "topic": "economy", "written_on": "2026-06-01",
    "attribute": "proactive", "legal_basis": "", "attribute_reason": "", "body": "正文", "source": "", "web_editor": "",
}


def post_new(client, **overrides):
    return client.post("/work/documents/new/", {**FORM, **overrides})


def test_clerk_files_a_draft_through_the_form(client, world):
    client.force_login(world.clerk)
    response = post_new(client, attachments=SimpleUploadedFile("方案.pdf", PDF_BYTES))
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/work/documents/{document.pk}/"
    assert document.document_number == "铜发改发〔2026〕12号"
    assert document.attachments.get().original_name == "方案.pdf"
    assert document.created_by == world.clerk and document.issuer == world.fgw


def test_D2_form_explains_in_chinese_and_keeps_what_was_typed(client, world):
    client.force_login(world.clerk)
    response = post_new(client, attribute="not_public", title="保留这个标题")
    html = response.content.decode()
    assert response.status_code == 200
    assert "必须选择不公开的法律依据" in html and "必须附函说明不公开理由" in html
    assert 'value="保留这个标题"' in html and 'value="铜发改发[2026]12号"' in html
    assert not Document.objects.exists()


def test_malformed_input_never_500s(client, world):
    client.force_login(world.clerk)
    for bad in ({"written_on": "2026-13-45"}, {"area": "nonsense"}, {"attribute": "<script>"},
                {"co_issuers": ["abc"]}, {"kind": ""}, {"document_number": "〔〕号"}):
        response = post_new(client, **bad)
        assert response.status_code == 200, bad
    assert not Document.objects.exists()
    assert client.get("/work/documents/?status=<bad>").status_code == 200
    assert client.get("/work/review/returns/?year=abc").status_code == 403  # clerk: not the city office


def test_renamed_executable_upload_gets_a_clear_message(client, world):
    client.force_login(world.clerk)
    response = post_new(client, attachments=SimpleUploadedFile("通知.pdf", b"MZ\x90\x00This program cannot be run"))
    html = response.content.decode()
    assert response.status_code == 200 and "不是可接受的文件类型" in html
    assert "浏览器不会保留已选择的附件" in html
    assert not Document.objects.exists()


def test_clerk_guessing_another_units_draft_gets_404(client, world):
    theirs = draft(world.other_clerk, world.jyj)
    client.force_login(world.clerk)
    for url in (f"/work/documents/{theirs.pk}/", f"/work/documents/{theirs.pk}/edit/",
                f"/work/review/{theirs.pk}/", f"/work/confidentiality/{theirs.pk}/", f"/xxgk/documents/{theirs.pk}/"):
        assert client.get(url).status_code == 404, url
    for url in (f"/work/documents/{theirs.pk}/submit/", f"/work/documents/{theirs.pk}/seal-review/",
                f"/work/documents/{theirs.pk}/withdraw/"):
        assert client.post(url, {"reason": "x"}).status_code == 404, url
    theirs.refresh_from_db()
    assert theirs.status == Status.DRAFT and theirs.history.count() == 1


def test_co_issuer_sees_the_joint_draft_but_cannot_edit_it(client, world):
    joint = draft(world.clerk, world.fgw, co_issuers=[world.jyj])
    client.force_login(world.other_clerk)
    assert client.get(f"/work/documents/{joint.pk}/").status_code == 200
    assert client.get(f"/work/documents/{joint.pk}/edit/").status_code == 403
    assert client.post(f"/work/documents/{joint.pk}/submit/").status_code == 403
    assert Document.objects.get(pk=joint.pk).status == Status.DRAFT
    services.document_update(document=joint, by=world.clerk, data={}, co_issuers=[])
    assert client.get(f"/work/documents/{joint.pk}/").status_code == 404


def test_D6_clerk_sees_the_return_reason(client, world):
    document = services.document_create(by=world.clerk, issuer=world.fgw, data=document_data(
        kind=DocumentKind.ISSUE_REQUEST, attribute="on_request", legal_basis="process_info", attribute_reason="理由"))
    services.document_submit(document=document, by=world.clerk)
    client.force_login(world.reviewer)
    response = client.post(f"/work/review/{document.pk}/", {"action": "return", "reasons": ["no-legal-basis"],
                                                            "note": "依据与事实不符"})
    assert response.status_code == 302
    client.force_login(world.clerk)
    html = client.get(f"/work/documents/{document.pk}/").content.decode()
    assert "已退文" in html and "不公开理由无法律依据" in html and "依据与事实不符" in html


def test_D6_return_without_reason_through_the_form(client, world):
    document = services.document_create(by=world.clerk, issuer=world.fgw, data=document_data(
        kind=DocumentKind.ISSUE_REQUEST))
    services.document_submit(document=document, by=world.clerk)
    client.force_login(world.reviewer)
    response = client.post(f"/work/review/{document.pk}/", {"action": "return"})
    assert response.status_code == 200 and "退文必须说明理由" in response.content.decode()
    assert Document.objects.get(pk=document.pk).status == Status.SUBMITTED


def test_D7_draft_attachment_is_not_downloadable_by_the_public(client, world):
    document = draft(world.clerk, world.fgw, files=[pdf()])
    attachment = document.attachments.get()
    assert client.get(f"/attachments/{attachment.pk}/").status_code == 404
    client.force_login(world.other_clerk)
    assert client.get(f"/attachments/{attachment.pk}/").status_code == 404
    client.force_login(world.clerk)
    response = client.get(f"/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E9%99%84%E4%BB%B6.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_returns_report_for_the_city_office(client, world):
    document = services.document_create(by=world.clerk, issuer=world.fgw, data=document_data(
        kind=DocumentKind.ISSUE_REQUEST))
    services.document_submit(document=document, by=world.clerk)
    services.document_return(document=document, by=world.reviewer, reasons=["format", "content"])
    client.force_login(world.reviewer)
    html = client.get("/work/review/returns/").content.decode()
    assert "铜川市发展和改革委员会" in html and "公文格式不规范" in html and "内容需要修改完善" in html


def _many_drafts(world, n, start=0):
    for i in range(start, start + n):
        document = services.document_create(by=world.clerk, issuer=world.fgw, data=document_data(
            title=f"请示{i}", kind=DocumentKind.ISSUE_REQUEST))
        services.document_submit(document=document, by=world.clerk)


@pytest.mark.parametrize("who, url", [("clerk", "/work/documents/"), ("reviewer", "/work/review/")])
def test_list_pages_use_constant_queries(client, world, who, url, django_assert_num_queries):
    _many_drafts(world, 2)
    client.force_login(world[who])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _many_drafts(world, 15, start=2)
    with django_assert_num_queries(len(few.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count("请示1") >= 7


def test_seal_and_confidentiality_queues_constant_queries(client, world, django_assert_num_queries):
    def fill(n, start):
        for i in range(start, start + n):
            d = services.document_create(by=world.clerk, issuer=world.fgw, data=not_public(
                kind=DocumentKind.POLICY, title=f"政策{i}"))
            services.seal_review_request(document=d, by=world.clerk)
            c = services.document_create(by=world.clerk, issuer=world.fgw, data=document_data(title=f"公开{i}"))
            services.document_submit(document=c, by=world.clerk)
            services.document_accept(document=c, by=world.head)

    pages = (("office", "/work/seal-reviews/", "政策"), ("secrecy", "/work/confidentiality/", "公开"))
    fill(1, 0)
    counts = {}
    for who, url, _ in pages:
        client.force_login(world[who])
        client.get(url)  # the process's unit directory is read once, not per page
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        counts[who] = len(few.captured_queries)
    fill(6, 10)
    for who, url, word in pages:
        client.force_login(world[who])
        with django_assert_num_queries(counts[who]):
            html = client.get(url).content.decode()
        assert html.count(word + "1") >= 6


ACTIONS = ["view", "edit", "submit", "review", "confidentiality"]


@pytest.mark.parametrize("actor, expected", [
    ("clerk", {"view", "edit", "submit"}),
    ("head", {"view"}),
    ("office", {"view"}),
    ("secrecy", {"view"}),
    ("other_clerk", set()),
    ("other_head", set()),
    ("reviewer", set()),  # a draft is not yet submitted: the city office cannot see it
    ("citizen", set()),
])
def test_permission_matrix_on_a_city_bound_draft(client, world, actor, expected):
    document = services.document_create(by=world.clerk, issuer=world.fgw, data=document_data(
        kind=DocumentKind.OTHER, issued_in_name_of=IssuedInNameOf.CITY_GOVERNMENT))
    client.force_login(world[actor])
    got = set()
    if client.get(f"/work/documents/{document.pk}/").status_code == 200:
        got.add("view")
    if client.get(f"/work/documents/{document.pk}/edit/").status_code == 200:
        got.add("edit")
    before = Document.objects.get(pk=document.pk).history.count()
    if client.post(f"/work/documents/{document.pk}/submit/").status_code == 302 and \
            Document.objects.get(pk=document.pk).status == Status.SUBMITTED:
        got.add("submit")
    else:
        assert Document.objects.get(pk=document.pk).history.count() == before
    assert got == expected


@pytest.mark.parametrize("actor, can_review, can_see", [
    ("reviewer", True, True), ("city_secrecy", False, True), ("head", False, True), ("clerk", False, True),
    ("other_head", False, False), ("other_clerk", False, False), ("office", False, True),
])
def test_permission_matrix_on_a_city_bound_submission(client, world, actor, can_review, can_see):
    document = services.document_create(by=world.clerk, issuer=world.fgw, data=document_data(
        kind=DocumentKind.ISSUE_REQUEST))
    services.document_submit(document=document, by=world.clerk)
    client.force_login(world[actor])
    assert (client.get(f"/work/documents/{document.pk}/").status_code == 200) is can_see
    response = client.post(f"/work/review/{document.pk}/", {"action": "accept"})
    document.refresh_from_db()
    if can_review:
        assert response.status_code == 302 and document.status == Status.CONFIDENTIALITY_REVIEW
    else:
        assert response.status_code in (403, 404)
        assert document.status == Status.SUBMITTED and document.accepted_at is None
