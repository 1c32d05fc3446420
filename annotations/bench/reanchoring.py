"""Re-anchoring: the academic seed with 10,000 annotations, then the seed imported
again with 30 small edits spread over it. How long the re-import takes (against the
same re-import of an article without annotations), and where the annotations land."""

from __future__ import annotations

import random
import re
import tempfile
import time
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model

from annotations.anchoring import anchor_at
from annotations.models import Annotation
from corpus.models import TEXT_KINDS, Article, Paragraph
from corpus.services import article_import_file

EDITS = 30
_WORD = re.compile(r"[A-Za-z]{4,}")


def _annotate(article: Article, author, count: int, generator: random.Random) -> None:
    paragraphs = [p for p in article.paragraphs.filter(kind__in=TEXT_KINDS) if len(p.text) > 40]
    rows = []
    for _ in range(count):
        paragraph = generator.choice(paragraphs)
        words = [match.span() for match in re.finditer(r"\S+", paragraph.text)]
        first = generator.randrange(len(words))
        last = min(len(words) - 1, first + generator.randint(0, 12))
        anchor = anchor_at(paragraph.text, words[first][0], words[last][1])
        rows.append(
            Annotation(
                article=article,
                paragraph=paragraph,
                start=anchor.start,
                end=anchor.end,
                exact=anchor.exact,
                prefix=anchor.prefix,
                suffix=anchor.suffix,
                stance="neutral",
                author=author,
            )
        )
    Annotation.objects.bulk_create(rows, batch_size=1000)


def small_edits(raw: str, paragraphs: list[str], generator: random.Random) -> tuple[str, int]:
    """The file with ``EDITS`` small edits, one in each of as many paragraphs spread
    evenly over the article: a typo, an inserted word, a dropped word, a reworded word."""
    chosen = paragraphs[:: max(1, len(paragraphs) // EDITS)][:EDITS]
    made = 0
    for number, text in enumerate(chosen):
        words = list(_WORD.finditer(text))
        generator.shuffle(words)
        for word in words:
            # A stretch of the paragraph around the word, found once in the file.
            snippet = text[max(0, word.start() - 15) : word.end() + 15]
            if raw.count(snippet) != 1:
                continue
            w = word.group()
            edited = (
                w[0] + w[2] + w[1] + w[3:],  # a typo
                f"indeed {w}",  # an inserted word
                "",  # a dropped word
                w.upper(),  # a reworded word (as far as the text is concerned)
            )[number % 4]
            local = word.start() - max(0, word.start() - 15)
            replacement = snippet[:local] + edited + snippet[local + len(w) :]
            raw = raw.replace(snippet, replacement, 1)
            made += 1
            break
    return raw, made


def run(bench, count: int) -> None:
    bench.heading(f"Re-anchoring: the academic seed with {count:,} annotations, 30 small edits")
    seed = Path(settings.BASE_DIR) / "seeds" / "003_38ccf8f4c3724d70.txt"
    generator = random.Random(11)
    author = get_user_model().objects.create_user("bench-reanchoring")
    with tempfile.TemporaryDirectory(prefix="crossread-reanchor-") as folder:
        timings = {}
        for label, annotations in (("without annotations", 0), ("annotated", count)):
            path = Path(folder) / f"{label.replace(' ', '-')}.txt"
            # A copy of its own (the seed itself may be in the corpus: the same bytes
            # would be that article), which the edits then change.
            original = seed.read_text(encoding="utf-8") + f"\n\nRe-anchoring benchmark: {label}.\n"
            path.write_text(original, encoding="utf-8")
            article = article_import_file(path=path).article
            if annotations:
                _annotate(article, author, annotations, generator)
            texts = list(
                Paragraph.objects.filter(article=article, kind__in=TEXT_KINDS)
                .order_by("position")
                .values_list("text", flat=True)
            )
            edited, made = small_edits(original, texts, random.Random(5))
            path.write_text(edited, encoding="utf-8")
            started = time.perf_counter()
            outcome = article_import_file(path=path)
            timings[label] = time.perf_counter() - started
            assert outcome.status == "updated", outcome.error
        bench.report("edits made in the file", f"{made}")
        bench.report(
            "paragraphs of the re-import",
            ", ".join(f"{n} {kind}" for kind, n in outcome.paragraphs.items()),
        )
        for label, seconds in timings.items():
            bench.report(f"re-import, article {label}", f"{seconds * 1000:.0f} ms")
        bench.report(
            "of which placing the annotations again",
            f"{(timings['annotated'] - timings['without annotations']) * 1000:.0f} ms",
        )
    effects = outcome.effects.get("annotations", Counter())
    statuses = Counter(
        Annotation.objects.filter(article=article).values_list("anchor_status", flat=True)
    )
    affected = sum(effects.values())
    bench.report(
        "annotations on changed paragraphs",
        f"{affected:,}: " + ", ".join(f"{n:,} {label}" for label, n in effects.items()),
    )
    bench.report(
        f"all {count:,} annotations now",
        f"{statuses['anchored']:,} exactly, {statuses['fuzzy']:,} fuzzily, "
        f"{statuses['orphaned']:,} orphaned",
    )
    wrong = sum(
        1
        for annotation in Annotation.objects.filter(article=article)
        .exclude(anchor_status="orphaned")
        .select_related("paragraph")
        if annotation.paragraph.text[annotation.start : annotation.end] != annotation.exact
    )
    bench.report("placed annotations whose quote is not at their offsets", f"{wrong}")
