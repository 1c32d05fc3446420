"""Any file up to the import size limit imports in time proportional to its size.

The budget: an import (parse, render, database write) takes at most
``SECONDS_PER_MEGABYTE`` per megabyte of file on the 2-core machine the tests run
on, whatever the file holds; doubling a file at most triples its import time. The
slowest file per megabyte is ordinary prose in many short paragraphs (about 7-11 s/MB
with bleach, most of it in the sanitizer); before the bounds, a 30 KB file of
nested brackets took minutes.
"""

import gc
import time

import pytest

from corpus import pathological
from corpus.services import article_import_file

# PostgreSQL also computes each paragraph's search vector as it writes it.
SECONDS_PER_MEGABYTE = 30.0
SIZE = 64_000  # and twice that


def import_seconds(tmp_path, shape: str, size: int, *, markdown: bool) -> float:
    """The best of two imports (of two files), so that a pause of the machine's
    other work does not count."""
    suffix = ".md" if markdown else ".txt"
    text = pathological.article_file_text(shape, size, markdown=markdown)
    best = float("inf")
    for run in range(2):
        path = tmp_path / f"{shape.replace(' ', '-')}-{size}-{run}{suffix}"
        path.write_text(text + "\n" * run)  # another file, not the same one again
        gc.collect()
        started = time.perf_counter()
        outcome = article_import_file(path=path)
        best = min(best, time.perf_counter() - started)
        assert outcome.status == "created", outcome.error
    return best


@pytest.mark.parametrize("markdown", [True, False], ids=["markdown", "plain"])
@pytest.mark.parametrize("shape", list(pathological.IMPORT_SHAPES))
def test_import_time_grows_linearly_within_the_budget(db, tmp_path, shape, markdown):
    small = import_seconds(tmp_path, shape, SIZE, markdown=markdown)
    large = import_seconds(tmp_path, shape, 2 * SIZE, markdown=markdown)
    # Below a quarter of a second the machine's other work dominates.
    assert large <= 3 * max(small, 0.25), f"{shape}: {small:.2f} s, then {large:.2f} s"
    assert large <= SECONDS_PER_MEGABYTE * 2 * SIZE / 1_000_000, f"{shape}: {large:.2f} s"
