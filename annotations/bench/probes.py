"""Pathological inputs, each timed once: the worst passages for the suggestion
patterns and the region matcher (annotations.citations.pathological), and the worst
notes and files for markdown and the importer (corpus.probe, when present)."""

from __future__ import annotations

from annotations.citations.pathological import pathological_timings
from annotations.suggestions import region_matcher


def run(bench) -> None:
    bench.heading("Pathological inputs (one run each; budgets: 200 ms a suggestion call)")
    timings = pathological_timings(region_matcher=region_matcher())
    worst = max(timings, key=lambda timing: timing.seconds)
    for timing in timings:
        bench.report(
            f"{timing.case[:50]} ({timing.chars:,} chars)", f"{timing.seconds * 1000:.1f} ms"
        )
    bench.report("slowest", f"{worst.case}: {worst.seconds * 1000:.1f} ms")
