"""python manage.py bench : measure the importer and the pages, and print the figures.

Runs in a database of its own (created and dropped, like the tests' database) on
the configured engine: SQLite by default, PostgreSQL with DATABASE_URL. Figures
are printed, never asserted: timing is the machine's business, query counts are
pinned by the tests.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import (
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)

from corpus.models import Article, Paragraph
from corpus.services import import_article_files


def synthetic_corpus(folder: Path, count: int, *, seed: int = 2026) -> list[Path]:
    """``count`` article files made from the seeds: new titles, paragraphs dropped,
    repeated and reordered, numbers changed. As messy as the seeds themselves."""
    sources = sorted((Path(settings.BASE_DIR) / "seeds").glob("*.txt"))
    texts = [source.read_text(encoding="utf-8") for source in sources]
    titles = [
        next(line.strip().lstrip("# ").strip() for line in text.splitlines() if line.strip())
        for text in texts
    ]
    generator = random.Random(seed)
    paths = []
    for number in range(count):
        index = number % len(texts)
        text = texts[index].replace(titles[index], f"{titles[index]}: variant {number}")
        blocks = text.split("\n\n")
        head, body = blocks[:10], blocks[10:]
        varied = []
        for block in body:
            roll = generator.random()
            if roll < 0.08:
                continue  # dropped
            varied.append(block)
            if roll > 0.94:
                varied.append(block.replace("Syria", "the Levant"))  # repeated, edited
        if len(varied) > 6:
            start = generator.randrange(len(varied) - 4)
            varied[start], varied[start + 2] = varied[start + 2], varied[start]
        path = folder / f"{number:05}_{sources[index].stem}.txt"
        path.write_text(
            "\n\n".join(head + varied).replace("2017", str(1990 + number % 35)), encoding="utf-8"
        )
        paths.append(path)
    return paths


def timings_ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


class Command(BaseCommand):
    help = "Benchmark the importer and the article page on a synthetic corpus; print the figures."

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles", type=int, default=2000, help="synthetic articles to import"
        )
        parser.add_argument("--runs", type=int, default=30, help="renders of each page to time")
        parser.add_argument(
            "--keep-db", action="store_true", help="keep the benchmark database afterwards"
        )

    def handle(self, *args, articles: int, runs: int, keep_db: bool, **options):
        self.runs = runs
        settings.DEBUG = False  # as in the tests and in production: no query log
        test_settings = connection.settings_dict.setdefault("TEST", {})
        if connection.vendor == "sqlite":
            # A file, as in use, rather than the tests' in-memory database.
            scratch = tempfile.mkdtemp(prefix="crossread-bench-")
            test_settings["NAME"] = str(Path(scratch) / "bench.sqlite3")
        if not test_settings.get("NAME"):
            test_settings["NAME"] = f"crossread_bench_{connection.settings_dict['NAME']}"
        old_name = connection.settings_dict["NAME"]
        setup_test_environment()
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        try:
            self.stdout.write(
                f"Crossread benchmark on {connection.vendor} ({connection.settings_dict['NAME']})"
            )
            self.bench_import(articles)
            self.bench_article_page()
            self.extra_benchmarks()
        finally:
            if not keep_db:
                connection.creation.destroy_test_db(old_name, verbosity=0)
            teardown_test_environment()

    def extra_benchmarks(self) -> None:
        from annotations import bench

        bench.run(self)

    def timings(self, samples: list[float]) -> tuple[float, float]:
        return timings_ms(samples)

    def report(self, label: str, value: str) -> None:
        self.stdout.write(f"  {label:<58} {value}")

    def bench_import(self, count: int) -> None:
        with tempfile.TemporaryDirectory(prefix="crossread-corpus-") as folder:
            paths = synthetic_corpus(Path(folder), count)
            started = time.perf_counter()
            failed = sum(outcome.status == "failed" for outcome in import_article_files(paths))
            elapsed = time.perf_counter() - started
        paragraphs = Paragraph.objects.count()
        self.stdout.write(
            self.style.MIGRATE_HEADING("Import (one process, one transaction per file)")
        )
        self.report("articles imported", f"{Article.objects.count()} ({failed} failed)")
        self.report("paragraphs written", f"{paragraphs}")
        self.report("elapsed", f"{elapsed:.1f} s")
        self.report(
            "throughput",
            f"{count / elapsed:.0f} articles/s, {paragraphs / elapsed:.0f} paragraphs/s",
        )

    def time_page(self, client: Client, url: str) -> tuple[float, float, int]:
        client.get(url)  # warm the caches of templates and connections
        samples = []
        for _ in range(self.runs):
            started = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        median, p95 = timings_ms(samples)
        return median, p95, len(queries)

    def bench_article_page(self) -> None:
        client = Client()
        self.stdout.write(
            self.style.MIGRATE_HEADING(f"Article page (median and p95 of {self.runs} renders)")
        )
        longest = Article.objects.for_list().order_by("-paragraph_count").first()
        shortest = Article.objects.for_list().order_by("paragraph_count").first()
        for label, article in (("longest", longest), ("shortest", shortest)):
            median, p95, queries = self.time_page(client, article.get_absolute_url())
            self.report(
                f"{label} article ({article.paragraph_count} paragraphs)",
                f"{median:.1f} ms median, {p95:.1f} ms p95, {queries} queries",
            )
        median, p95, queries = self.time_page(client, "/")
        self.report(
            "article list (25 of the corpus)",
            f"{median:.1f} ms median, {p95:.1f} ms p95, {queries} queries",
        )
