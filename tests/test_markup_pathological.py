"""Notes render in bounded, linear time, whatever markdown they hold.

The budget (corpus.markdown_bounds): every worst shape (corpus.pathological) at a
note's maximum length renders in under 250 ms with either sanitizer (the slowest,
ordinary prose through bleach, takes about 100 ms on the 2-core test machine; on a
busy machine, in under 2.5 times what prose takes then), and doubling
the length of the markup at most triples the time. Each time is the best of three,
so that another process on the machine cannot fail the test; before the bounds, the
slowest of these notes took minutes.
"""

import gc
import time

import pytest

from corpus import pathological
from corpus.markup import ENGINES, render_markdown

BUDGET_SECONDS = 0.250
PROSE_FACTOR = 2.5  # a pathological note may take this much longer than plain prose
GROWTH_LENGTH = 20_000  # and twice that: long enough that noise does not dominate


def best_of(runs: int, render) -> float:
    gc.collect()
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        render()
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("shape", list(pathological.NOTE_SHAPES))
def test_a_note_of_the_maximum_length_renders_within_the_budget(shape, engine):
    source = pathological.note_source(shape)
    assert len(source) <= pathological.NOTE_MAX_LENGTH
    seconds = best_of(3, lambda: render_markdown(source, engine=engine))
    # When the machine is busy (another test run, a build), every rendering slows
    # down alike: the budget follows plain prose of the same length, measured now.
    prose = pathological.note_source("prose")
    prose_seconds = best_of(3, lambda: render_markdown(prose, engine=engine))
    budget = max(BUDGET_SECONDS, PROSE_FACTOR * prose_seconds)
    assert seconds < budget, (
        f"{shape}: {seconds * 1000:.0f} ms (prose: {prose_seconds * 1000:.0f} ms)"
    )


@pytest.mark.parametrize("shape", list(pathological.NOTE_SHAPES))
def test_doubling_the_markup_at_most_triples_the_rendering_time(shape):
    short = pathological.note_source(shape, GROWTH_LENGTH)
    long = pathological.note_source(shape, 2 * GROWTH_LENGTH)
    render_markdown(short)  # warm up
    short_seconds = best_of(4, lambda: render_markdown(short))
    long_seconds = best_of(4, lambda: render_markdown(long))
    # Below a few tens of milliseconds the machine's other work dominates.
    assert long_seconds <= 3 * max(short_seconds, 0.02), (
        f"{shape}: {short_seconds * 1000:.1f} ms, then {long_seconds * 1000:.1f} ms"
    )


@pytest.mark.parametrize("shape", ["nested brackets", "link openings", "emphasis", "prose"])
def test_a_paragraph_of_inline_markdown_renders_in_linear_time(shape):
    """An imported paragraph is rendered on its own, and may be as long as its file."""
    short = pathological.NOTE_SHAPES[shape](100_000)
    long = pathological.NOTE_SHAPES[shape](200_000)
    short_seconds = best_of(2, lambda: render_markdown(short, inline=True))
    long_seconds = best_of(2, lambda: render_markdown(long, inline=True))
    assert long_seconds <= 3 * max(short_seconds, 0.02)
    assert long_seconds < 10 * BUDGET_SECONDS
