"""Importing a synthetic corpus made from the seeds."""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from django.conf import settings

from corpus.management.commands.import_articles import read_ahead
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


def run(bench, count: int) -> None:
    bench.heading("Import (one process, one transaction per file)")
    with tempfile.TemporaryDirectory(prefix="crossread-corpus-") as folder:
        paths = synthetic_corpus(Path(folder), count)
        started = time.perf_counter()
        outcomes = import_article_files(paths, read_ahead=read_ahead())
        failed = sum(outcome.status == "failed" for outcome in outcomes)
        elapsed = time.perf_counter() - started
    paragraphs = Paragraph.objects.count()
    bench.report("articles imported", f"{Article.objects.count()} ({failed} failed)")
    bench.report("paragraphs written", f"{paragraphs}")
    bench.report("elapsed", f"{elapsed:.1f} s")
    bench.report(
        "throughput", f"{count / elapsed:.0f} articles/s, {paragraphs / elapsed:.0f} paragraphs/s"
    )
