"""Chinese full-text search over published documents (D11, W5), with a bounded cost for every query.

Index. Titles, 文号, 索引号 and bodies are stored in a PostgreSQL `tsvector` (GIN index) as the
character *trigrams* of each Chinese run in text order (a phrase of n ≥ 3 characters is a phrase of
its n − 2 trigrams, each a selective index key, so the rows to recheck are about the rows that
match), every distinct bigram and character once (two- and one-character queries are one index
key each, no recheck), and the ASCII words (numbers, years, 索引号 parts). No dictionary is needed to
find anything. Snippets start at the sentence or clause holding the hit.

Query cost. A query is cleaned first: one made only of punctuation or stop characters is answered
"请输入关键词" without touching the database. Otherwise:

1. PostgreSQL's lexeme statistics estimate how many documents match (EXPLAIN, no scan; kept per
   process for a few minutes, like the table's row count: statistics change only when PostgreSQL
   analyses the table, and they only choose the stage). A term in at least WALK_DENSITY of them
   (政, 公开) is *walked*: the published-date index is read newest first until WINDOW matches are
   found (about WINDOW / density rows; never more than WALK_ROWS).
2. Anything rarer is asked of the GIN index alone (sequential and date-index scans switched off for
   that one statement), with its phrases loosened to AND (`loose`): the index answers that exactly
   without reading any row's vector. With no phrase: every match sorted by date and counted in one
   pass, the newest WINDOW kept. With a phrase: the newest VERIFY_ROWS candidates by date, all
   counted in the same pass, are verified against their text and vectors newest first until WINDOW
   hold it, in the same statement; the count is exact when every candidate was read, else
   estimated from the share that did. A rare or absent
   phrase costs the posting lists of its keys and at most VERIFY_ROWS vector reads.
   The index holds each document's publication year beside its vector (btree_gin), so an unfiltered
   search first asks for this year's and last year's candidates alone (`_recent`): when they hold
   WINDOW hits, those are the newest WINDOW of all and no older candidate is read (the count is then
   estimated from those years' share of the documents); otherwise every candidate is read as above.
3. The statement that finds the window's hits also reads each one's small title vector, so ordering
   by relevance (title hits first, ranked by the title vector, then newest) needs no further query
   except on the no-phrase path.

Every statement runs under SEARCH_STATEMENT_TIMEOUT_MS; one that would exceed it is cancelled and
the page says the results may be incomplete. The result count is exact for the GIN path and
PostgreSQL's estimate for a walked term ("约").

文号 and 索引号 in the forms citizens type them ("71号", "铜政办发2016年71号", "铜政办发(2016)71",
"〔2016〕71号", "TCXXGK-2016-026432") are looked up by their indexed columns and listed first, then
the full-text hits. On SQLite (the embedded default) a plain substring search serves.
"""

from __future__ import annotations

import html
import re
import time
from dataclasses import dataclass, field
from collections.abc import Callable
from datetime import datetime

from django.core.exceptions import EmptyResultSet
from django.db import DatabaseError, connection, transaction
from django.db.models import Q, QuerySet
from django.utils.functional import SimpleLazyObject
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

from .text import NUMBER_PATTERN

CJK = re.compile(r"[\u3400-\u9fff]")
# A run of Chinese characters, or of ASCII letters/digits: the units the index is made of.
RUN = re.compile(r"[\u3400-\u9fff]+|[A-Za-z0-9]+")
# Characters that alone say nothing: a query of only these (and punctuation) asks for nothing.
STOP_CHARS = set("的了和与及或之在是等对为以其于把被从向就也都而且并")
MAX_QUERY = 100
WINDOW = 200  # the newest matches that are ranked and paged (10 pages of 20)
WALK_ROWS = 20_000  # the most rows the date walk ever reads
WALK_DENSITY = 0.05  # a term in at least 5 % of documents is walked by date (≤ 4,000 rows for 200 hits)
NUMBER_WINDOW = 200  # exact 文号/索引号 matches listed first, at most
VERIFY_ROWS = 1_000  # the most phrase candidates whose vectors are read, newest first
RECENT_YEARS = 2  # an unfiltered search first asks the index for this year's and last year's candidates
RECENT_SHARE = 0.5  # … when those years hold at most this share of the documents
# The publication year as the search index holds it beside the vector (migration 0012 writes the same
# expression; PostgreSQL uses the index only for an identical one). Beijing time, like every date shown.
PUBLISHED_YEAR_SQL = "((date_part('year', {column} AT TIME ZONE 'Asia/Shanghai'))::integer)"

SERIAL_ONLY = re.compile(r"^\s*第?\s*(?P<serial>\d{1,5})\s*号\s*$")
YEAR_SERIAL = re.compile(r"^\s*[〔\[\(（【［]\s*(?P<year>(19|20)\d{2})\s*[〕\]\)）】］]\s*年?\s*第?\s*(?P<serial>\d{1,5})\s*号?\s*$"
                         r"|^\s*(?P<year2>(19|20)\d{2})\s*年\s*第?\s*(?P<serial2>\d{1,5})\s*号\s*$")
INDEX_NUMBER = re.compile(r"^\s*(?P<prefix>[A-Za-z]{2,12})\s*[-—_ ]?\s*(?P<year>(19|20)\d{2})\s*[-—_ ]?\s*(?P<serial>\d{1,8})\s*$")


TAG = re.compile(r"<[^>]*>")


def _plain(text: str) -> str:
    return html.unescape(strip_tags(text or ""))


def _excerpt_text(text: str) -> str:
    """The text of a stored body or title for an excerpt (tags dropped, entities decoded). Only ever
    escaped again, never output as HTML, so a regular expression serves where the indexer uses
    Django's (slower) HTML parser."""
    return html.unescape(TAG.sub("", text or ""))


def trigrams(run: str) -> list[str]:
    return [run[i:i + 3] for i in range(len(run) - 2)]


def tokens(text: str) -> str:
    """The indexable form: the trigram sequence of each Chinese run (positions make phrases), then
    each distinct bigram and character once, and the ASCII words lower-cased."""
    runs = RUN.findall(_plain(text))
    sequence, bigrams, chars = [], set(), set()
    for run in runs:
        if CJK.match(run):
            sequence += trigrams(run)
            bigrams.update(run[i:i + 2] for i in range(len(run) - 1))
            chars.update(run)
        else:
            sequence.append(run.lower())
    return " ".join(sequence + sorted(bigrams) + sorted(chars))


def index_texts(document) -> tuple[str, str]:
    """(title part, body part) to store: title, 文号 and 索引号 weigh more than the body."""
    number = document.document_number
    number_tokens = f"{document.number_prefix} {document.number_year or ''} {document.number_serial or ''}"
    return (tokens(f"{document.title} {number} {document.index_number or ''}") + " " + number_tokens.lower(),
            tokens(document.body))


VECTOR_SQL = ("setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B')")
TITLE_VECTOR_SQL = "to_tsvector('simple', %s)"


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


# --- the query ---------------------------------------------------------------------------------


def _quote(unit: str) -> str:
    return "'" + unit.replace("'", "''") + "'"


def term_query(term: str) -> str | None:
    """One typed term → a tsquery: each Chinese run of three or more characters as a phrase of its
    trigrams, of two as its bigram, of one as the character; each ASCII word as itself; ANDed."""
    parts = []
    for run in RUN.findall(term):
        if CJK.match(run) and len(run) >= 3:
            grams = trigrams(run)
            parts.append(" <-> ".join(_quote(g) for g in grams) if len(grams) > 1 else _quote(grams[0]))
        else:
            parts.append(_quote(run.lower()))
    return " & ".join(f"({p})" if "<->" in p and len(parts) > 1 else p for p in parts) if parts else None


def build_tsquery(query: str) -> str | None:
    """'政务公开 年报' → "'政务公' <-> '务公开' & '年报'"."""
    parts = [p for p in (term_query(t) for t in query.split()) if p]
    return " & ".join(f"({p})" if " & " in p else p for p in parts) if parts else None


def meaningful(text: str) -> bool:
    """Whether the query holds anything to look for (not only punctuation or stop characters)."""
    return any(not (CJK.match(ch) and ch in STOP_CHARS) for run in RUN.findall(text) for ch in run)


@dataclass
class NumberForm:
    """What a typed 文号 or 索引号 names exactly: a Q over indexed columns."""

    q: Q
    label: str


def number_form(text: str) -> NumberForm | None:
    """The exact lookup for a 文号 or 索引号 in any form a citizen types; None when it is not one."""
    text = (text or "").strip()
    match = NUMBER_PATTERN.match(text)
    if match and not match["prefix"].isascii():
        prefix, year, serial = match["prefix"].rstrip("年第"), int(match["year"]), int(match["serial"])
        if prefix:
            return NumberForm(Q(number_prefix=prefix, number_year=year, number_serial=serial),
                              f"{prefix}〔{year}〕{serial}号")
    match = YEAR_SERIAL.match(text)
    if match:
        year, serial = int(match["year"] or match["year2"]), int(match["serial"] or match["serial2"])
        return NumberForm(Q(number_year=year, number_serial=serial), f"〔{year}〕{serial}号")
    match = SERIAL_ONLY.match(text)
    if match:
        serial = int(match["serial"])
        return NumberForm(Q(number_serial=serial), f"{serial}号")
    match = INDEX_NUMBER.match(text)
    if match:
        value = f"{match['prefix'].upper()}-{match['year']}-{match['serial']}"
        return NumberForm(Q(index_number=value), value)  # 索引号 are stored in capitals
    return None


@dataclass
class SearchQuery:
    text: str
    number: NumberForm | None
    tsquery: str | None
    terms: list[str]
    empty: bool = False  # typed something, but nothing to look for ("请输入关键词")


def parse(query: str) -> SearchQuery:
    text = re.sub(r"\s+", " ", (query or "")).strip()[:MAX_QUERY]
    if not meaningful(text):
        return SearchQuery(text, None, None, [], empty=bool(text))
    terms = [t for t in text.split() if RUN.search(t)]
    return SearchQuery(text, number_form(text), build_tsquery(text), terms)


# --- the search --------------------------------------------------------------------------------


@dataclass
class Hits:
    """Ordered ids of matches (exact 文号/索引号 first), with a count that is exact or estimated."""

    ids: list[int] = field(default_factory=list)
    count: int = 0
    estimated: bool = False
    incomplete: bool = False
    exact: set[int] = field(default_factory=set)


def _sql(queryset: QuerySet) -> tuple[str, tuple]:
    return queryset.query.get_compiler(connection=connection).as_sql()


def _timeout_ms() -> int:
    from django.conf import settings

    return int(getattr(settings, "SEARCH_STATEMENT_TIMEOUT_MS", 500))


def _run(sql: str, params, *, settings_sql: str) -> list[tuple]:
    """One statement with its own planner settings and time limit.

    Outside a transaction (a request in autocommit) the settings and the statement go as one query
    string, which PostgreSQL runs as one implicit transaction: SET LOCAL ends with it, and one round
    trip does what BEGIN, the statement and COMMIT did in three. Inside a caller's transaction, in a
    savepoint of its own: a statement cancelled by the time limit rolls back only itself, and the caller's
    transaction goes on.
    """
    prefix = f"SET LOCAL statement_timeout = {_timeout_ms()}; {settings_sql}"
    if connection.get_autocommit() and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql, params)
            return cursor.fetchall()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        rows = cursor.fetchall()
        # a savepoint's release keeps SET LOCAL until the caller's transaction ends
        cursor.execute("RESET statement_timeout; RESET enable_seqscan; RESET enable_indexscan; "
                       "RESET enable_indexonlyscan; RESET enable_bitmapscan; RESET enable_hashjoin; "
                       "RESET enable_mergejoin")
    return rows


def _matching(queryset: QuerySet, tsquery: str) -> QuerySet:
    from django.contrib.postgres.search import SearchQuery as PgQuery

    return queryset.filter(search_vector=PgQuery(tsquery, search_type="raw", config="simple"))


_compiled: dict[tuple, tuple[str, tuple, int]] = {}


def _compiled_once(key: tuple | None, now: datetime | None, build) -> tuple[str, tuple]:
    """A statement over the filtered documents, compiled once per process for each key (the filters in
    normal form and the query): compiling the public filters costs the ORM more than some of the
    statements take. The moment `now` the public filter compares against (a scheduled document's time)
    is found among the parameters by identity and put back fresh on every use."""
    if key is None or now is None:
        return build()
    kept = _compiled.get(key)
    if kept is None:
        sql, params = build()
        at = next((i for i, p in enumerate(params) if p is now), -1)
        if at < 0:  # no such moment among them: nothing to refresh, but nothing known to keep either
            return sql, params
        if len(_compiled) >= 2_000:
            _compiled.clear()
        kept = _compiled[key] = (sql, tuple(params), at)
    sql, params, at = kept
    return sql, params[:at] + (now,) + params[at + 1:]


def _candidates(queryset: QuerySet, tsquery: str, *, since: int | None = None) -> tuple[str, tuple]:
    """The matches of `tsquery` loosened to AND (`loose`) as (id, published_at, ctid) rows, published in
    the RECENT_YEARS from the year `since` if given (the index holds the year: their candidates alone are
    read; no document is public before its publication, so none is later than those years): the
    estimate and the index stages wrap this one statement. The row's address (ctid) lets the phrase stage
    read a candidate again within the same statement without its primary-key index."""
    from django.db.models import IntegerField
    from django.db.models.expressions import RawSQL

    table = connection.ops.quote_name(queryset.model._meta.db_table)
    matching = _matching(queryset, loose(tsquery))
    if since is not None:
        year = RawSQL(PUBLISHED_YEAR_SQL.format(column=f"{table}.{connection.ops.quote_name('published_at')}"), (),
                      output_field=IntegerField())
        # Each year as an equality (OR'ed): the index finds each in its own scan and skips through the
        # year's long posting list; a range (>=) would first collect every TID of every year it covers.
        each = Q()
        for published in range(since, since + RECENT_YEARS):
            each |= Q(published_year=published)
        matching = matching.alias(published_year=year).filter(each)
    return _sql(matching.order_by().annotate(row_address=RawSQL(f"{table}.ctid", ()))
                .values_list("pk", "published_at", "row_address"))


# A window row: (id, published_at, title rank or None where the title does not hold the query) — what
# ordering by date or by relevance needs, read by the same statement that finds the hits (title vectors
# are small; the body's are what cost). Only a title that holds the query is ranked.
TITLE_RANK = "CASE WHEN {v} @@ to_tsquery('simple', %s) THEN ts_rank({v}, to_tsquery('simple', %s)) END"


def _bitmap_stage(candidates: tuple[str, tuple], *, newest: int) -> tuple[list[tuple], int]:
    """Matches from the GIN index alone: the `newest` by date as (id, published_at), with the number
    of all matches (counted in the same pass: the sort reads them all anyway)."""
    inner, params = candidates
    sql = (f"SELECT m.c1, m.c2, count(*) OVER () FROM ({inner}) AS m(c1, c2, c3) "
           f"ORDER BY m.c2 DESC, m.c1 DESC LIMIT {int(newest)}")
    rows = _run(sql, params, settings_sql="SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off; "
                                          "SET LOCAL enable_indexonlyscan = off; ")
    return [(row[0], row[1]) for row in rows], (rows[0][2] if rows else 0)


def _newest(queryset: QuerySet) -> tuple[str, tuple]:
    return _sql(queryset.order_by("-published_at", "-pk").values_list(
        "pk", "published_at", "search_title", "title", "number_prefix", "body", "search_vector")[:WALK_ROWS])


def _walk_stage(newest: tuple[str, tuple], tsquery: str) -> list[tuple]:
    """The newest WINDOW matches as window rows, reading at most WALK_ROWS rows of the published-date
    index (`newest`: the filtered documents by date, compiled)."""
    inner, params = newest
    holds, held = _holds(tsquery, row="w")
    # No outer ORDER BY: the subquery's rows come in its index order, so LIMIT stops the walk early.
    sql = (f"SELECT w.id, w.published_at, {TITLE_RANK.format(v='w.search_title')} "
           f"FROM ({inner}) AS w(id, published_at, search_title, title, number_prefix, body, search_vector) "
           f"WHERE {holds} LIMIT {WINDOW}")
    return _run(sql, (tsquery, tsquery, *params, *held), settings_sql="SET LOCAL enable_seqscan = off; "
                                                                      "SET LOCAL enable_bitmapscan = off; ")


def _table_rows() -> int:
    """The documents PostgreSQL counts in its statistics (no scan); a statistic, so each process keeps
    it for STATISTICS_SECONDS."""
    return _statistic(("table-rows",), _read_table_rows)


def _read_table_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = 'disclosure_document'::regclass")
        return max(int(cursor.fetchone()[0]), 1)


STATISTICS_SECONDS = 300
_statistics: dict[tuple, tuple[float, int]] = {}


def _statistic(key: tuple, read) -> int:
    """A planner statistic, kept per process for STATISTICS_SECONDS: it changes only when PostgreSQL
    analyses the table, and it only chooses which stage answers (both give the same hits)."""
    now = time.monotonic()
    kept = _statistics.get(key)
    if kept is not None and kept[0] > now:
        return kept[1]
    value = read()
    if len(_statistics) >= 2_000:
        _statistics.clear()
    _statistics[key] = (now + STATISTICS_SECONDS, value)
    return value


def _estimate(compiled, key: tuple | None = None) -> int:
    """PostgreSQL's estimate of the matches (EXPLAIN, no scan), kept like any statistic. `compiled()`
    gives the candidates' statement; the key is the caller's (the query and its filters) or else the
    statement with its moments to the hour (the public filter's "now" changes on every request), so a
    kept estimate needs no statement compiled at all."""
    if key is None:
        sql, params = compiled()
        key = ("estimate", sql, *(p.replace(minute=0, second=0, microsecond=0) if isinstance(p, datetime) else p
                                  for p in params))

    def read() -> int:
        sql, params = compiled()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0]
        plan = plan[0] if isinstance(plan, list) else plan
        return int(plan["Plan"]["Plan Rows"])

    return _statistic(key, read)


def _recent(queryset: QuerySet, filters_key: tuple, now: datetime | None) -> tuple[int, float] | None:
    """(The first of the RECENT_YEARS newest years, the share of the documents published from it on), by
    PostgreSQL's statistics (EXPLAIN, kept like any statistic); None when those years hold more than
    RECENT_SHARE of them (a young portal: asking them first would save nothing)."""
    from django.utils import timezone

    from tongchuan_portal.clock.workdays import BEIJING

    moment = now or timezone.now()
    since = moment.astimezone(BEIJING).year - (RECENT_YEARS - 1)
    start = datetime(since, 1, 1, tzinfo=BEIJING)
    everything = _estimate(lambda: _sql(queryset.values_list("pk")), ("documents", filters_key))
    recent = _estimate(lambda: _sql(queryset.filter(published_at__gte=start).values_list("pk")),
                       ("documents-since", since, filters_key))
    share = min(recent / max(everything, 1), 1.0)
    return (since, share) if 0 < share <= RECENT_SHARE else None


def _ranked(rows: list[tuple], tsquery: str) -> list[tuple]:
    """(id, published_at) rows as window rows: one query over at most WINDOW rows' title vectors."""
    if not rows:
        return []
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, published_at, {TITLE_RANK.format(v='search_title')} FROM disclosure_document "
                       "WHERE id = ANY(%s)", [tsquery, tsquery, [row[0] for row in rows]])
        return cursor.fetchall()


def _window(rows: list[tuple], *, by_date: bool) -> list[int]:
    """The newest WINDOW of these window rows, ordered by date, or by relevance: title hits first,
    ranked by the title vector, then newest."""
    newest = sorted(rows, key=lambda row: (row[1], row[0]), reverse=True)[:WINDOW]
    if not by_date:
        newest.sort(key=lambda row: (row[2] is not None, row[2] or 0.0, row[1], row[0]), reverse=True)
    return [row[0] for row in newest]


def find(queryset: QuerySet | Callable[[], QuerySet], query: SearchQuery, *, by_date: bool = False,
         needed: int | None = None, filters_key: tuple | None = None, now: datetime | None = None,
         recent_first: bool = False) -> Hits:
    """The ordered ids of matches of `query` within `queryset` (already filtered to what the public
    may see; or a function that builds it, called only when a statement must be compiled): exact
    文号/索引号 matches first (newest first), then the full-text window. `needed`: how
    many ids the caller shows at most (its page's end); when the exact matches alone fill them, the
    text window is counted and kept by date without ranking it (no page shown reaches it).
    `filters_key`: the caller's filters in normal form, which keys the kept estimate and, with `now` (the
    moment the caller's public filter was built with), the statements compiled once per process.
    `recent_first`: the search is not narrowed by date or otherwise, so a query of the index path may take
    the newest years' candidates first (`_recent`)."""
    hits = Hits()
    if not query.text or query.empty:
        return hits
    if callable(queryset):
        queryset = SimpleLazyObject(queryset)
    if query.number:
        exact = _exact_numbers(queryset, query.number, filters_key, now)
        hits.ids, hits.exact = exact, set(exact)
    if connection.vendor != "postgresql":
        return _find_substring(queryset, query, hits)
    if not query.tsquery:
        hits.count = len(hits.ids)
        return hits
    kept: dict = {}

    def compiled(since: int | None = None) -> tuple[str, tuple]:
        """The candidates' statement (from the year `since` only, if given), compiled once and only if asked for."""
        if since not in kept:
            key = None if filters_key is None else ("candidates", query.tsquery, filters_key, since)
            kept[since] = _compiled_once(key, now, lambda: _candidates(queryset, query.tsquery, since=since))
        return kept[since]

    hidden = needed is not None and len(hits.exact) >= needed  # the text window is past every page shown
    try:
        estimate = _estimate(compiled, None if filters_key is None else ("estimate", query.tsquery, filters_key))
        rows = _table_rows()
        if estimate >= WALK_DENSITY * rows:
            # Dense by the lexeme statistics (政, 公开): the newest 200 are near; no posting list to read.
            try:
                newest = _compiled_once(None if filters_key is None else ("newest", filters_key), now,
                                        lambda: _newest(queryset))
                found = _walk_stage(newest, query.tsquery)
            except DatabaseError:
                found, hits.incomplete = [], True
            if len(found) < WINDOW and rows <= WALK_ROWS and not hits.incomplete:
                count = len(found)  # the walk read every document: the count is exact
            else:
                count, hits.estimated = max(estimate, len(found)), True
        else:
            recent = ((lambda: _recent(queryset, filters_key, now)) if recent_first and filters_key is not None
                      else None)
            found, count = _sparse(compiled, query.tsquery, hits, by_date=by_date or hidden, estimate=estimate,
                                   recent=recent)
    except EmptyResultSet:  # a filter that can match nothing (an unknown unit, say): no statement to plan
        hits.count = len(hits.ids)
        return hits
    window = _window(found, by_date=by_date or hidden)
    text_ids = [pk for pk in window if pk not in hits.exact]
    hits.ids += text_ids
    hits.count = len(hits.exact) + count - (len(window) - len(text_ids))
    return hits


def _exact_numbers(queryset: QuerySet, number: NumberForm, filters_key: tuple | None,
                   now: datetime | None) -> list[int]:
    """The newest NUMBER_WINDOW documents whose 文号 or 索引号 is the typed one, newest first. The statement
    is compiled once per process for each number and filters (compiling it cost more than running it)."""
    key = None if filters_key is None else ("number", tuple(number.q.children), filters_key)
    try:
        sql, params = _compiled_once(key, now, lambda: _sql(
            queryset.filter(number.q).order_by("-published_at", "-pk").values_list("pk")[:NUMBER_WINDOW]))
    except EmptyResultSet:  # a filter that can match nothing
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def loose(tsquery: str) -> str:
    """The phrase query with its phrases loosened to AND: the GIN index answers it exactly, reading no
    row's vector (a phrase needs every candidate's positions, a recheck of its whole vector)."""
    return tsquery.replace(" <-> ", " & ")


def _sparse(compiled: Callable[..., tuple[str, tuple]], tsquery: str, hits: Hits, *, by_date: bool,
            estimate: int = 0, recent: Callable[[], tuple[int, float] | None] | None = None
            ) -> tuple[list[tuple], int]:
    """A rare or moderately common query, from the GIN index: the newest WINDOW, exactly counted, when
    it has no phrase; with one, the newest candidates are verified one by one until WINDOW hold the
    phrase (at most VERIFY_ROWS read), exact when all were read, else estimated from the share that did.

    `recent` (a function giving the first recent year and the share of documents from it on, asked only
    where it may be used): the newest years are asked
    first, and when they alone hold WINDOW matches those are the newest WINDOW of all (every older
    document is older than each of them) and the rest of the index is never read; the count is then
    estimated from those years' share. Otherwise every candidate is read as before. A phrase always tries
    (its trigrams' estimate is far too low to judge: 289 for 政务公开's 1,676 candidates at 100,000
    documents); a query without one only when its estimate says the recent years should hold WINDOW."""
    phrase = loose(tsquery) != tsquery

    def answer(candidates: tuple[str, tuple]) -> tuple[list[tuple], int, int]:
        """(window rows, candidates read, candidates). With a phrase, the newest candidates by date, all
        counted (no vector read), verified newest first; without one, every candidate holds it."""
        if phrase:
            return _phrase_stage(candidates, tsquery)
        newest, total = _bitmap_stage(candidates, newest=WINDOW)
        return newest, len(newest), total

    def shown(found: list[tuple]) -> list[tuple]:  # the index's bare (id, date) rows get their title ranks
        return found if phrase or by_date else _ranked(found, tsquery)

    try:
        years = recent() if recent is not None and (phrase or estimate * RECENT_SHARE >= 2 * WINDOW) else None
        if years is not None and (phrase or estimate * years[1] >= 2 * WINDOW):
            since, share = years
            found, read, total = answer(compiled(since))
            if len(found) >= WINDOW:
                hits.estimated = True
                return shown(found), max(len(found), round(total * len(found) / max(read, 1) / share))
        found, read, total = answer(compiled())
        if not phrase:  # the index's answer is the answer
            return shown(found), total
        if read == total:  # every candidate was read: the count is exact
            return found, len(found)
        hits.estimated = True
        if len(found) < WINDOW:
            hits.incomplete = True  # the phrase is rare among many candidates: only the newest were read
        return found, max(len(found), round(total * len(found) / max(read, 1)))
    except DatabaseError:  # statement timeout
        hits.incomplete = hits.estimated = True
        return [], 0


def query_parts(tsquery: str) -> list[tuple[str, str, bool]]:
    """The ANDed parts of a built query as (the characters they stand for, their own tsquery, whether
    a phrase): "'政务公' <-> '务公开' & '年报'" is (政务公开, …, True) and (年报, '年报', False)."""
    parts = []
    for part in tsquery.split(" & "):
        part = part.strip("()")
        grams = [g.replace("''", "'") for g in re.findall(r"'((?:[^']|'')*)'", part)]
        parts.append((grams[0] + "".join(g[-1] for g in grams[1:]), part, "<->" in part))
    return parts


def _holds(tsquery: str, *, row: str, phrases_only: bool = False) -> tuple[str, list]:
    """SQL that the row (alias `row`, with title, number_prefix, body and search_vector) holds the query.

    A Chinese part is first looked for in the text — the title, the 文号's prefix, the stored body (a few
    kilobytes) — and only where that fails in the vector (about ten times larger, detoasted to be read),
    which decides where the text differs from the indexed form (a tag inside a phrase, the number's 号).
    The one looser case: characters only inside a tag's attribute (an image's alt text) count on the
    date walk, which reads the text first; the index path has never seen them. An ASCII word is the
    vector's alone (whole words, any case)."""
    clauses, params = [], []
    for text, query, phrase in query_parts(tsquery):
        if phrases_only and not phrase:
            continue
        vector = f"{row}.search_vector @@ to_tsquery('simple', %s)"
        if CJK.match(text):
            clauses.append(f"(strpos({row}.title, %s) > 0 OR strpos({row}.number_prefix, %s) > 0 "
                           f"OR strpos({row}.body, %s) > 0 OR {vector})")
            params += [text, text, text, query]
        else:
            clauses.append(vector)
            params.append(query)
    return " AND ".join(clauses) or "TRUE", params


def _phrase_stage(candidates: tuple[str, tuple], tsquery: str) -> tuple[list[tuple], int, int]:
    """The newest VERIFY_ROWS candidates of a phrase query by date (from the GIN index, all counted in the
    same pass), then the first WINDOW of them, newest first, that hold every phrase (the index has found
    their other parts): window rows, how many candidates were read, and how many there are.

    One statement: the candidates never leave PostgreSQL (sending a thousand ids back and forth cost
    more than reading their vectors). Its last row carries only the count, so a phrase that no candidate
    holds still says how many were looked at."""
    inner, params = candidates
    holds, held = _holds(tsquery, row="d", phrases_only=True)
    # c: the candidates newest first, numbered as they are read. The join is a nested loop over c in that
    # order (each candidate read again by its address, a TID scan) with no ORDER BY, so LIMIT stops
    # reading texts and vectors at the WINDOW-th hit.
    sql = (f"WITH c AS MATERIALIZED (SELECT m.c1 AS id, m.c2 AS published_at, m.c3 AS tid, "
           f"count(*) OVER () AS total FROM ({inner}) AS m(c1, c2, c3) "
           f"ORDER BY m.c2 DESC, m.c1 DESC LIMIT {int(VERIFY_ROWS)}) "
           f"(SELECT c.id, c.n, c.published_at, {TITLE_RANK.format(v='d.search_title')}, c.total "
           "FROM (SELECT c.id, c.published_at, c.tid, c.total, row_number() OVER () AS n FROM c) AS c "
           f"JOIN disclosure_document d ON d.ctid = c.tid WHERE {holds} LIMIT {WINDOW}) "
           "UNION ALL SELECT NULL, NULL, NULL, NULL, coalesce((SELECT c.total FROM c LIMIT 1), 0)")
    rows = _run(sql, (*params, tsquery, tsquery, *held),
                settings_sql="SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off; "
                             "SET LOCAL enable_indexonlyscan = off; SET LOCAL enable_hashjoin = off; "
                             "SET LOCAL enable_mergejoin = off; ")
    total, rows = rows[-1][4], sorted(rows[:-1], key=lambda row: row[1])
    read = rows[-1][1] if len(rows) == WINDOW else min(total, VERIFY_ROWS)
    return [(row[0], row[2], row[3]) for row in rows], read, total


def _find_substring(queryset: QuerySet, query: SearchQuery, hits: Hits) -> Hits:
    condition = Q()
    for term in query.terms:
        condition &= Q(title__icontains=term) | Q(body__icontains=term)
    ids = [pk for pk in queryset.filter(condition).order_by("-published_at", "-pk")
           .values_list("pk", flat=True)[:WINDOW] if pk not in hits.exact]
    hits.ids += ids
    hits.count = len(hits.ids)
    return hits


# --- snippets ----------------------------------------------------------------------------------

SENTENCE_END = "。！？!?；;"
CLAUSE_END = SENTENCE_END + "，、：,: "


def _mark(excerpt: str, terms: list[str]) -> str:
    escaped = html.escape(excerpt)
    for term in sorted({html.escape(t) for t in terms if t}, key=len, reverse=True):
        escaped = escaped.replace(term, f"\x00{term}\x01")
    # a shorter term inside a longer one's mark would nest: keep the outer mark only
    escaped = re.sub(r"\x00([^\x00\x01]*)\x00([^\x00\x01]*)\x01([^\x00\x01]*)\x01", "\x00\\1\\2\\3\x01", escaped)
    return escaped.replace("\x00", "<mark>").replace("\x01", "</mark>")


def _clause_start(plain: str, position: int, reach: int) -> int:
    """Where the clause holding `position` starts, if within `reach` before it; else `position`."""
    boundary = max((plain.rfind(ch, max(position - reach, 0), position) for ch in CLAUSE_END), default=-1)
    return boundary + 1 if boundary >= 0 else position


# A long body's excerpt is cut from the stored text around the first hit, REACH widths each side (tags
# make the stored text longer than what it says), instead of cleaning the whole body for 80 characters.
REACH = 4
EDGE = 12  # an excerpt this close to a cut edge is made from the whole text instead


def highlight(text: str, terms: list[str], *, width: int = 80) -> str:
    """An escaped excerpt around the first hit with every term in <mark>: it starts at the start of
    the sentence (or else the clause) holding the hit, or at the hit itself, never inside a word,
    and ends at a sentence or clause end when one falls in its second half."""
    terms = [t for t in terms if t]
    text = text or ""
    if len(text) > 2 * REACH * width and not any(ch in t for t in terms for ch in "&<>\"'"):
        at = min((p for p in (text.find(t) for t in terms) if p >= 0), default=-1)
        if at >= 0:
            start, end = max(at - REACH * width, 0), min(at + REACH * width, len(text))
            lead, trail = start > 0, end < len(text)
            excerpt = _excerpt(_uncut(text[start:end], lead=lead, trail=trail), terms, width, lead=lead, trail=trail)
            if excerpt is not None:
                return excerpt
    return _excerpt(text, terms, width)


def _uncut(part: str, *, lead: bool, trail: bool) -> str:
    """A cut of stored HTML without the tag the cut went through at either end."""
    if lead:
        gt, lt = part.find(">"), part.find("<")
        if gt >= 0 and (lt < 0 or gt < lt):
            part = part[gt + 1:]
    if trail:
        lt = part.rfind("<")
        if lt > part.rfind(">"):
            part = part[:lt]
    return part


def _excerpt(text: str, terms: list[str], width: int, *, lead: bool = False, trail: bool = False) -> str | None:
    """The excerpt of `text` (whole, or a cut with text before it: `lead`, or after it: `trail`); None
    when a cut cannot give the excerpt the whole text gives (the hit, or its sentence, too near an edge)."""
    plain = re.sub(r"\s+", " ", _excerpt_text(text)).strip()
    if len(plain) <= width:
        return None if lead or trail else mark_safe(_mark(plain, terms))
    hits = [p for p in (plain.find(t) for t in terms) if p >= 0]
    if not hits and (lead or trail):  # the raw text's first hit was inside a tag (an image's alt text)
        return None
    first = min(hits, default=0)
    sentence = max((plain.rfind(ch, 0, first) for ch in SENTENCE_END), default=-1) + 1
    start = sentence if first - sentence <= width // 2 else _clause_start(plain, first, width // 2)
    end = start + width
    if end < len(plain):
        stop = max((plain.rfind(ch, start + width // 2, end) for ch in CLAUSE_END), default=-1)
        end = stop + 1 if stop > 0 else end
    if (lead and start < EDGE) or (trail and end > len(plain) - EDGE):
        return None
    excerpt = plain[start:end]
    return mark_safe(("…" if start or lead else "") + _mark(excerpt, terms)
                     + ("…" if end < len(plain) or trail else ""))
