"""Bench section "exchange": annotations out and back in at scale.

On the scale section's synthetic corpus (its writers, vocabularies and paragraphs),
with every annotation made public so that one reader sees them all:

- the W3C export (what ``export_annotations --format jsonld`` writes), its time and
  its peak memory (tracemalloc: what Python allocates), for a fifth of the
  annotations and for all of them: a flat peak is what streaming promises;
- the CSV export, the same way;
- the protocol container's first page (``/api/annotations/``) at that size;
- the import of the export back, after one paragraph in a hundred was reworded and
  one in five hundred rewritten: its time (untraced), its peak memory (a second,
  traced import), and how many annotations were placed exactly, fuzzily or orphaned.
"""

from __future__ import annotations

import os
import tempfile
import time
import tracemalloc
from pathlib import Path

from django.db import connection
from django.test import Client

from annotations.bench.scale import _Corpus
from annotations.exports import ExportSelection, jsonld_chunks
from annotations.filters import AnnotationFilters
from annotations.models import Annotation, CrossReference
from annotations.services.annotation_import import annotations_import
from annotations.spreadsheet import export_lines
from annotations.webannotation.reading import read_file
from corpus.models import Paragraph

PARAGRAPHS_PER_ANNOTATION = 0.2  # five annotations to a paragraph, as on a read article
BASE = "http://127.0.0.1:8000"
PAGE_RUNS = 5


def _write(chunks, path: Path) -> int:
    with open(path, "w", encoding="utf-8") as stream:
        for chunk in chunks:
            stream.write(chunk)
    return path.stat().st_size


def _measured(function):
    """(seconds, peak MB of Python allocations, result): timed without tracing, then
    run again traced for its peak (tracing slows it)."""
    started = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 2**20, result


def _jsonld(reader, filters: AnnotationFilters, path: Path):
    selection = ExportSelection.for_user(reader, filters)
    return lambda: _write(
        jsonld_chunks(
            selection, base=BASE, collection_id=f"{BASE}/api/annotations/", label="bench"
        ),
        path,
    )


def _csv(reader, filters: AnnotationFilters, path: Path):
    selection = ExportSelection.for_user(reader, filters)
    return lambda: _write(export_lines(selection.annotations), path)


def _reword(generator) -> tuple[int, int]:
    """Change the corpus under the export: a word of one body paragraph in a hundred,
    and the whole text of one in five hundred (written directly: no annotation is
    left to follow them)."""
    ids = list(
        Paragraph.objects.filter(kind="body", article__slug__startswith="exchange-").values_list(
            "id", flat=True
        )
    )
    reworded = generator.sample(ids, max(1, len(ids) // 100))
    rewritten = generator.sample(sorted(set(ids) - set(reworded)), max(1, len(ids) // 500))
    changed = []
    for paragraph in Paragraph.objects.filter(pk__in=reworded).only("id", "text"):
        words = paragraph.text.split(" ")
        if len(words) > 6:
            words[len(words) // 2] = "reportedly"
        paragraph.text = " ".join(words)
        changed.append(paragraph)
    for paragraph in Paragraph.objects.filter(pk__in=rewritten).only("id", "text"):
        paragraph.text = "This paragraph was replaced by an editor's summary of other events."
        changed.append(paragraph)
    Paragraph.objects.bulk_update(changed, ["text"], batch_size=1000)
    return len(reworded), len(rewritten)


def run(bench, *, annotations: int) -> None:
    paragraphs = max(1000, int(annotations * PARAGRAPHS_PER_ANNOTATION))
    bench.heading(
        f"Exchange: {annotations:,} annotations on {paragraphs:,} paragraphs, out as W3C "
        "Web Annotations and CSV, and back in"
    )
    # Annotations of its own (an earlier section's would be exported too), on articles
    # of its own beside theirs.
    CrossReference.objects.all().delete()
    Annotation.objects.all().delete()
    corpus = _Corpus(
        paragraphs_planned=paragraphs, annotations_planned=annotations, name="exchange"
    )
    corpus.grow(paragraphs=paragraphs, annotations=annotations)
    reader = corpus.member
    # One reader sees them all: the export's cost is in the writing, not the rule.
    Annotation.objects.update(visibility="public", team=corpus.teams[0])
    total = Annotation.objects.count()
    bench.report("annotations built", f"{total:,} in {corpus.built.seconds:,.1f} s")
    scratch = Path(tempfile.mkdtemp(prefix="crossread-exchange-"))
    fifth = AnnotationFilters(stance="supports")
    fifth_count = fifth.apply(Annotation.objects.all()).count()
    for label, make in (("W3C JSON-LD", _jsonld), ("CSV", _csv)):
        for scope, filters, count in (
            ("a fifth", fifth, fifth_count),
            ("all", AnnotationFilters(), total),
        ):
            path = scratch / f"export-{label[:3]}-{scope[:3]}"
            seconds, peak, size = _measured(make(reader, filters, path))
            bench.report(
                f"{label} export of {scope} ({count:,})",
                f"{seconds:,.1f} s ({count / seconds:,.0f}/s), {size / 2**20:,.0f} MB, "
                f"peak {peak:,.1f} MB",
            )
    client = Client()
    client.force_login(reader)
    client.get("/api/annotations/")  # warm
    samples = []
    for _ in range(PAGE_RUNS):
        started = time.perf_counter()
        response = client.get("/api/annotations/")
        samples.append(time.perf_counter() - started)
    median, p95 = bench.timings(samples)
    bench.report(
        f"/api/annotations/ first page of {response.json()['total']:,} (median, p95 of {PAGE_RUNS})",
        f"{median:,.0f} ms, {p95:,.0f} ms",
    )

    export_file = scratch / "export-W3C-all"
    reworded, rewritten = _reword(corpus.generator)
    CrossReference.objects.all().delete()
    Annotation.objects.all().delete()

    def import_back():
        with open(export_file, "rb") as stream:
            return annotations_import(read_file(stream), user=reader, keep_authors=True)

    started = time.perf_counter()
    report = import_back()
    seconds = time.perf_counter() - started
    CrossReference.objects.all().delete()
    Annotation.objects.all().delete()
    tracemalloc.start()
    import_back()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    bench.report(
        f"import of the W3C export (after {reworded:,} paragraphs reworded, {rewritten:,} "
        "rewritten)",
        f"{seconds:,.1f} s ({report.imported / seconds:,.0f}/s), peak {peak / 2**20:,.0f} MB "
        "(read as it is imported)",
    )
    bench.report(
        "placed exactly, fuzzily, orphaned; skipped",
        f"{report.exact:,}, {report.fuzzy:,}, {report.orphaned:,}; {len(report.skipped):,}",
    )
    for path in scratch.iterdir():
        os.unlink(path)
    scratch.rmdir()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
