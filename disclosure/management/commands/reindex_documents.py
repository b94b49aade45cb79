"""Recompute every document's search vectors (after a change of the index design in disclosure.search)."""

import time

from django.core.management.base import BaseCommand

from disclosure import search
from disclosure.models import Document


class Command(BaseCommand):
    help = "重新计算全部公文的检索向量(检索分词方式改变后运行一次)。"

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=2000, help="每批处理的篇数")

    def handle(self, *args, batch, **options):
        started, done, last = time.perf_counter(), 0, 0
        fields = ("id", "title", "body", "number_prefix", "number_year", "number_serial", "index_number")
        while True:
            documents = list(Document.objects.filter(pk__gt=last).order_by("pk").only(*fields)[:batch])
            if not documents:
                break
            search.reindex(documents)
            done, last = done + len(documents), documents[-1].pk
            self.stdout.write(f"\r已处理 {done:,} 篇", ending="")
            self.stdout.flush()
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"完成:{done:,} 篇,用时 {time.perf_counter() - started:.1f} 秒"))
