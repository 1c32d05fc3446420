"""python manage.py bench : measure the importer, the pages and re-anchoring (and, in the
``scale`` section, search, suggested links and the browsing pages over a corpus of
200,000 paragraphs), and print the figures. The ``load`` section (the production server
under Locust, on PostgreSQL) runs only when asked: ``--only load``.

Runs in a database of its own (created and dropped, like the tests' database) on the
configured engine: SQLite by default, PostgreSQL with DATABASE_URL. Figures are
printed, never asserted: timing is the machine's business, query counts are pinned
by the tests.
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import setup_test_environment, teardown_test_environment

from annotations.bench import (
    corpus,
    exchange,
    formats,
    load,
    pages,
    probes,
    reanchoring,
    scale,
    similarity,
    upload,
    wild,
)

# What a bare `python manage.py bench` runs.
DEFAULT_SECTIONS = (
    "import",
    "pages",
    "reanchoring",
    "probes",
    "formats",
    "upload",
    "wild",
    "similarity",
    "scale",
    "exchange",
)
# And what runs only when asked (--only): the load test takes minutes and PostgreSQL.
SECTIONS = (*DEFAULT_SECTIONS, "load")


def timings_ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def _worker_counts(value: str) -> tuple[int, ...]:
    try:
        counts = tuple(int(part) for part in value.split(",") if part.strip())
    except ValueError:
        counts = ()
    if not counts or min(counts) < 1:
        raise CommandError("--load-workers takes numbers of workers: 1,2,4")
    return counts


class Command(BaseCommand):
    help = "Benchmark the importer, the pages and re-anchoring on the seeds; print the figures."

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles", type=int, default=2000, help="synthetic articles to import"
        )
        parser.add_argument("--runs", type=int, default=30, help="renders of each page to time")
        parser.add_argument(
            "--annotations",
            type=int,
            default=10_000,
            help="annotations on the academic seed for the re-anchoring benchmark",
        )
        parser.add_argument(
            "--only", choices=SECTIONS, action="append", help="run only these sections"
        )
        parser.add_argument(
            "--probe-bytes",
            type=int,
            default=1_000_000,
            help="size of the pathological files the probes import",
        )
        parser.add_argument(
            "--upload-files",
            type=int,
            default=20,
            help="files in the submission the upload benchmark sends to /import/",
        )
        parser.add_argument(
            "--scale-paragraphs",
            type=int,
            default=200_000,
            help="paragraphs of the synthetic corpus the scale benchmark writes in bulk",
        )
        parser.add_argument(
            "--scale-annotations",
            type=int,
            default=100_000,
            help="annotations on that corpus",
        )
        parser.add_argument(
            "--exchange-annotations",
            type=int,
            default=100_000,
            help="annotations exported, paged and imported back by the exchange section",
        )
        parser.add_argument(
            "--load-seconds", type=float, default=30, help="length of each load test run"
        )
        parser.add_argument(
            "--load-users", type=int, default=16, help="simulated users of the load test"
        )
        parser.add_argument(
            "--load-workers",
            default="1,2,4",
            help="gunicorn workers of each load test run, comma-separated",
        )
        parser.add_argument(
            "--load-max-requests",
            type=int,
            default=50_000,
            help="requests after which a load test run stops, whatever its length",
        )
        parser.add_argument(
            "--load-smoke",
            action="store_true",
            help="a load test of a few seconds, 2 workers and 6 users (for CI)",
        )
        parser.add_argument(
            "--keep-db", action="store_true", help="keep the benchmark database afterwards"
        )

    def handle(
        self,
        *args,
        articles,
        runs,
        annotations,
        only,
        keep_db,
        probe_bytes,
        upload_files,
        scale_paragraphs,
        scale_annotations,
        exchange_annotations,
        load_seconds,
        load_users,
        load_workers,
        load_max_requests,
        load_smoke,
        **options,
    ):
        self.runs = runs
        sections = only or DEFAULT_SECTIONS
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
            if "import" in sections:
                corpus.run(self, articles)
            if "pages" in sections:
                pages.run(self)
            if "reanchoring" in sections:
                reanchoring.run(self, annotations)
            if "probes" in sections:
                probes.run(self, file_size=probe_bytes)
            if "formats" in sections:
                formats.run(self, rounds=min(runs, 10))
            if "upload" in sections:
                upload.run(self, count=upload_files)
            if "wild" in sections:
                wild.run(self)
            if "similarity" in sections:
                similarity.run(self)
            if "scale" in sections:
                scale.run(self, paragraphs=scale_paragraphs, annotations=scale_annotations)
            if "exchange" in sections:
                exchange.run(self, annotations=exchange_annotations)
            if "load" in sections:
                load.run(
                    self,
                    seconds=3 if load_smoke else load_seconds,
                    workers=(2,) if load_smoke else _worker_counts(load_workers),
                    users=6 if load_smoke else load_users,
                    max_requests=load_max_requests,
                )
        finally:
            if not keep_db:
                connection.creation.destroy_test_db(old_name, verbosity=0)
            teardown_test_environment()

    def heading(self, text: str) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(text))

    def timings(self, samples: list[float]) -> tuple[float, float]:
        return timings_ms(samples)

    def report(self, label: str, value: str) -> None:
        self.stdout.write(f"  {label:<58} {value}")
