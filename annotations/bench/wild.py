"""How general the importer is: the real pages and PDFs of ``../shared/wild-articles``
(see its README and manifest.json), imported through the service, against their gold
snippets, and trafilatura's own default extraction for comparison. Skipped, with a
note, where the folder is absent (e.g. CI on another machine).

A gold snippet is "kept" when it is in one of the article's paragraphs as a reader
sees it (``markdown_to_text`` of the paragraph's markup in a markdown article, its text
otherwise), whitespace collapsed and typographic quotes made plain; trafilatura's
output is compared line by line the same way.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from corpus.markup import markdown_to_text
from corpus.models import ParagraphKind
from corpus.services.importing import article_import_prepared, prepare_article_bytes

from .inputs import wild_folder

_PLAIN = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "″": '"',
    }
)
KIND_LETTERS = {
    ParagraphKind.HEADING: "h",
    ParagraphKind.BODY: "b",
    ParagraphKind.QUOTE: "q",
    ParagraphKind.CAPTION: "c",
    ParagraphKind.LIST_ITEM: "l",
    ParagraphKind.REFERENCE: "r",
    ParagraphKind.BOILERPLATE: "B",
    ParagraphKind.READER_COMMENT: "C",
}


def normalise(text: str) -> str:
    return " ".join(text.translate(_PLAIN).split())


@dataclass
class Imported:
    title: str = ""
    error: str = ""
    paragraphs: list[tuple[str, str]] = field(default_factory=list)  # (kind, text as read)

    def kinds(self) -> Counter:
        return Counter(kind for kind, _ in self.paragraphs)


def import_document(data: bytes, name: str) -> Imported:
    prepared = prepare_article_bytes(data, name=f"wild/{name}", fallback_title=name)
    outcome = article_import_prepared(prepared, team=None)
    if outcome.article is None:
        return Imported(error=outcome.error)
    article = outcome.article
    rows = article.paragraphs.order_by("position").values_list("kind", "markup", "text")
    markdown = article.markup_format == "markdown"
    return Imported(
        title=article.title,
        paragraphs=[
            (kind, normalise(markdown_to_text(markup) if markdown else text))
            for kind, markup, text in rows
        ],
    )


def kind_summary(kinds: Counter) -> str:
    return (
        " ".join(f"{count}{KIND_LETTERS.get(kind, kind)}" for kind, count in kinds.most_common())
        or "-"
    )


def where(snippet: str, paragraphs: list[tuple[str, str]]) -> str | None:
    """The kind of the first paragraph holding the snippet, or None."""
    wanted = normalise(snippet)
    return next((kind for kind, text in paragraphs if wanted in text), None)


def run(bench) -> None:
    folder = wild_folder()
    bench.heading("Generality: the real pages and PDFs of ../shared/wild-articles")
    if folder is None:
        bench.report("skipped", "no ../shared/wild-articles on this machine")
        return
    import trafilatura

    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    pages = [entry for entry in manifest if entry.get("html")]
    pdfs = [entry for entry in manifest if entry.get("pdf")]
    bench.stdout.write(
        "  kinds: h heading, b body, q quote, l list item, c caption, r reference, "
        "B boilerplate, C reader comment; with = gold body snippets kept, "
        "without = furniture snippets dropped"
    )
    bench.stdout.write(
        f"  {'page':<34} {'title found (= as the manifest)':<40} {'paragraphs':<22}"
        f" {'Crossread':>15} {'trafilatura':>15}"
    )
    bench.stdout.write(f"  {'':<34} {'':<40} {'':<22} {'with  without':>15} {'with  without':>15}")
    totals = Counter()
    details = []
    for entry in pages:
        data = (folder / entry["html"]).read_bytes()
        ours = import_document(data, f"{entry['name']}.html")
        theirs_text = trafilatura.extract(data) or ""
        theirs = [("line", normalise(line)) for line in theirs_text.splitlines() if line.strip()]
        gold_with, gold_without = entry.get("gold_with", []), entry.get("gold_without", [])
        kept = [s for s in gold_with if where(s, ours.paragraphs)]
        leaked = [(s, where(s, ours.paragraphs)) for s in gold_without]
        leaked = [(s, kind) for s, kind in leaked if kind]
        their_kept = [s for s in gold_with if where(s, theirs)]
        their_leaked = [s for s in gold_without if where(s, theirs)]
        counts = {
            "with": len(gold_with),
            "without": len(gold_without),
            "ours_kept": len(kept),
            "ours_dropped": len(gold_without) - len(leaked),
            "theirs_kept": len(their_kept),
            "theirs_dropped": len(gold_without) - len(their_leaked),
        }
        totals.update(counts)
        if ours.error:
            title = f"(none: {ours.error})"
        else:
            same = normalise(ours.title) == normalise(entry.get("title", ""))
            title = f"{'=' if same else '≠'} {ours.title}"
        bench.stdout.write(
            f"  {entry['name'][:34]:<34} {title[:40]:<40} {kind_summary(ours.kinds())[:22]:<22}"
            f" {counts['ours_kept']:>4}/{counts['with']:<2} {counts['ours_dropped']:>3}/"
            f"{counts['without']:<2}"
            f" {counts['theirs_kept']:>5}/{counts['with']:<2} {counts['theirs_dropped']:>3}/"
            f"{counts['without']:<2}"
        )
        if not ours.error and normalise(ours.title) != normalise(entry.get("title", "")):
            details.append(f"{entry['name']}: title {entry.get('title', '')!r} expected")
        if ours.error:
            details.append(
                f"{entry['name']}: no article ({ours.error}): its {len(gold_with)} gold "
                "snippets count as missed"
            )
        else:
            details.extend(
                f"{entry['name']}: missed {s[:60]!r}" for s in gold_with if s not in kept
            )
        details.extend(f"{entry['name']}: let through {s[:60]!r} (as {kind})" for s, kind in leaked)
    bench.stdout.write(
        f"  {'total':<34} {'':<40} {'':<22}"
        f" {totals['ours_kept']:>4}/{totals['with']:<2} {totals['ours_dropped']:>3}/"
        f"{totals['without']:<2}"
        f" {totals['theirs_kept']:>5}/{totals['with']:<2} {totals['theirs_dropped']:>3}/"
        f"{totals['without']:<2}"
    )
    bench.report(
        "Crossread: gold kept, furniture dropped",
        f"{totals['ours_kept'] / max(1, totals['with']):.0%}, "
        f"{totals['ours_dropped'] / max(1, totals['without']):.0%}",
    )
    bench.report(
        "trafilatura.extract (default): gold kept, furniture dropped",
        f"{totals['theirs_kept'] / max(1, totals['with']):.0%}, "
        f"{totals['theirs_dropped'] / max(1, totals['without']):.0%}",
    )
    for line in details:
        bench.stdout.write(f"    {line}")

    for entry in pdfs:
        ours = import_document((folder / entry["pdf"]).read_bytes(), f"{entry['name']}.pdf")
        bench.stdout.write(f"  {entry['name']} (PDF, {entry.get('kind', '')})")
        if ours.error:
            bench.report("    failed", ours.error)
            continue
        bench.report("    title", ours.title[:60])
        bench.report("    paragraphs", kind_summary(ours.kinds()))
        body = [text for kind, text in ours.paragraphs if kind == ParagraphKind.BODY]
        for number, text in enumerate(body[:2], start=1):
            bench.stdout.write(f"    body {number}: {text[:80]}")
