"""Issue 15: the 正文 box shows what the clerk typed, the seal-review form speaks Chinese, 报送审核 only when it
can succeed, attachment 删除 asks first, and every aria-describedby on the staff forms points at a real id."""

import re
from html.parser import HTMLParser

import pytest

from disclosure import services
from disclosure.models import Attachment, Document, SealReview, Status
from disclosure.text import body_to_text, clean_body, text_to_body
from tests.disclosure.factories import draft, not_public, pdf
from tests.disclosure.test_views import FORM

pytestmark = pytest.mark.django_db


# --- the body as the clerk typed it -----------------------------------------------------------------


@pytest.mark.parametrize("typed", [
    "一、总则\n\n二、职责",
    "第一条 为了规范价格监测工作,制定本规程。\n第二条 本规程适用于全市。",
    "比较:甲<乙 且 丙>丁,A&B 公司",
    "<p>不是标签,是文字</p>",
])
def test_hardening_body_round_trips_as_plain_paragraphs(typed):
    stored = clean_body(text_to_body(typed))
    assert "<p>" in stored
    shown = body_to_text(stored)
    assert "<p>" not in shown.replace("<p>不是标签", "")  # only what was typed as text
    assert [p for p in re.split(r"\n+", shown)] == [p.strip() for p in re.split(r"\n+", typed)]
    assert clean_body(text_to_body(shown)) == stored  # saving again changes nothing


def test_hardening_stored_html_is_shown_as_paragraphs():
    assert body_to_text("<p>一、总则</p><p>二、<strong>职责</strong></p><ul><li>甲</li><li>乙</li></ul>") == \
        "一、总则\n\n二、职责\n\n甲\n\n乙"
    assert body_to_text("<p>a&amp;b &lt;c&gt;</p>") == "a&b <c>"


def test_hardening_edit_box_never_shows_stored_html(client, world):
    client.force_login(world.clerk)
    client.post("/work/documents/new/", {**FORM, "body": "一、总则\n二、职责"})
    document = Document.objects.get()
    assert document.body == "<p>一、总则</p><p>二、职责</p>"
    html = client.get(f"/work/documents/{document.pk}/edit/").content.decode()
    box = re.search(r'<textarea name="body"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    assert "&lt;p&gt;" not in box and "<p>" not in box
    assert box.strip() == "一、总则\n\n二、职责"
    client.post(f"/work/documents/{document.pk}/edit/", {**FORM, "body": box})  # saved unchanged
    document.refresh_from_db()
    assert document.body == "<p>一、总则</p><p>二、职责</p>"


def test_hardening_typed_angle_brackets_stay_text(client, world):
    client.force_login(world.clerk)
    client.post("/work/documents/new/", {**FORM, "body": "<script>alert(1)</script>\n甲<乙"})
    document = Document.objects.get()
    assert "<script>" not in document.body and "&lt;script&gt;" in document.body
    assert "甲&lt;乙" in document.body


# --- seal review, submission, attachments -------------------------------------------------------------


def test_D3_submit_is_not_offered_before_the_sealed_review(client, world):
    document = services.document_create(by=world.clerk, issuer=world.fgw, data=not_public(kind="policy"))
    client.force_login(world.clerk)
    html = client.get(f"/work/documents/{document.pk}/").content.decode()
    assert "报送审核" not in html.split('id="actions-title"')[1].split("</section>")[0].replace(
        "方可报送审核", "")
    assert "取得加盖单位公章的审查意见后,方可报送审核" in html
    review = services.seal_review_request(document=document, by=world.clerk)
    services.seal_review_decide(review=review, agreed=True, opinion="同意。", by=world.office)
    html = client.get(f"/work/documents/{document.pk}/").content.decode()
    assert f'action="/work/documents/{document.pk}/submit/"' in html


def test_D3_seal_review_form_shows_the_portal_error_box(client, world):
    document = services.document_create(by=world.clerk, issuer=world.fgw, data=not_public(kind="policy"))
    review = services.seal_review_request(document=document, by=world.clerk)
    client.force_login(world.office)
    page = client.get(f"/work/seal-reviews/{review.pk}/").content.decode()
    assert re.search(r"<form[^>]*novalidate", page)  # no browser bubble: the server answers
    response = client.post(f"/work/seal-reviews/{review.pk}/", {})
    html = response.content.decode()
    assert 'class="error-summary"' in html and "请选择审查结论" in html
    assert SealReview.objects.get(pk=review.pk).decision == review.decision  # nothing changed


def test_hardening_attachment_delete_asks_first_and_is_on_the_document_history(client, world):
    document = draft(world.clerk, world.fgw, files=[pdf("方案.pdf")])
    attachment = document.attachments.get()
    url = f"/work/documents/{document.pk}/attachments/{attachment.pk}/delete/"
    client.force_login(world.clerk)
    edit = client.get(f"/work/documents/{document.pk}/edit/").content.decode()
    assert f'href="{url}"' in edit
    confirm = client.get(url)
    assert confirm.status_code == 200 and "确定从《" in confirm.content.decode() and "方案.pdf" in confirm.content.decode()
    assert client.post(url, {}).status_code == 200  # a POST without the confirmation asks again
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 302
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert document.history.first().history_change_reason == "删除附件:方案.pdf"
    assert document.history.first().history_user == world.clerk


def test_hardening_attachment_delete_refused_to_others_changes_nothing(client, world):
    document = draft(world.clerk, world.fgw, files=[pdf("方案.pdf")])
    attachment = document.attachments.get()
    url = f"/work/documents/{document.pk}/attachments/{attachment.pk}/delete/"
    client.force_login(world.office)
    assert client.post(url, {"confirm": "1"}).status_code in (403, 404)
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert document.history.count() == Document.objects.get(pk=document.pk).history.count()


# --- aria-describedby ---------------------------------------------------------------------------------


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.described = set(), []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if a.get("aria-describedby"):
            self.described.append((tag, a.get("name") or a.get("id") or "", a["aria-describedby"]))


def dangling_descriptions(html: str) -> list[str]:
    parser = _Ids()
    parser.feed(html)
    return [f"{tag}[{name}] → {ref}" for tag, name, refs in parser.described for ref in refs.split()
            if ref not in parser.ids]


def test_hardening_the_checker_finds_a_dangling_description():
    assert dangling_descriptions('<input name="x" aria-describedby="id_x_helptext"><p id="id_x_help">帮助</p>')
    assert not dangling_descriptions('<input name="x" aria-describedby="id_x_helptext"><p id="id_x_helptext">')


def test_hardening_every_aria_describedby_on_the_staff_forms_points_at_an_existing_id(demo_site):
    """The help text is announced: every staff page of the demo, as each role, refers only to real ids."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from tests.core.test_office_words import PEOPLE, SEEDS, RecordingClient
    from tests.fuzz.crawl import crawl

    pages: dict[str, str] = {}
    for who in PEOPLE[1:]:
        client = Client()
        client.force_login(get_user_model().objects.get(username=who))
        crawl(RecordingClient(client, pages), SEEDS + [
            "/participation/staff/drafts/new/", "/work/interpretation/reprints/new/"], max_pages=120)
    assert sum("aria-describedby" in html for html in pages.values()) > 10
    dangling = {url: d for url, html in pages.items() if (d := dangling_descriptions(html))}
    assert not dangling, "\n".join(f"{u}: {d[:3]}" for u, d in dangling.items())


@pytest.fixture
def demo_site(db, calendar, settings):
    from django.core.management import call_command

    settings.RATELIMIT_ENABLE = False
    call_command("seed_demo", stdout=open("/dev/null", "w"))


def test_D7_published_flow_still_works_after_plain_text_edit(client, world):
    """A body edited as text is published as paragraphs (the public page shows <p>, never escaped tags)."""
    client.force_login(world.clerk)
    client.post("/work/documents/new/", {**FORM, "body": "一、总则\n二、职责"})
    document = Document.objects.get()
    services.document_submit(document=document, by=world.clerk)
    services.document_accept(document=Document.objects.get(pk=document.pk), by=world.head)
    services.confidentiality_decide(document=Document.objects.get(pk=document.pk), cleared=True, opinion="",
                                    by=world.secrecy)
    assert Document.objects.get(pk=document.pk).status == Status.PUBLISHED
    html = client.get(f"/xxgk/documents/{document.pk}/").content.decode()
    assert "<p>一、总则</p>" in html and "&lt;p&gt;" not in html
