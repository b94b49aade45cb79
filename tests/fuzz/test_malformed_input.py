"""Fuzz (hardening, issue 11): malformed values to every page's query parameters and every form of every
app, as the people who use them, find no 5xx; afterwards every page that shows stored values still renders.

The site is the demo data (`seed_demo`); a crawler finds, per person, the pages they reach and the
forms on them. Each query parameter gets every malformed value; each form is submitted with plausible
values and one field replaced by a malformed value of its kind (or missing), plus with every parameter
missing and every one duplicated; the action buttons the demo does not show are posted directly. Every
URL pattern the resolver knows is either reached or listed with its reason. A 5xx is collected (the test
client does not re-raise) and every one is reported at once.
"""

from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.test import Client

from .crawl import Form, crawl, route_of

pytestmark = pytest.mark.django_db

SEEDS = ["/", "/xxgk/", "/xxgk/wgk/", "/xxgk/search/?q=政务公开", "/jiedu/", "/jiedu/reprints/", "/jiedu/experts/",
         "/huiying/", "/participation/", "/participation/meetings/", "/participation/messages/",
         "/participation/evaluations/", "/participation/messages/write/", "/participation/messages/query/",
         "/participation/registrations/query/", "/workspace/", "/work/documents/", "/work/documents/new/",
         "/work/review/", "/work/review/returns/", "/work/seal-reviews/", "/work/confidentiality/", "/work/catalog/",
         "/work/self-check/", "/work/interpretation/", "/work/interpretation/experts/",
         "/work/interpretation/reprints/", "/work/interpretation/reprints/new/", "/deadlines/", "/inbox/",
         "/opinion/", "/opinion/new/", "/participation/staff/", "/participation/staff/drafts/new/",
         "/participation/staff/messages/", "/participation/staff/meetings/new/",
         "/participation/staff/evaluations/new/", "/participation/submitted/", "/xxgk/guide/fgw/", "/robots.txt",
         "/sitemap.xml", "/xxgk/feeds/unit/fgw/rss/", "/xxgk/feeds/unit/fgw/atom/", "/xxgk/feeds/area/decision/rss/",
         "/xxgk/feeds/area/decision/atom/", "/xxgk/ysqgk/", "/work/applications/", "/work/applications/supervision/",
         "/work/annual-reports/", "/work/annual-reports/appeals/", "/work/annual-reports/summary/", "/xxgk/annual-reports/",
         "/work/monitoring/"]

# The demo accounts between them hold every role (tongchuan_portal/core/management/commands/seed_demo.py).
PEOPLE = [None, "clerk_fgw", "office_fgw", "secrecy_fgw", "reviewer_szfb", "secrecy_szfb", "clerk_szfb",
          "opinion_szfb"]

NUL, SUPERSCRIPT_TWO, HUGE = "a\x00b", "²", "99999999999999999999"
QUERY_VALUES = [NUL, SUPERSCRIPT_TWO, HUGE, "10000", "-1", "<x>", "x" * 5000, "0001-01-01"]
EXAMPLE_VALUES = [NUL, SUPERSCRIPT_TWO, HUGE, "10000"]
GENERIC_QUERY_NAMES = ["page", "year", "month", "unit", "q", "status", "area", "topic", "kind", "type", "channel",
                       "level", "category", "after", "before", "scope", "validity", "flagged", "print", "next"]
FIELD_VALUES = {
    "date": ["0001-01-01", "9999-12-31", SUPERSCRIPT_TWO],
    "datetime-local": ["0001-01-01T00:00", "9999-12-31T23:59", "0001-01-01"],
    "number": [SUPERSCRIPT_TWO, HUGE],
    "select": [SUPERSCRIPT_TWO, HUGE, "bogus"],
    "radio": ["bogus"],
    "checkbox": [SUPERSCRIPT_TWO],
    "hidden": [SUPERSCRIPT_TWO, HUGE],
    "text": [NUL, "x" * 20_000],
    "textarea": [NUL, "x" * 100_000],
}
# Views read ids and choices past the forms: those fields are also sent missing, one at a time.
MISSING_KINDS = {"hidden", "select", "radio", "number", "date", "datetime-local"}
# Routes the crawl does not reach from the demo data, and why; a new page must be reached or listed here.
NOT_CRAWLED = {
    ":healthz",  # no parameters; tested in tests/core/test_health.py
    "disclosure:sitemap_section",  # linked from the XML sitemap index only
    "disclosure:seal_image",  # an image, linked only from sealed reviews
    "interpretation:image",  # an image; the demo has no graphic interpretation
    "sections:qr",  # an image (the share QR code); tested in tests/sections
    # The open-data API answers JSON, which links nothing: schemathesis fuzzes it (tests/api).
    "api:attachment-detail", "api:attachment-list", "api:catalog-detail", "api:catalog-list",
    "api:comment-period-detail", "api:comment-period-list", "api:document-detail", "api:document-list",
    "api:interpretation-detail", "api:interpretation-list", "api:meeting-detail", "api:meeting-list",
    "api:response-detail", "api:response-list", "api:unit-detail", "api:unit-list",
    "api:annual-report-detail", "api:annual-report-list",
    # Buttons shown only in states the demo data does not reach for these people: posted directly on a demo
    # row instead (`_fuzz_actions`).
    "disclosure:attachment_delete", "disclosure:request_seal_review", "interpretation:follow_up_publish",
    "interpretation:material_approve", "interpretation:material_withdraw", "interpretation:plan_approve",
    "interpretation:plan_reopen", "participation:staff_evaluation_publish", "disclosure:record_meeting",
    "participation:clear_report", "annual_report:approve", "annual_report:return",
    # 依申请公开: the applicant's pages open only with the number and 查询码 (never stored in clear) or right after
    # submitting; tests/applications covers their bad input.
    "applications:submitted", "applications:status", "applications:reply_letter", "applications:reply_file",
    "applications:staff_registered",
}
# The action routes of NOT_CRAWLED, posted directly on a demo row: how to find the URL's arguments.
def _action_kwargs():
    from disclosure.annual_report.models import Report
    from disclosure.models import Attachment, Document
    from interpretation.models import Interpretation, InterpretationPlan
    from participation.models import CommentPeriod, Evaluation

    attachment, material = Attachment.objects.first(), Interpretation.objects.first()
    plan, evaluation = InterpretationPlan.objects.first(), Evaluation.objects.first()
    document = Document.objects.filter(status="draft").first() or Document.objects.first()
    return {
        "disclosure:attachment_delete": attachment and {"pk": attachment.document_id, "attachment_pk": attachment.pk},
        "disclosure:request_seal_review": {"pk": document.pk},
        "interpretation:follow_up_publish": plan and {"pk": plan.document_id},
        "interpretation:plan_approve": plan and {"pk": plan.document_id},
        "interpretation:plan_reopen": plan and {"pk": plan.document_id},
        "interpretation:material_approve": material and {"pk": material.document_id, "material_pk": material.pk},
        "interpretation:material_withdraw": material and {"pk": material.document_id, "material_pk": material.pk},
        "participation:staff_evaluation_publish": evaluation and {"pk": evaluation.pk},
        "disclosure:record_meeting": {"pk": (Document.objects.filter(status="submitted").first() or document).pk},
        "participation:clear_report": (period := CommentPeriod.objects.first()) and {"pk": period.pk},
        "annual_report:approve": (report := Report.objects.first()) and {"pk": report.pk},
        "annual_report:return": report and {"pk": report.pk},
    }


ACTION_FIELDS = ["reason", "opinion", "note", "summary", "id"]
ACTION_VALUES = ["", NUL, SUPERSCRIPT_TWO, "x" * 20_000]
# The page's buttons pick the action; fuzzing them as fields is the same as fuzzing the button.
ACTION_NAMES = {"action", "csrfmiddlewaretoken"}


@pytest.fixture
def demo(db, calendar, settings):
    settings.RATELIMIT_ENABLE = False  # the limits are tested elsewhere; here they would hide the forms
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    from disclosure.services import self_checks_open_year
    from tongchuan_portal.core.selectors import system_user

    self_checks_open_year(by=system_user())  # the year's self-checks, as beat opens them, so their forms show


def all_routes() -> set[str]:
    """Every named URL pattern of the portal (the admin aside), from the resolver."""
    from django.urls import URLResolver, get_resolver

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.app_name != "admin":
                    yield from walk(p.url_patterns, p.namespace or namespace)
            elif p.name:
                yield f"{namespace or ''}:{p.name}"

    return set(walk(get_resolver().url_patterns, None))


def _client(username):
    from django.contrib.auth import get_user_model

    client = Client(raise_request_exception=False)
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


def _record(failures, who, method, url, data, response):
    if response.status_code >= 500:
        shown = {k: [v[:40] for v in vs] for k, vs in (data or {}).items()}
        failures.append(f"{method} {url} {shown} → {response.status_code} (as {who or 'anonymous'})")


def _fuzz_queries(client, who, site, failures, done: set):
    for route, url in site.pages.items():
        if route in done:  # each page once, as the first person who reaches it
            continue
        done.add(route)
        path = url.split("?", 1)[0]
        names = sorted(site.query_names.get(route, set()) | set(GENERIC_QUERY_NAMES))
        for value in QUERY_VALUES:
            query = urlencode({name: value for name in names})
            _record(failures, who, "GET", f"{path}?…={value[:20]!r}", None, client.get(f"{path}?{query}"))
        duplicated = urlencode([(name, v) for name in names for v in ("1", SUPERSCRIPT_TWO)])
        _record(failures, who, "GET", f"{path}?(duplicated)", None, client.get(f"{path}?{duplicated}"))
        # One parameter malformed, the others as the page's own links set them (a month read only with a year).
        for example in site.query_examples.get(route, []):
            for name in example:
                for value in EXAMPLE_VALUES:
                    query = urlencode({**example, name: value})
                    _record(failures, who, "GET", f"{path}?{query[:200]}", None, client.get(f"{path}?{query}"))


def _variants(form: Form):
    base = form.baseline()
    yield {}
    yield {k: v + [NUL] for k, v in base.items()}  # every parameter twice
    for f in form.fields:
        if f.name in ACTION_NAMES or f.name == "website" or f.kind == "file":
            continue
        for value in FIELD_VALUES.get(f.kind, FIELD_VALUES["text"]):
            yield {**base, f.name: [value]}
        if f.kind in MISSING_KINDS:
            yield {k: v for k, v in base.items() if k != f.name}  # this one missing


def _fuzz_forms(client, who, site, failures, done: set):
    for form in site.forms.values():
        key = (route_of(form.action), form.button, tuple(sorted({f.name for f in form.fields})))
        # Each form once, as the first person shown it; logging out would leave the rest to an anonymous client.
        if key in done or key[0] == ":logout":
            continue
        done.add(key)
        for data in _variants(form):
            response = client.post(form.action, data)
            _record(failures, who, "POST", form.action + (f" [{form.button[1]}]" if form.button else ""), data,
                    response)


def _fuzz_actions(failures):
    from django.urls import reverse

    targets = {route: kwargs for route, kwargs in _action_kwargs().items() if kwargs}
    assert len(targets) >= 6, "the demo data lost the rows the direct posts need"
    for who in PEOPLE[1:]:
        client = _client(who)
        for route, kwargs in targets.items():
            url = reverse(route.lstrip(":"), kwargs=kwargs)
            for value in ACTION_VALUES:
                data = {name: [value] for name in ACTION_FIELDS}
                _record(failures, who, "POST", url, data, client.post(url, data))


def _draft_seeds() -> list[str]:
    """A draft with an attachment: its page links the edit, submit and download routes (the lists are paged)."""
    from disclosure.models import Attachment, Document

    draft = Document.objects.filter(status="draft", attachments__isnull=False).first() or Document.objects.filter(
        status="draft").first()
    attachment = Attachment.objects.first()
    return [url for url in (draft and f"/work/documents/{draft.pk}/", attachment and f"/attachments/{attachment.pk}/")
            if url]


def test_hardening_malformed_input_never_answers_5xx_and_stored_values_render(demo):
    failures: list[str] = []
    pages_done, forms_done, reached = set(), set(), set()
    seeds = [*SEEDS, *_draft_seeds()]
    for who in PEOPLE:
        client = _client(who)
        site = crawl(client, seeds, max_pages=300, failures=failures)
        _fuzz_queries(client, who, site, failures, pages_done)
        _fuzz_forms(client, who, site, failures, forms_done)
        reached |= set(site.pages) | {route_of(form.action) for form in site.forms.values()}
    _fuzz_actions(failures)
    unreached = all_routes() - reached - NOT_CRAWLED
    assert not unreached, f"pages no one reached (add a seed or list them in NOT_CRAWLED): {sorted(unreached)}"
    for who in PEOPLE:  # whatever the forms stored, every page each person reaches still renders
        crawl(_client(who), seeds, max_pages=300, failures=failures)
    distinct = list(dict.fromkeys(f.rsplit(" (as ", 1)[0] for f in failures))
    assert not failures, f"{len(failures)} 5xx answers, {len(distinct)} distinct:\n" + "\n".join(distinct[:150])
