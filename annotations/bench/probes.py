"""Pathological inputs, each timed once: the worst passages for the suggestion
patterns and the region matcher (annotations.citations.pathological), and the worst
notes and files for markdown and the importer (corpus.pathological)."""

from __future__ import annotations

from annotations.citations.pathological import pathological_timings as suggestion_timings
from annotations.suggestions import region_matcher
from corpus.pathological import pathological_timings as markup_timings


def run(bench, *, file_size: int = 1_000_000) -> None:
    bench.heading("Pathological inputs: suggestions (budget: 200 ms a call at 10,000 characters)")
    _report(
        bench,
        [(t.case, t.chars, t.seconds) for t in suggestion_timings(region_matcher=region_matcher())],
    )
    bench.heading(
        "Pathological inputs: notes (budget: 100 ms at 20,000 characters) and files "
        f"(budget: 10 s a MB; here {file_size / 1e6:.1f} MB, parsed and rendered)"
    )
    _report(bench, [(t.case, t.size, t.seconds) for t in markup_timings(file_size=file_size)])


def _report(bench, rows: list[tuple[str, int, float]]) -> None:
    for case, size, seconds in rows:
        bench.report(f"{case[:48]} ({size:,})", f"{seconds * 1000:.1f} ms")
    case, size, seconds = max(rows, key=lambda row: row[2])
    bench.report("slowest", f"{case}: {seconds * 1000:.1f} ms")
