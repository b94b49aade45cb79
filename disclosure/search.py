"""Chinese full-text search over published documents (D11, W5).

Titles, 文号 and bodies are segmented with jieba (plus a dictionary of government
terms) and stored, together with every single character, in a PostgreSQL
`tsvector` with a GIN index. Words make ranking sensible; the characters make
one- and two-character queries and any substring findable (as a phrase of
characters). On SQLite (the embedded default) a plain substring search serves.
"""

from __future__ import annotations

import html
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

from .text import parse_document_number

_jieba = None
_lock = threading.Lock()
CJK = re.compile(r"[\u3400-\u9fff]")
TOKEN = re.compile(r"[\u3400-\u9fff]|[A-Za-z0-9]+")
TSQUERY_UNSAFE = re.compile(r"[&|!():*<>'\\\s]")
SEARCH_WINDOW = 200  # the newest matches that are ranked and paged (10 pages of 20)


def jieba():
    global _jieba
    if _jieba is None:
        with _lock:
            if _jieba is None:
                import jieba as j

                j.setLogLevel(60)
                j.load_userdict(str(Path(__file__).with_name("search_dict.txt")))
                _jieba = j
    return _jieba


def _plain(text: str) -> str:
    return html.unescape(strip_tags(text or ""))


def tokens(text: str) -> str:
    """The indexable form: every character in order (for phrases), then jieba's words."""
    text = _plain(text)
    chars = TOKEN.findall(text)
    words = [w for w in jieba().cut_for_search(text) if len(w) > 1 and not TSQUERY_UNSAFE.search(w)]
    return " ".join([c.lower() for c in chars] + [w.lower() for w in words])


def index_texts(document) -> tuple[str, str]:
    """(title part, body part) to store: title and 文号 weigh more than the body."""
    number = document.document_number
    number_tokens = f"{document.number_prefix} {document.number_year or ''} {document.number_serial or ''}"
    return tokens(f"{document.title} {number}") + " " + number_tokens.lower(), tokens(document.body)


def reindex(documents) -> None:
    """Store the search vectors of these documents (PostgreSQL; a no-op elsewhere)."""
    if connection.vendor != "postgresql":
        return
    rows = []
    for document in documents:
        title, body = index_texts(document)
        rows.append((document.pk, title, body))
    if not rows:
        return
    from psycopg2.extras import execute_values

    with connection.cursor() as cursor:
        execute_values(
            cursor.cursor if hasattr(cursor, "cursor") else cursor,
            "UPDATE disclosure_document AS d SET "
            "search_title = to_tsvector('simple', v.title), "
            "search_vector = setweight(to_tsvector('simple', v.title), 'A') || "
            "setweight(to_tsvector('simple', v.body), 'B') "
            "FROM (VALUES %s) AS v(id, title, body) WHERE d.id = v.id",
            rows, page_size=500,
        )


def _term_query(term: str) -> str | None:
    term = term.lower()
    if TSQUERY_UNSAFE.search(term):
        return None
    chars = TOKEN.findall(term)
    if not chars:
        return None
    phrase = " <-> ".join(chars)
    if len(chars) == 1:
        return phrase
    if CJK.search(term) and list(jieba().cut(term)) == [term]:
        return term  # a dictionary word is indexed as one token: exact and fast
    return f"({term} | {phrase})" if CJK.search(term) else phrase


def build_tsquery(query: str) -> str | None:
    """'政务公开 年报' → '(政务公开 | 政 <-> 务 <-> 公 <-> 开) & (年报 | 年 <-> 报)'."""
    terms = [t for t in re.split(r"\s+", query.strip()) if t]
    parts = []
    for term in terms:
        words = [w for w in jieba().cut(term) if w.strip()] if len(term) > 4 and CJK.search(term) else [term]
        for word in words:
            part = _term_query(word)
            if part:
                parts.append(part)
    return " & ".join(parts) if parts else None


@dataclass
class SearchQuery:
    text: str
    number: tuple[str, int, int] | None
    tsquery: str | None
    terms: list[str]


def parse(query: str) -> SearchQuery:
    query = (query or "").strip()[:100]
    number = parse_document_number(query)
    terms = [t for t in re.split(r"\s+", query) if t]
    return SearchQuery(query, number, build_tsquery(query), terms)


def search(queryset: QuerySet, query: SearchQuery) -> QuerySet:
    """Filter `queryset` to matches, best first: the exact 文号, then title hits, then newest."""
    if not query.text:
        return queryset.none()
    number_q = Q()
    if query.number:
        prefix, year, serial = query.number
        number_q = Q(number_prefix=prefix, number_year=year, number_serial=serial)
    if query.number:
        # A 文号 names one document: look it up by its (indexed) parts rather than as text.
        return queryset.filter(number_q).annotate(
            number_hit=Value(1, output_field=IntegerField())).order_by("-published_at", "-pk")
    if connection.vendor == "postgresql" and query.tsquery:
        from django.contrib.postgres.search import SearchQuery as PgQuery

        ts = PgQuery(query.tsquery, search_type="raw", config="simple")
        # Rank only the newest SEARCH_WINDOW matches: a common term ("政") matches most documents, and
        # ranking them all means reading every vector. Walking the published-date index stops early.
        newest = queryset.filter(search_vector=ts).order_by("-published_at", "-pk").values("pk")[:SEARCH_WINDOW]
        matches = Q(pk__in=newest)
        if query.number:
            matches |= number_q
        qs = queryset.filter(matches).annotate(
            number_hit=Case(When(number_q, then=Value(1)), default=Value(0), output_field=IntegerField())
            if query.number else Value(0, output_field=IntegerField()),
            title_hit=Case(When(search_title=ts, then=Value(1)), default=Value(0), output_field=IntegerField()),
        )
        return qs.order_by("-number_hit", "-title_hit", "-published_at", "-pk")
    condition = Q()
    for term in query.terms:
        condition &= Q(title__icontains=term) | Q(body__icontains=term)
    if query.number:
        condition |= number_q
    return queryset.filter(condition).annotate(
        number_hit=Case(When(number_q, then=Value(1)), default=Value(0), output_field=IntegerField())
        if query.number else Value(0, output_field=IntegerField()),
    ).order_by("-number_hit", "-published_at", "-pk")


def highlight(text: str, terms: list[str], *, width: int = 80) -> str:
    """An escaped excerpt around the first hit, with every term wrapped in <mark>."""
    plain = re.sub(r"\s+", " ", _plain(text)).strip()
    terms = [t for t in terms if t]
    first = min((plain.find(t) for t in terms if plain.find(t) >= 0), default=0)
    start = max(first - width // 3, 0)
    excerpt = plain[start:start + width]
    escaped = html.escape(excerpt)
    for term in sorted({html.escape(t) for t in terms}, key=len, reverse=True):
        escaped = escaped.replace(term, f"\x00{term}\x01")
    escaped = escaped.replace("\x00", "<mark>").replace("\x01", "</mark>")
    return mark_safe(("…" if start else "") + escaped + ("…" if start + width < len(plain) else ""))
