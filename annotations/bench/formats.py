"""Import throughput by format: text (the seeds), saved web pages and PDFs (the real
ones of ``../shared/wild-articles`` when present, and a two-column PDF made at run
time), through the importer the command and the page use
(``prepare_article_bytes`` then ``article_import_prepared``).

Each file's time is split by timing the calls themselves: reading and extraction
(``read_document``: decoding and the text parser, trafilatura and the HTML rules, the
PDF reader's child process and the text parser), of which the extractor alone (the
decoder, ``trafilatura.bare_extraction``, the PDF child process); the rest of
preparing (hashing, rendering the paragraphs); and the database write.
"""

from __future__ import annotations

import contextlib
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from unittest import mock

from corpus.models import Article
from corpus.services import importing
from corpus.services.formats import decode_document

from .inputs import (
    GENERATED_TITLE,
    InputFile,
    generated_paragraphs,
    generated_pdf_file,
    seed_files,
    variant,
    wild_files,
    wild_folder,
)

FORMATS = ("text", "html", "pdf")
# What the extractor is in each format (the part of read_document timed on its own).
EXTRACTORS = {
    "text": "decoding",
    "html": "trafilatura.bare_extraction",
    "pdf": "the PDF reader (child process)",
}


class Stopwatch:
    """Time spent in wrapped callables, by label, since the last ``take``."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)

    def wrap(self, label: str, function: Callable) -> Callable:
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.spent[label] += time.perf_counter() - started

        return timed

    def take(self) -> dict[str, float]:
        spent, self.spent = dict(self.spent), defaultdict(float)
        return spent


@contextlib.contextmanager
def timed_calls(stopwatch: Stopwatch) -> Iterator[None]:
    """Wrap read_document and the extractors where the importer looks them up."""
    import trafilatura

    from corpus.parsing import pdf

    with (
        mock.patch.object(
            importing, "read_document", stopwatch.wrap("read", importing.read_document)
        ),
        mock.patch(
            "corpus.services.formats.decode_document",
            stopwatch.wrap("extractor", decode_document),
        ),
        mock.patch.object(
            trafilatura,
            "bare_extraction",
            stopwatch.wrap("extractor", trafilatura.bare_extraction),
        ),
        mock.patch.object(
            pdf, "extract_pdf_text_safely", stopwatch.wrap("extractor", pdf.extract_pdf_text_safely)
        ),
    ):
        yield


def format_inputs() -> tuple[dict[str, list[InputFile]], list[str]]:
    """The files of each format, and notes on what is missing."""
    notes = []
    files = {"text": seed_files(), "html": wild_files("html"), "pdf": wild_files("pdf")}
    if wild_folder() is None:
        notes.append("no ../shared/wild-articles here: no real web pages or PDFs")
    generated = generated_pdf_file()
    if generated is None:
        notes.append("fpdf2 (a dev dependency) is not installed: no generated PDF")
    else:
        files["pdf"].append(generated)
    return files, notes


@dataclass
class Sample:
    name: str
    status: str
    error: str
    paragraphs: int
    total: float  # prepare + write
    read: float  # read_document
    extractor: float  # the extractor, inside read_document
    prepare: float  # prepare_article_bytes, read_document included
    write: float  # article_import_prepared


def import_once(file: InputFile, stopwatch: Stopwatch) -> tuple[Sample, int | None]:
    """Import one file into the public corpus as the page's worker does; its timings,
    and its new article's id (None unless created)."""
    stopwatch.take()
    started = time.perf_counter()
    prepared = importing.prepare_article_bytes(
        file.data,
        name=f"bench/{file.name}",
        fallback_title=file.name.rsplit(".", 1)[0].replace("-", " ").replace("_", " "),
    )
    prepared_at = time.perf_counter()
    outcome = importing.article_import_prepared(prepared, team=None)
    written_at = time.perf_counter()
    spent = stopwatch.take()
    sample = Sample(
        name=file.name,
        status=outcome.status,
        error=outcome.error,
        paragraphs=sum(outcome.paragraph_kinds.values()),
        total=written_at - started,
        read=spent.get("read", 0.0),
        extractor=spent.get("extractor", 0.0),
        prepare=prepared_at - started,
        write=written_at - prepared_at,
    )
    created = outcome.article.pk if outcome.status == "created" and outcome.article else None
    return sample, created


def import_rounds(files: list[InputFile], rounds: int, stopwatch: Stopwatch) -> list[Sample]:
    """Each file ``rounds`` times, as a new article each time (a copy with other bytes,
    and the round's articles deleted after it, untimed)."""
    samples = []
    for number in range(1, rounds + 1):
        created = []
        for file in files:
            sample, pk = import_once(variant(file, number), stopwatch)
            samples.append(sample)
            if pk is not None:
                created.append(pk)
        Article.objects.filter(pk__in=created).delete()
    return samples


def run(bench, rounds: int) -> None:
    rounds = max(1, rounds)
    files, notes = format_inputs()
    bench.heading(
        f"Import by format: prepare_article_bytes + article_import_prepared, each file "
        f"{rounds}× as a new article"
    )
    for note in notes:
        bench.report("note", note)
    stopwatch = Stopwatch()
    with timed_calls(stopwatch):
        # Warm up: imports (trafilatura, pypdfium2's child), compiled patterns, caches.
        for source_format in FORMATS:
            if files[source_format]:
                import_rounds(files[source_format][:1], 1, stopwatch)
        for source_format in FORMATS:
            if not files[source_format]:
                bench.report(
                    f"{source_format}", "skipped: no files (../shared/wild-articles is absent)"
                )
                continue
            samples = import_rounds(files[source_format], rounds, stopwatch)
            _report(bench, source_format, files[source_format], rounds, samples)
    _check_generated_pdf(bench, stopwatch)


def _report(bench, source_format: str, files, rounds: int, samples: list[Sample]) -> None:
    statuses = Counter(sample.status for sample in samples)
    created = statuses["created"]
    sizes = sum(len(file.data) for file in files)
    bench.stdout.write(
        f"  {source_format}: {len(files)} file{'s' if len(files) != 1 else ''} ({sizes / 1024:,.0f} KB) × {rounds} = "
        f"{len(samples)} imports: "
        + ", ".join(f"{count} {status}" for status, count in sorted(statuses.items()))
    )
    failures = {(s.name.rsplit("-copy", 1)[0], s.error) for s in samples if s.status == "failed"}
    for name, error in sorted(failures):
        bench.report(f"    failed: {name}", error)
    total = sum(sample.total for sample in samples)
    paragraphs = sum(sample.paragraphs for sample in samples)
    bench.report(
        "    throughput",
        f"{created / total:.1f} articles/s, {paragraphs / total:,.0f} paragraphs/s",
    )
    median, p95 = bench.timings([sample.total for sample in samples])
    bench.report("    per file", f"{median:.1f} ms median, {p95:.1f} ms p95")
    read = sum(sample.read for sample in samples)
    extractor = sum(sample.extractor for sample in samples)
    render = sum(sample.prepare - sample.read for sample in samples)
    write = sum(sample.write for sample in samples)
    count = len(samples)

    def share(seconds: float) -> str:
        return f"{seconds / count * 1000:7.1f} ms a file ({seconds / total:4.0%})"

    bench.report("    reading/extraction (read_document)", share(read))
    bench.report(f"      of which {EXTRACTORS[source_format]}", share(extractor))
    bench.report("      of which the parser (the rest of read_document)", share(read - extractor))
    bench.report("    parse+render (the rest of prepare: hash, paragraphs)", share(render))
    bench.report("    database write (article_import_prepared)", share(write))
    by_file: dict[str, list[float]] = defaultdict(list)
    for sample in samples:
        by_file[sample.name.rsplit("-copy", 1)[0]].append(sample.total)
    if len(by_file) > 1:
        name, times = max(by_file.items(), key=lambda item: statistics.median(item[1]))
        bench.report(
            f"    slowest: {name[:40]}", f"{statistics.median(times) * 1000:.1f} ms median"
        )


def _check_generated_pdf(bench, stopwatch: Stopwatch) -> None:
    """Whether the generated PDF's paragraphs come back whole and in column order."""
    generated = generated_pdf_file()
    if generated is None:
        return
    import pypdfium2

    document = pypdfium2.PdfDocument(generated.data)
    pages = len(document)
    document.close()
    expected = generated_paragraphs()
    prepared = importing.prepare_article_bytes(
        generated.data, name="bench/check.pdf", fallback_title="check"
    )
    found = [paragraph.text for paragraph in prepared.paragraphs if paragraph.kind == "body"]
    intact = [text for text in expected if text in found]
    in_order = [text for text in found if text in expected] == intact
    title = prepared.parsed.title if prepared.parsed else f"(failed: {prepared.error})"
    bench.report(
        f"generated PDF ({pages} pages, 2 columns): paragraphs read back",
        f"{len(intact)} of {len(expected)} whole, {'in' if in_order else 'NOT in'} order; "
        f"{len(found)} body paragraphs",
    )
    bench.report(
        "generated PDF: title", "found" if title == GENERATED_TITLE else f"{title[:60]!r} (wrong)"
    )
