"""The public search page's reads (W5): filters (unit with its sub-units, area, topic, year, date
range), sort, one page of results with snippets. A constant number of queries whatever the index holds."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.urls import get_urlconf
from django.utils import timezone

from tongchuan_portal.core import params as query_params
from tongchuan_portal.core.periods import year_span
from tongchuan_portal.core.validation import FIRST_YEAR
from tongchuan_portal.units.models import Unit, UnitKind
from tongchuan_portal.units.selectors import attach_units, units_by_id

from . import search, selectors
from .models import Document, FiveDisclosure, Topic
from .selectors import public_documents

PAGE_SIZE = 20
# What a result shows: the list's columns with the 索引号 and the body (for the snippet).
RESULT_FIELDS = (*(f for f in selectors.LIST_FIELDS if "__" not in f), "index_number", "body")
MAX_PAGES = (search.WINDOW + search.NUMBER_WINDOW) // PAGE_SIZE
SORTS = {"relevance": "相关度", "date": "发布日期"}
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MIN_DATE = date(FIRST_YEAR, 1, 1)


_search_units: tuple[dict, list[Unit]] | None = None


def search_units() -> list[Unit]:
    """The units a search may be narrowed to, with their parents (from `units_by_id`: no query). Sorted
    once for each read of the directory (`units_by_id` returns the same mapping until a unit changes)."""
    global _search_units
    rows = units_by_id()
    if _search_units is None or _search_units[0] is not rows:
        _search_units = (rows, sorted((u for u in rows.values() if u.is_active and u.kind != UnitKind.PARTY_ORGAN),
                                      key=lambda u: (u.sort_order, u.code)))
    return _search_units[1]


def subtree(units: list[Unit], code: str) -> list[int]:
    """The ids of the unit with this code and of every unit below it; [] for an unknown code."""
    by_code = {u.code: u for u in units}
    if code not in by_code:
        return []
    children: dict[int | None, list[int]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit.pk)
    ids, todo = [], [by_code[code].pk]
    while todo:
        pk = todo.pop()
        ids.append(pk)
        todo += children.get(pk, [])
    return ids


def _date(value: str, label: str, errors: list[str]) -> date | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value) if DATE.fullmatch(value) else None
    except ValueError:
        day = None
    if day is None or not (MIN_DATE <= day <= date(2100, 12, 31)):
        errors.append(f"{label}“{value}”无法识别,请按 2016-12-30 的格式输入 {MIN_DATE:%Y} 年以后的日期。")
        return None
    return day


@dataclass
class SearchFilters:
    area: str = ""
    unit: str = ""
    topic: str = ""
    year: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"
    typed_from: str = ""  # what was typed, shown back in the form even when it cannot be read
    typed_to: str = ""
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, params) -> "SearchFilters":
        errors: list[str] = []
        typed_from, typed_to = params.get("from", "").strip()[:20], params.get("to", "").strip()[:20]
        date_from, date_to = _date(typed_from, "起始日期", errors), _date(typed_to, "截止日期", errors)
        if date_from and date_to and date_from > date_to:
            errors.append("起始日期晚于截止日期,请检查。")
            date_from = date_to = None
        return cls(
            area=params.get("area", "") if params.get("area", "") in FiveDisclosure.values else "",
            unit=params.get("unit", "")[:40],
            topic=params.get("topic", "") if params.get("topic", "") in Topic.values else "",
            year=query_params.year(params),
            date_from=date_from, date_to=date_to,
            sort=params.get("sort", "") if params.get("sort", "") in SORTS else "relevance",
            typed_from=typed_from, typed_to=typed_to, errors=errors,
        )

    def apply(self, qs: QuerySet, units: list[Unit]) -> QuerySet:
        if self.area:
            qs = qs.filter(area=self.area)
        if self.unit:
            qs = qs.filter(issuer_id__in=subtree(units, self.unit) or [0])
        if self.topic:
            qs = qs.filter(topic=self.topic)
        tz = timezone.get_current_timezone()
        if self.year:
            start, end = year_span(self.year)
            qs = qs.filter(published_at__gte=start, published_at__lt=end)
        if self.date_from:
            qs = qs.filter(published_at__gte=datetime.combine(self.date_from, time.min, tzinfo=tz))
        if self.date_to:
            qs = qs.filter(published_at__lt=datetime.combine(self.date_to + timedelta(days=1), time.min, tzinfo=tz))
        return qs

    @property
    def narrows(self) -> bool:
        """Whether any filter narrows the documents (the sort does not)."""
        return bool(self.area or self.unit or self.topic or self.year or self.date_from or self.date_to)

    def key(self, units: list[Unit]) -> tuple:
        """The filters in normal form, with the units a unit filter stands for (sub-units change with
        the directory): what keys a search's kept statistics and compiled statements."""
        unit_ids = tuple(sorted(subtree(units, self.unit))) if self.unit else ()
        return (*sorted(self.as_query().items()), ("units", unit_ids))

    def as_query(self) -> dict:
        """The filters as they go back into links (pager, sort); the raw dates only when readable."""
        return {k: v for k, v in {
            "area": self.area, "unit": self.unit, "topic": self.topic, "year": self.year or "",
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "sort": "" if self.sort == "relevance" else self.sort,
        }.items() if v}


@dataclass
class Result:
    """One hit as the page shows it: every value the row prints is computed here once, so the
    template reads flat attributes (twenty rows of nested lookups were most of a search's render)."""

    document: Document
    title: str
    excerpt: str
    exact: bool
    url: str = field(init=False)
    meta: str = field(init=False)  # 发文机构 · 文号
    published_iso: str = field(init=False)
    published_on: str = field(init=False)

    def __post_init__(self):
        document = self.document
        number = document.document_number
        self.url = selectors.DOCUMENT_URL.for_urlconf(get_urlconf())["document"].format(document.pk)
        self.meta = document.issuing_body.name + (f" · {number}" if number else "")
        self.published_iso = document.published_at.isoformat()
        self.published_on = timezone.localtime(document.published_at).strftime("%Y-%m-%d")


@dataclass
class ResultPage:
    results: list[Result]
    count: int
    estimated: bool
    incomplete: bool
    page: int
    has_next: bool

    @property
    def count_text(self) -> str:
        return f"{self.count:,}"


def result_page(query: search.SearchQuery, filters: SearchFilters, units: list[Unit], page: int) -> ResultPage:
    """One page of results: the search (1–4 queries) and the page's rows (one query)."""
    start, now = (page - 1) * PAGE_SIZE, timezone.now()
    # The filtered rows are built only when a statement must be compiled (once per process and filters).
    hits = search.find(lambda: filters.apply(public_documents(now=now), units), query,
                       by_date=filters.sort == "date", needed=start + PAGE_SIZE, filters_key=filters.key(units),
                       now=now, recent_first=not filters.narrows)
    ids = hits.ids[start:start + PAGE_SIZE]
    rows = selectors.documents_by_id(ids, RESULT_FIELDS)
    attach_units(list(rows.values()), "issuer", "issued_by")
    terms = query.terms + ([query.text] if query.number else [])
    results = [Result(rows[pk], search.highlight(rows[pk].title, terms, width=200),
                      search.highlight(rows[pk].body, query.terms), pk in hits.exact) for pk in ids if pk in rows]
    return ResultPage(results, hits.count, hits.estimated, hits.incomplete, page,
                      len(hits.ids) > start + PAGE_SIZE and page < MAX_PAGES)
