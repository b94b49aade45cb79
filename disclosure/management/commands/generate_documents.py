"""Data for scale (issue 5, item 8): N realistic published 主动公开 documents, fast.

Titles and bodies come from `disclosure.demo.vocabulary`; documents are spread over the real
units, the five areas, the topics and the years 2016 to today, published in time order so that
文号 serials (continuing after the highest one per 机关代字 and year) and 索引号 (continuing
`IndexSequence`) grow with the dates, as they do in real life.

Speed: rows go in with `bulk_create` and their history with `bulk_history_create` (one "+" row
each, by the system user), one transaction per batch, each row inserted with its search vectors
already filled (`search.index_texts` and the SQL of `search.reindex`), so there is no second write
per row. Tokenising and PostgreSQL's `to_tsvector` are the slow parts, so --workers processes each
segment and insert whole batches on their own connections while this process builds the next
ones. Inside a caller's transaction (a test) everything runs in this process instead.

Not for concurrent use with live filing: 文号 serials are reserved in memory (the unique
constraint would stop a clash); 索引号 are reserved under a row lock and may leave gaps if a
batch fails.
"""

from __future__ import annotations

import multiprocessing
import random
import time
from collections import deque
from datetime import date, datetime, timedelta

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction
from django.db.models import Max
from django.db.models.expressions import RawSQL
from django.utils import timezone

from disclosure import search
from disclosure.demo import vocabulary as V
from disclosure.models import (
    DisclosureAttribute, Document, DocumentKind, IndexSequence, IssuedInNameOf, Status, Validity,
)
from disclosure.text import clean_body
from tongchuan_portal.clock.workdays import BEIJING
from tongchuan_portal.core.selectors import system_user
from tongchuan_portal.core.workflow import save_with_history
from tongchuan_portal.units.models import SpecialUnit, Unit, UnitKind

FIRST_DAY = date(2016, 1, 15)
HISTORY_REASON = "批量生成规模测试公文(generate_documents)"
# The expressions `search.reindex` stores, applied at insert time.
TITLE_VECTOR_SQL = "to_tsvector('simple', %s)"
SEARCH_VECTOR_SQL = "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B')"
UNIT_WEIGHTS = {
    UnitKind.GOVERNMENT: 4, UnitKind.GENERAL_OFFICE: 6, UnitKind.CITY_DEPARTMENT: 3,
    UnitKind.DISTRICT: 3, UnitKind.DISTRICT_DEPARTMENT: 1,
}


def insert_batch(documents: list[Document], by: User) -> int:
    """Insert one batch with its search vectors and its history, in one transaction."""
    with_vectors = connection.vendor == "postgresql"
    with transaction.atomic():
        for document in documents:
            if with_vectors:
                title_text, body_text = search.index_texts(document)
                document.search_title = RawSQL(TITLE_VECTOR_SQL, (title_text,))
                document.search_vector = RawSQL(SEARCH_VECTOR_SQL, (title_text, body_text))
        Document.objects.bulk_create(documents, batch_size=500)
        for document in documents:  # history records the row as filed; the vectors are derived data
            document.search_title = document.search_vector = None
        Document.history.bulk_history_create(documents, batch_size=500, default_user=by,
                                             default_change_reason=HISTORY_REASON)
    return len(documents)


def _insert_in_worker(documents: list[Document], by: User) -> int:
    try:
        return insert_batch(documents, by)
    finally:
        connections.close_all()  # the pool ends its processes without closing anything


class Generator:
    """Builds unsaved documents in publication order; no database access after construction."""

    def __init__(self, rng: random.Random, units: list[Unit], serials: dict[tuple[str, int], int], count: int,
                 now: datetime):
        self.rng, self.units, self.serials, self.now = rng, units, serials, now
        self.weights = [UNIT_WEIGHTS.get(u.kind, 1) for u in units]
        start = datetime.combine(FIRST_DAY, datetime.min.time(), tzinfo=BEIJING)
        last_day = now.astimezone(BEIJING).date() - timedelta(days=1)
        span_days = (last_day - FIRST_DAY).days
        if span_days < 1:
            raise CommandError("系统日期早于 2016 年,无法生成公文。")
        days = sorted(rng.randrange(span_days + 1) for _ in range(count))
        self.moments = []
        for offset in days:
            day = FIRST_DAY + timedelta(days=offset)
            if day.weekday() >= 5:  # published on working days; a weekend date moves back to Friday
                day -= timedelta(days=day.weekday() - 4)
            minutes = rng.randrange(8 * 60 + 30, 18 * 60)
            self.moments.append(start + timedelta(days=(day - FIRST_DAY).days, minutes=minutes))
        self.moments.sort()

    def documents(self, start: int, stop: int, *, by: User) -> list[Document]:
        return [self.document(self.moments[i], by=by) for i in range(start, stop)]

    def document(self, published_at: datetime, *, by: User) -> Document:
        rng = self.rng
        unit = rng.choices(self.units, weights=self.weights)[0]
        subject, topic = rng.choice(V.SUBJECTS)
        shape, doctype, policy = rng.choice(V.TITLE_SHAPES)
        published_day = published_at.astimezone(BEIJING).date()
        written_on = published_day - timedelta(days=rng.randint(1, 10))  # 成文 a few days before 发布
        year = written_on.year
        title = shape.format(subject=subject, year=year, place=rng.choice(V.PLACES), plan=rng.choice(V.PLANS))
        if title.startswith("关于") and rng.random() < 0.6:
            title = unit.name + title
        key = (unit.issuer_code, year)
        self.serials[key] = self.serials.get(key, 0) + 1
        validity, changed_on = Validity.VALID, None
        today = self.now.astimezone(BEIJING).date()
        if rng.random() < (0.15 if (today - published_day).days > 3 * 365 else 0.03):  # mostly 有效
            changed_on = min(published_day + timedelta(days=rng.randint(180, 1500)), today)
            validity = Validity.EXPIRED
        return Document(
            title=title[:300],
            body=self.body(subject, doctype, unit, year),
            issuer=unit,
            publisher=unit,
            issued_in_name_of={SpecialUnit.CITY_GOVERNMENT: IssuedInNameOf.CITY_GOVERNMENT,
                               SpecialUnit.CITY_OFFICE: IssuedInNameOf.CITY_OFFICE}.get(unit.special,
                                                                                        IssuedInNameOf.OWN_UNIT),
            kind=DocumentKind.POLICY if policy else DocumentKind.OTHER,
            number_prefix=unit.issuer_code, number_year=year, number_serial=self.serials[key],
            area=rng.choice(V.AREAS_BY_DOCTYPE[doctype]),
            topic=topic,
            written_on=written_on,
            validity=validity, validity_changed_on=changed_on,
            attribute=DisclosureAttribute.PROACTIVE,
            status=Status.PUBLISHED,
            submitted_at=published_at - timedelta(days=3),
            accepted_at=published_at - timedelta(days=2),
            confidentiality_cleared_at=published_at - timedelta(hours=2),
            published_at=published_at,
            source=unit.name,
            web_editor=rng.choice(V.WEB_EDITORS),
            info_reviewer=rng.choice(V.INFO_REVIEWERS),
            created_by=by,
        )

    def body(self, subject: str, doctype: str, unit: Unit, year: int) -> str:
        """300–800 characters: an opening, headed sections of sentences, a closing line."""
        rng = self.rng
        fill = {"subject": subject, "unit": unit.name, "year": year, "doctype": doctype}
        target = rng.randint(300, 800)
        headings = rng.choice(V.HEADINGS)
        lines = [rng.choice(V.OPENINGS).format(**fill)]
        length = len(lines[0])
        sentences = rng.sample(V.SENTENCES, len(V.SENTENCES))
        per_section = max(1, len(sentences) // len(headings))
        for number, heading in enumerate(headings):
            if length >= target and number:
                break
            paragraph = ""
            for sentence in sentences[number * per_section:(number + 1) * per_section]:
                if length >= target:
                    break
                text = sentence.format(**fill)
                paragraph += text
                length += len(text)
            lines += [heading, paragraph] if paragraph else []
        lines.append(rng.choice(V.CLOSINGS).format(**fill))
        return clean_body("\n".join(lines))


class Command(BaseCommand):
    help = "生成 N 篇已发布的主动公开演示公文(标题、正文、文号、索引号、历史记录与检索向量),用于规模测试。"

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="要生成的公文数量")
        parser.add_argument("--seed", type=int, default=None, help="随机种子(相同数据库状态下结果可复现)")
        parser.add_argument("--batch", type=int, default=2000, help="每批插入的篇数(一个事务)")
        parser.add_argument("--workers", type=int, default=2,
                            help="分词并写入的进程数;0 或在外层事务中时全部在本进程内完成")

    def handle(self, *args, count, seed, batch, workers, **options):
        if count < 1 or batch < 1:
            raise CommandError("数量和批量必须是正整数。")
        units = list(Unit.objects.filter(is_active=True).exclude(kind=UnitKind.PARTY_ORGAN)
                     .exclude(issuer_code="").order_by("sort_order", "code"))
        if not units:
            raise CommandError("没有单位名录:请先运行 manage.py load_units。")
        seed = seed if seed is not None else random.randrange(1_000_000)
        by = system_user()
        serials = {(row["number_prefix"], row["number_year"]): row["top"] for row in
                   Document.objects.filter(number_serial__isnull=False)
                   .values("number_prefix", "number_year").annotate(top=Max("number_serial"))}
        generator = Generator(random.Random(seed), units, serials, count, timezone.now())
        if connection.in_atomic_block:
            workers = 0  # other connections could not see the caller's uncommitted rows
        self.stdout.write(f"生成 {count:,} 篇公文(随机种子 {seed},每批 {batch:,} 篇,写入进程 {workers or '本进程'})")
        started = time.perf_counter()
        batches = ((first, min(first + batch, count)) for first in range(0, count, batch))
        done = 0
        if workers == 0:
            for first, stop in batches:
                done += insert_batch(self._prepare(generator, first, stop, by=by), by)
                self._progress(done, count, started)
        else:
            done = self._run_parallel(generator, batches, workers, count, started, by=by)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Document._meta.db_table}")
        elapsed = time.perf_counter() - started
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(
            f"完成:{done:,} 篇公文,用时 {elapsed:.1f} 秒({done / max(elapsed, 1e-9):,.0f} 篇/秒)"))

    def _run_parallel(self, generator, batches, workers: int, count: int, started: float, *, by: User) -> int:
        """Workers segment and insert; this process builds batches, at most `workers` ahead."""
        connections.close_all()  # each worker opens its own connection, none inherits this one
        pool = multiprocessing.get_context("fork").Pool(workers)
        in_flight, done = deque(), 0
        try:
            for first, stop in batches:
                in_flight.append(pool.apply_async(_insert_in_worker,
                                                  (self._prepare(generator, first, stop, by=by), by)))
                while len(in_flight) > workers:
                    done += in_flight.popleft().get()
                    self._progress(done, count, started)
            while in_flight:
                done += in_flight.popleft().get()
                self._progress(done, count, started)
        finally:
            if in_flight:  # a batch failed: stop the others (their transactions roll back)
                pool.terminate()
            else:
                pool.close()
            pool.join()
        return done

    def _prepare(self, generator, first: int, stop: int, *, by: User) -> list[Document]:
        documents = generator.documents(first, stop, by=by)
        self._assign_index_numbers(documents, by=by)
        return documents

    @transaction.atomic
    def _assign_index_numbers(self, documents: list[Document], *, by: User) -> None:
        """索引号 TCXXGK-<year>-<6 digits>, continuing the city-wide sequence of each year (locked)."""
        years = sorted({d.published_at.astimezone(BEIJING).year for d in documents})
        for year in set(years) - set(IndexSequence.objects.filter(year__in=years).values_list("year", flat=True)):
            sequence = IndexSequence(year=year)
            save_with_history(sequence, by=by, reason=HISTORY_REASON)
        sequences = {s.year: s for s in IndexSequence.objects.select_for_update().filter(year__in=years)}
        for document in documents:
            sequence = sequences[document.published_at.astimezone(BEIJING).year]
            sequence.last += 1
            document.index_number = f"TCXXGK-{sequence.year}-{sequence.last:06d}"
        for sequence in sequences.values():
            save_with_history(sequence, by=by, reason=HISTORY_REASON, fields=["last"])

    def _progress(self, done: int, total: int, started: float) -> None:
        """One line rewritten in place: bar, done/total, rate, elapsed, ETA."""
        elapsed = time.perf_counter() - started
        rate = done / elapsed if elapsed else 0.0
        eta = (total - done) / rate if rate else 0.0
        width = 30
        filled = int(width * done / total)
        self.stdout.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} {100 * done / total:5.1f}% "
            f"{rate:,.0f} 篇/秒 已用 {elapsed:,.0f} 秒 预计剩余 {eta:,.0f} 秒", ending="")
        self.stdout.flush()
