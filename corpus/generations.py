"""Generations: how a process learns that something it built in memory from the
database (the similarity index, the suggestion matchers) is out of date, whoever
changed the rows, in whichever worker or command.

A generation is a random value kept in the shared cache (the database or Redis: see
``CACHES``) under a key. A process builds, notes the generation it read *before*
reading the rows, and keeps what it built while the generation is the same. Code that
writes the rows calls ``advance_on_commit``: once the transaction commits (before, the
others would rebuild from rows as they were), the generation changes, and every
process rebuilds at its next use. Commit order does not matter, unlike a stamp read
from the rows (a transaction that wrote earlier but commits later moves a generation
all the same).
"""

from __future__ import annotations

import logging
import uuid

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

# Moved by every write of an article's text and every deletion of an article: what is
# built from the whole corpus's text (``corpus.similarity``) is out of date.
CORPUS_TEXT = "corpus:text:generation"


def current(key: str) -> str | None:
    """The generation under ``key``; one is made up if the cache has lost it (evicted,
    flushed, a new Redis). None if the cache cannot be reached: the caller decides
    whether to rebuild every time or to rely on what else it knows."""
    try:
        generation = cache.get(key)
        if generation is None:
            cache.add(key, uuid.uuid4().hex, timeout=None)
            generation = cache.get(key)
    except Exception:  # a cache server down must not take the pages with it
        logger.exception("The shared cache is unreachable: %s cannot be read", key)
        return None
    return generation


def advance_on_commit(*keys: str) -> None:
    """Move the generations under ``keys`` once the current transaction commits (at
    once outside one)."""
    transaction.on_commit(lambda: advance(*keys))


def advance(*keys: str) -> None:
    try:
        cache.set_many({key: uuid.uuid4().hex for key in keys}, timeout=None)
    except Exception:
        logger.exception("The shared cache is unreachable: %s not moved", ", ".join(keys))
