"""The public 政府信息公开 column (W4, D8–D12, D14): server-rendered, few queries, cacheable."""

import re

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.urls import get_urlconf
from django.views.decorators.http import require_safe

from tongchuan_portal.core import params
from tongchuan_portal.core.cached_urls import CachedURLs
from tongchuan_portal.core.ratelimit import is_limited
from tongchuan_portal.core.siteurl import site_url
from tongchuan_portal.units.models import Unit

from . import pagecache, search, search_page, selectors
from .counter import reading_of, record_view, record_view_of
from .models import DisclosureGuide, Document, FiveDisclosure, Topic, Validity



def _years():
    return list(range(timezone.localdate().year, 2015, -1))


@require_safe
def column_index(request):
    return render(request, "disclosure/public/index.html", {"areas": FiveDisclosure.choices})


_CURSOR = re.compile(r"(0|[1-9][0-9]{0,17})-[1-9][0-9]{0,18}")


def _print_param(request) -> str:
    return "1" if request.GET.get("print") == "1" else ""


def _column_cache_params(request, filters) -> dict:
    """The 五公开 list's parameters in normal form; an unknown unit or a malformed cursor is not one."""
    params = {**filters.as_query(), "print": _print_param(request)}
    if filters.unit and filters.unit not in {u.code for u in selectors.filter_units()}:
        params.pop("unit")
    for name in ("after", "before"):
        value = request.GET.get(name, "")
        if _CURSOR.fullmatch(value) and selectors.decode_cursor(value):
            params[name] = value
    return params


@require_safe
def five_disclosures(request):
    """五公开 column: browse by area, unit, topic, year, validity; newest first; keyset pages."""
    filters = selectors.Filters.from_query(request.GET)
    key = pagecache.page_key(request, _column_cache_params(request, filters))
    unchanged = pagecache.not_modified(request, key)
    if unchanged:
        return unchanged
    cached = pagecache.get(key)
    if cached is not None:
        return pagecache.with_public_headers(HttpResponse(cached), key)
    page = selectors.column_page(filters, after=request.GET.get("after", ""), before=request.GET.get("before", ""))
    html = render_to_string("disclosure/public/column.html", {
        "page": page, "filters": filters, "query": filters.as_query(), "areas": FiveDisclosure.choices,
        "topics": Topic.choices, "validities": Validity.choices, "units": selectors.filter_units(), "years": _years(),
    }, request)
    pagecache.put(key, html)
    return pagecache.with_public_headers(HttpResponse(html), key)


# The document page's links, reversed once per URLconf (a cold render reversed each of them).
DETAIL_LINKS = CachedURLs({
    "column": "disclosure:column", "wgk": "disclosure:wgk", "feed": ("disclosure:feed_unit_rss", CachedURLs.SLUG),
})


@require_safe
def document(request, pk):
    key = pagecache.page_key(request, {"print": _print_param(request)}, with_views=True)
    unchanged = pagecache.not_modified(request, key)
    if unchanged:
        return unchanged
    cached = pagecache.get(key, reading=reading_of(pk))
    if cached is not None:
        html, base_count = cached
        pending = key.pending  # counted by the lookup itself where it could
        views = base_count + pending if pending is not None else record_view_of(pk, base_count)
        return pagecache.with_public_headers(HttpResponse(html.replace(pagecache.VIEWS_MARK, str(views))), key)
    try:
        page = selectors.document_page(pk)
    except Document.DoesNotExist:
        raise Http404("该信息不存在或已撤回。") from None
    from .integrations import document_sections

    doc = page.document
    links = DETAIL_LINKS.for_urlconf(get_urlconf())
    html = render_to_string("disclosure/public_detail.html", {
        "document": doc, "page": page, "attachments": page.attachments, "related": page.related,
        "views": pagecache.VIEWS_MARK, "sections": document_sections(doc), "links": links,
        "feed_url": links["feed"].format(doc.issuer.code),
        "share_url": site_url(selectors.DOCUMENT_URL.for_urlconf(get_urlconf())["document"].format(doc.pk)),
    }, request)
    pagecache.put(key, (html, doc.view_count))
    return pagecache.with_public_headers(HttpResponse(html.replace(pagecache.VIEWS_MARK, str(record_view(doc)))), key)


def _search_cache_params(request, query, filters, page) -> dict:
    """The search page's parameters in normal form (the page cache keys on them alone)."""
    return {"q": query.text, **filters.as_query(), "page": page if page > 1 else "",
            "scope": request.GET.get("scope", "") if request.GET.get("scope", "") in SEARCH_SCOPES else ""}


@require_safe
def search_view(request):
    """全文检索 (W5): keywords of any length, or a 文号/索引号 typed in any form; limited per client."""
    if is_limited(request, group="disclosure:search", key="ip", rate=settings.DISCLOSURE_SEARCH_RATE_IP,
                  method=request.method):
        return render(request, "disclosure/public/search_rate_limited.html", status=429)
    query = search.parse(request.GET.get("q", ""))
    scope = request.GET.get("scope", "")
    filters = search_page.SearchFilters.from_query(request.GET)
    page = params.page(request.GET, max_page=search_page.MAX_PAGES)
    key = pagecache.page_key(request, _search_cache_params(request, query, filters, page)) if query.text else None
    unchanged = pagecache.not_modified(request, key)
    if unchanged:
        return unchanged
    cached = pagecache.get(key)
    if cached is not None:
        return pagecache.with_public_headers(HttpResponse(cached), key)
    if scope in SEARCH_SCOPES and query.text and not query.empty:
        html = _search_other(request, query, scope)
    else:
        searching = query.text and not query.empty
        units = search_page.search_units() if searching else []
        result = search_page.result_page(query, filters, units, page) if searching else None
        html = render_to_string("disclosure/public/search.html", {
            "query": query, "result": result, "filters": filters, "pager_query": {"q": query.text, **filters.as_query()},
            "areas": FiveDisclosure.choices, "topics": Topic.choices, "units": units, "years": _years(),
            "sorts": search_page.SORTS, "scope": "", "scopes": SEARCH_SCOPES,
        }, request)
    pagecache.put(key, html)
    return pagecache.with_public_headers(HttpResponse(html), key)


SEARCH_SCOPES = {"jiedu": "政策解读", "canyu": "公众参与"}
PARTICIPATION_KINDS = {"draft": "意见征集", "message": "网民留言", "meeting": "会议活动", "evaluation": "第三方评估"}


def _search_other(request, query, scope):
    """The shared search over the other columns (I8 interpretations, participation), 50 hits at most."""
    if scope == "jiedu":
        from interpretation.selectors import search_public

        hits = [{"title": i.title, "url": i.get_absolute_url(), "excerpt": search.highlight(i.body, query.terms),
                 "meta": i.get_kind_display(), "date": i.release_at} for i in search_public(query.text)[:50]]
    else:
        from participation.selectors import search_public

        hits = [{"title": h.title, "url": h.url, "excerpt": search.highlight(h.excerpt, query.terms),
                 "meta": PARTICIPATION_KINDS.get(h.kind, h.kind) + (f" · {h.unit}" if h.unit else ""), "date": h.date}
                for h in search_public(query.text, limit=50)]
    return render_to_string("disclosure/public/search.html", {"query": query, "scope": scope, "hits": hits,
                                                              "scopes": SEARCH_SCOPES}, request)


@require_safe
def guide(request, code: str | None = None):
    """政府信息公开指南 (条例第十二条), per unit; without a code, the city office's."""
    try:
        unit_guide, others = selectors.guide_page(code)
    except DisclosureGuide.DoesNotExist:
        raise Http404("该单位尚未发布政府信息公开指南。") from None
    return render(request, "disclosure/public/guide.html", {"guide": unit_guide, "others": others})


@require_safe
def system(request):
    return render(request, "disclosure/public/system.html")


@require_safe
def statutory(request):
    return render(request, "disclosure/public/statutory.html")


@require_safe
def annual_reports(request):
    """政府信息公开年报 (A6, W4): the annual-report app's list, by year and unit, with the city-wide summary."""
    from .annual_report.public_views import report_list

    return report_list(request)


@require_safe
def catalogs(request):
    return render(request, "disclosure/public/catalogs.html", {"rows": selectors.catalog_overview(),
                                                                "first_due": selectors.FIRST_BATCH_DUE,
                                                                "others_due": selectors.OTHERS_DUE})


@require_safe
def unit_catalog(request, code):
    try:
        unit, catalog, check = selectors.unit_catalog(code)
    except Unit.DoesNotExist:
        raise Http404("单位不存在。") from None
    return render(request, "disclosure/public/unit_catalog.html", {"unit": unit, "catalog": catalog, "check": check,
                                                                    "areas": FiveDisclosure.choices})


@require_safe
def key_points(request):
    year, years, rows = selectors.priorities_by_year(params.year(request.GET))
    return render(request, "disclosure/public/key_points.html", {"year": year, "years": years, "rows": rows})


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *", "Disallow: /work/", "Disallow: /admin/", "Disallow: /accounts/", "Disallow: /inbox/",
        "Disallow: /deadlines/", "Disallow: /attachments/",
        f"Sitemap: {site_url('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


