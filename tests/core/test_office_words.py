"""No rule IDs in what a person reads (issue 15, item 5).

Rule IDs (D1…, M6, I5, O4, P3, W2, CLOCK…) stay in code, tests and the admin's rule filter. Every page of a
whole document flow, the demo data's staff and public pages, the history reasons and the notification
texts name the obligation in the office's words, from the one mapping in `clock.registry.rule_label`.
"""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from tests.fuzz.crawl import crawl

pytestmark = pytest.mark.django_db

# ASCII boundaries, not \b: in Python's regex a CJK character is a word character, so \b would let
# "审查D3" through.
RULE_ID = re.compile(r"(?<![A-Za-z0-9_])(?:[DMIOPAW][0-9]{1,2}|CLOCK[0-9]+)(?![A-Za-z0-9_])")
# Attributes a person reads (or hears); ids, classes, hrefs and values sent back are not among them.
READ_ATTRIBUTES = {"title", "alt", "aria-label", "placeholder", "aria-description"}


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.parts.append(value)
        if tag == "input" and dict(attrs).get("type") in {"submit", "button"} and dict(attrs).get("value"):
            self.parts.append(dict(attrs)["value"])

    def handle_endtag(self, tag):
        if tag in {"script", "style"} and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def rule_ids_in(html: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    found = []
    for part in parser.parts:
        for match in RULE_ID.finditer(part):
            found.append(part[max(0, match.start() - 30):match.end() + 30].strip())
    return found


def test_hardening_the_rule_id_finder_can_fail():
    """The grep itself: it finds what the old pages said and ignores ids, classes and URLs."""
    assert rule_ids_in("<td><a href='/deadlines/1/'>D7</a> 截止 2026-12-01</td>")
    assert rule_ids_in("<p class='help'>随公文一并报批(D1)(D2)(D3)。</p>")
    assert rule_ids_in("<li>起算发布前保密审查(D7,5个工作日)</li>")
    assert rule_ids_in("<p>审查D3通过</p>")  # no \b between 查 and D in Python's regex
    assert rule_ids_in("<button title='征求意见期(M2)'>x</button>")
    assert not rule_ids_in("<div id='M6' class='D7 P3' data-x='O4'><a href='/a/D13/'>主动公开时限</a></div>")
    assert not rule_ids_in("<script>var D7 = 1;</script><p>铜政办发〔2016〕71号 A座 320室</p>")


class RecordingClient:
    """The test client, keeping each HTML page it fetched, for the crawler."""

    def __init__(self, client, pages: dict):
        self.client, self.pages = client, pages

    def get(self, url, *args, **kwargs):
        response = self.client.get(url, *args, **kwargs)
        if "html" in response.get("Content-Type", "") and response.status_code < 500:
            self.pages.setdefault(url, response.content.decode("utf-8", "replace"))
        return response


def _as(username):
    client = Client()
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


def _page(client, url, pages, **kwargs):
    response = client.get(url, follow=True, **kwargs)
    assert response.status_code == 200, (url, response.status_code)
    pages[url + f" #{len(pages)}"] = response.content.decode()
    return response


def _post(client, url, data, pages):
    response = client.post(url, data, follow=True)
    assert response.status_code < 500, (url, response.status_code)
    pages[f"POST {url} #{len(pages)}"] = response.content.decode()
    return response


def _walk_document_flow(pages: dict):
    """drafting → seal review → submit, and drafting → submit → return → resubmit → accept → 保密审查 →
    published, through the pages (test client), as the demo accounts."""
    from disclosure.models import Document, SealReview, Status

    clerk, office, reviewer = _as("clerk_fgw"), _as("office_fgw"), _as("reviewer_szfb")
    secrecy = _as("secrecy_szfb")
    common = {"topic": "general", "area": "decision", "source": "市发展改革委", "web_editor": "王文书"}

    # A: a not-public policy document needs the unit's sealed review before it may be submitted.
    _page(clerk, "/work/documents/new/", pages)
    _post(clerk, "/work/documents/new/", {
        **common, "title": "铜川市价格监测内部工作规程", "kind": "policy", "issued_in_name_of": "own_unit",
        "attribute": "not_public", "legal_basis": next(iter(_legal_bases())),
        "attribute_reason": "涉及内部价格监测工作流程,属于内部事务信息。", "body": "一、总则\n二、职责"}, pages)
    a = Document.objects.get(title="铜川市价格监测内部工作规程")
    _page(clerk, f"/work/documents/{a.pk}/", pages)
    _page(clerk, f"/work/documents/{a.pk}/edit/", pages)
    _post(clerk, f"/work/documents/{a.pk}/submit/", {}, pages)  # refused: no sealed review yet
    _post(clerk, f"/work/documents/{a.pk}/seal-review/", {}, pages)
    review = SealReview.objects.get(document=a)
    _page(office, "/work/seal-reviews/", pages)
    _page(office, f"/work/seal-reviews/{review.pk}/", pages)
    _post(office, f"/work/seal-reviews/{review.pk}/", {}, pages)  # the Chinese error box
    _post(office, f"/work/seal-reviews/{review.pk}/", {"decision": "agreed", "opinion": "同意不公开。"}, pages)
    _page(office, f"/work/seal-reviews/{review.pk}/print/", pages)
    _page(clerk, f"/work/documents/{a.pk}/", pages)
    _post(clerk, f"/work/documents/{a.pk}/submit/", {}, pages)

    # B: 主动公开, in the city office's name: submit → return → resubmit → accept → 保密审查 → published.
    _post(clerk, "/work/documents/new/", {
        **common, "title": "关于做好2026年重点项目价格服务工作的通知", "kind": "other",
        "issued_in_name_of": "city_office", "attribute": "proactive", "body": "一、总体要求\n\n二、工作任务"}, pages)
    b = Document.objects.get(title="关于做好2026年重点项目价格服务工作的通知")
    _post(clerk, f"/work/documents/{b.pk}/submit/", {}, pages)
    _page(reviewer, "/work/review/", pages)
    _page(reviewer, f"/work/review/{b.pk}/", pages)
    _post(reviewer, f"/work/review/{b.pk}/", {"action": "return", "reasons": ["format"], "note": "请规范格式。"},
          pages)
    _page(reviewer, "/work/review/returns/", pages)
    _page(clerk, "/work/documents/", pages)
    _page(clerk, f"/work/documents/{b.pk}/", pages)
    edit = _page(clerk, f"/work/documents/{b.pk}/edit/", pages)
    assert "&lt;p&gt;" not in edit.content.decode()  # the 正文 box holds what the clerk typed
    _post(clerk, f"/work/documents/{b.pk}/edit/", {
        **common, "title": b.title, "kind": "other", "issued_in_name_of": "city_office", "attribute": "proactive",
        "body": "一、总体要求\n\n二、工作任务\n\n三、保障措施"}, pages)
    _post(clerk, f"/work/documents/{b.pk}/submit/", {}, pages)
    _page(reviewer, f"/work/review/{b.pk}/", pages)
    _post(reviewer, f"/work/review/{b.pk}/", {"action": "accept"}, pages)
    _page(secrecy, "/work/confidentiality/", pages)
    seen = _page(secrecy, f"/work/confidentiality/{b.pk}/", pages).context["seen"]  # what the page showed
    _post(secrecy, f"/work/confidentiality/{b.pk}/", {"decision": "cleared", "opinion": "可以公开。", "seen": seen},
          pages)
    b.refresh_from_db()
    assert b.status == Status.PUBLISHED, b.status
    for who in (clerk, reviewer, secrecy):
        _page(who, "/deadlines/", pages)
        _page(who, "/work/documents/", pages)
        _page(who, "/inbox/", pages)
    _page(clerk, f"/work/documents/{b.pk}/", pages)
    _page(Client(), f"/xxgk/documents/{b.pk}/", pages)
    _page(Client(), "/xxgk/", pages)
    return a, b


def _legal_bases():
    from disclosure.models import LegalBasis

    return LegalBasis.values


# The demo accounts between them hold every role; the crawler starts from each one's pages.
PEOPLE = [None, "clerk_fgw", "head_fgw", "office_fgw", "secrecy_fgw", "reviewer_szfb", "secrecy_szfb",
          "clerk_szfb", "opinion_szfb"]
SEEDS = ["/", "/xxgk/", "/xxgk/wgk/", "/jiedu/", "/huiying/", "/participation/", "/participation/meetings/",
         "/participation/messages/", "/workspace/", "/work/documents/", "/work/documents/new/", "/work/review/",
         "/work/review/returns/", "/work/seal-reviews/", "/work/confidentiality/", "/work/catalog/",
         "/work/self-check/", "/work/interpretation/", "/work/interpretation/experts/",
         "/work/interpretation/reprints/", "/deadlines/", "/inbox/", "/opinion/", "/opinion/new/",
         "/participation/staff/", "/participation/staff/drafts/new/", "/participation/staff/messages/",
         "/participation/staff/meetings/new/", "/participation/staff/evaluations/new/"]


@pytest.fixture
def demo(db, calendar, settings):
    settings.RATELIMIT_ENABLE = False
    call_command("seed_demo", stdout=open("/dev/null", "w"))


def test_hardening_no_rule_ids_on_any_page_of_the_document_flow_and_the_demo(demo):
    pages: dict[str, str] = {}
    _walk_document_flow(pages)
    for who in PEOPLE:
        crawl(RecordingClient(_as(who), pages), SEEDS, max_pages=120)
    assert len(pages) > 100, f"the walk reached only {len(pages)} pages"
    leaks = {url: found for url, html in pages.items() if (found := rule_ids_in(html))}
    assert not leaks, "rule IDs in what people read:\n" + "\n".join(f"{u}: {f[:3]}" for u, f in leaks.items())


def test_hardening_history_reasons_and_notifications_name_rules_in_words(demo):
    """Every history reason and every notification the flow and the demo wrote is free of rule IDs."""
    from django.apps import apps

    from tongchuan_portal.notifications.models import Notification

    _walk_document_flow({})
    leaks = []
    for model in apps.get_models():
        if not model.__name__.startswith("Historical") or not hasattr(model, "history_change_reason"):
            continue
        for reason in model.objects.exclude(history_change_reason__isnull=True).values_list(
                "history_change_reason", flat=True).distinct():
            if RULE_ID.search(reason or ""):
                leaks.append(f"{model.__name__}: {reason}")
    fields = [f.name for f in Notification._meta.get_fields() if f.get_internal_type() in {"CharField", "TextField"}]
    assert Notification.objects.exists()
    for row in Notification.objects.values(*fields):
        for name, text in row.items():
            if RULE_ID.search(text or ""):
                leaks.append(f"Notification.{name}: {text}")
    assert not leaks, "\n".join(leaks[:40])


def test_hardening_one_mapping_names_each_rule_with_its_source():
    """Each clock rule has a Chinese name and a legal source; the label never holds the rule ID."""
    from tongchuan_portal.clock.registry import PLATFORM, all_rules, get_rule

    assert get_rule("disclosure.publish_within_20").label == "主动公开时限(条例第二十六条,20个工作日)"
    assert get_rule("review.turnaround.city_office").source == PLATFORM
    for rule in all_rules():
        if rule.code.startswith(("bench.", "test.")):
            continue
        assert rule.source, rule.code
        assert not RULE_ID.search(rule.label), rule.label
        assert not RULE_ID.search(rule.description), rule.description
